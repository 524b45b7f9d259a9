export * from "./api-keys";
export { newId } from "./ids";
export * from "./webhook-payloads";
export * from "./workspaces";
