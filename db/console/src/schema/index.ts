export * from "./api-keys";
export * from "./auth";
export * from "./integrations";
export * from "./observations";
export * from "./sentry-installations";
export * from "./user-sources";
export * from "./webhook-payloads";
export * from "./workspaces";
