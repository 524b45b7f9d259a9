export { createInngestFunctions, inngest } from "./inngest";
export { OutboxRunner } from "./outbox/runner";
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
