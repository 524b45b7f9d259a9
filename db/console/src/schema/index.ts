export * from "./api-keys";
export * from "./webhook-payloads";
export * from "./workspaces";
