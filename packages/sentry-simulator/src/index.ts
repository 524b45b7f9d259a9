export type { RefreshFailureMode, SimulatorStats } from "./context";
export type { SimIssue, SimProject } from "./issues";
export { clientSecretJwt, JWT_BEARER_GRANT, signHs256Jwt, verifyClientSecretJwt } from "./jwt";
export { GRANT_LIFETIME_MS } from "./oauth";
export {
  createSentrySimulator,
  type SentrySimulator,
  type SentrySimulatorOptions,
  type SimulatorInstallation,
} from "./simulator";
export { sentryHeaders, sentryJson } from "./webhook";
