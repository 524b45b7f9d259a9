export * from "./api-keys";
export { newId } from "./ids";
export * from "./integrations";
export * from "./sentry-installations";
export * from "./webhook-payloads";
export * from "./workspaces";
