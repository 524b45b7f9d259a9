import type { IssueStore, RateLimiter } from "./issues";

/** One access/refresh pair: Sentry keeps exactly one per installation (a refresh deletes the old one). */
export interface TokenPair {
  id: string;
  token: string;
  refreshToken: string;
  expiresAt: number;
  dateCreated: number;
  scopes: string[];
}

export interface InstallationRecord {
  uuid: string;
  status: "pending" | "installed";
  orgSlug: string;
  orgId: string;
  pair: TokenPair | null;
}

export interface GrantRecord {
  code: string;
  installationUuid: string;
  expiresAt: number;
}

export interface SimulatorStats {
  authorizationCodeGrants: number;
  refreshGrants: number;
  jwtBearerGrants: number;
  rejectedGrants: number;
  apiCalls: number;
  rateLimited: number;
  installationsVerified: string[];
}

export type RefreshFailureMode = "reject" | "lose-answer";

export interface ResolvedOptions {
  clientId: string;
  clientSecret: string;
  appSlug: string;
  redirectUrl: string;
  webhookUrl: string | undefined;
  organization: { slug: string; id: string };
  tokenLifetimeMs: number;
  webhookTimeoutMs: number;
}

/** Everything the route handlers share: configuration, the clock and the in-memory state. */
export interface SimContext {
  readonly options: ResolvedOptions;
  readonly app: { uuid: string; slug: string };
  now(): number;
  /** http://127.0.0.1:<port>, once listening. */
  baseUrl(): string;
  readonly installations: Map<string, InstallationRecord>;
  grants: GrantRecord[];
  /** Spent JWT ids, with the time after which the JWT is expired anyway and the entry can go. */
  readonly usedJtis: Map<string, number>;
  /** One entry per upcoming valid refresh (refresh_token or jwt-bearer) that must fail. */
  readonly refreshFailures: RefreshFailureMode[];
  readonly stats: SimulatorStats;
  readonly issues: IssueStore;
  readonly limiter: RateLimiter;
  /** Serializes (unless given a string) and signs like Sentry, POSTs to webhookUrl. */
  sendWebhook(resource: string, body: unknown): Promise<Response>;
}

/** The scopes the simulated public integration was granted. */
export const SCOPES = ["event:read", "org:read", "project:read", "member:read"];

/** Who installs and uninstalls, in webhook `actor` fields. */
export const INSTALLING_USER = { id: 1, name: "Simulated User", type: "user" } as const;
