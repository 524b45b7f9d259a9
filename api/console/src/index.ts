export { createInngestFunctions, inngest } from "./inngest";
export { sentryBackfillEvent } from "./inngest/functions/sentry-backfill";
export { OutboxRunner } from "./outbox/runner";
export {
  type BackfillDeps,
  resumeBackfills,
  runBackfill,
  startSentryBackfill,
} from "./providers/sentry/backfill";
export {
  nextCursor,
  rateLimitOf,
  type SentryClient,
  sentryClient,
} from "./providers/sentry/client";
export {
  missingConnectSettings,
  sentryAppConfig,
  sentryConnectConfig,
} from "./providers/sentry/config";
export {
  type ConnectOutcome,
  completeSentryConnect,
  startSentryConnect,
} from "./providers/sentry/connect";
export { connectInternalSentry } from "./providers/sentry/internal";
export {
  SentryNeedsReauthError,
  SentryNotConnectedError,
  SentryTokenService,
} from "./providers/sentry/tokens";
export {
  createRuntime,
  getHealth,
  getRuntime,
  type Health,
  openDatabaseFromEnv,
  type Runtime,
} from "./runtime";
export {
  handleSearch,
  type SearchOptions,
  type SearchRuntime,
  searchWorkspace,
} from "./search/http";
export { handleWebhook, methodNotAllowed } from "./webhooks/handle";
export { receiveWebhook } from "./webhooks/receive";
export type { WorkflowEngine } from "./workflows/engine";
export * from "./workflows/types";
