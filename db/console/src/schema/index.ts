export * from "./api-keys";
export * from "./auth";
export * from "./integrations";
export * from "./observations";
export * from "./sentry-installations";
export * from "./webhook-payloads";
export * from "./workspaces";
