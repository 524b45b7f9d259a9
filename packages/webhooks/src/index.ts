export { baseSignificance, webhookProvider, webhookProviders } from "./registry";
export * from "./signature";
export * from "./types";
