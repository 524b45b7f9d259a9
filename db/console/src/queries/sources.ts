import { and, asc, desc, eq, gt, lte, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client";
import {
  type IntegrationStatus,
  type PayloadStatus,
  payloadStatuses,
  workspaceWebhookPayloads as payloads,
  type SentryInstallation,
  type SentryInstallationKind,
  type SentryInstallationStatus,
  type SourceBackfill,
  type SourceConfig,
  sentryInstallations,
  sourceBackfills,
  type UserSourceStatus,
  userSources,
  type WorkspaceIntegration,
  workspaceIntegrations,
} from "../schema";

/** Providers the Sources page always shows, connected or not. */
export const overviewProviders = ["sentry"] as const;

export type SourceConnectionStatus = "active" | "pending" | "revoked";

export interface SourceEventFilter {
  /** Resources captured; null when the config names none, which means the provider's default (all). */
  events: string[] | null;
  /** Events below this level are not captured; null when every level is. */
  minLevel: string | null;
}

export interface DeliveryFailure {
  payloadId: string;
  resource: string;
  action: string;
  error: string | null;
  receivedAt: Date;
}

export interface DeliveryStats {
  lastDeliveryAt: Date | null;
  lastHour: number;
  /** Every status present, zero when none arrived, over the 24 hours before `now`. */
  last24h: Record<PayloadStatus, number>;
  total24h: number;
  /** The five latest failed deliveries of the last 24 hours, newest first. */
  recentFailures: DeliveryFailure[];
}

export interface SourceConnection {
  provider: string;
  /** The upstream installation id (Sentry: the installation uuid). */
  installationId: string;
  organizationSlug: string | null;
  organizationId: string | null;
  /** Null for providers without installations of their own. */
  kind: SentryInstallationKind | null;
  status: SourceConnectionStatus;
  /** Empty means every project. */
  projectSlugs: string[];
  eventFilter: SourceEventFilter;
  createdAt: Date;
  /** When the OAuth access token expires; null without OAuth tokens or for tokens that never expire. */
  tokenExpiresAt: Date | null;
  /** The stored credentials' state: none (not connected through OAuth or the CLI), or user_sources' status. */
  tokenState: "none" | UserSourceStatus;
  /** Why it needs re-authorising, when it does. */
  tokenReason: string | null;
  /** The latest backfill of this connection's history, if any. */
  backfill: Pick<
    SourceBackfill,
    "id" | "status" | "pages" | "items" | "error" | "finishedAt"
  > | null;
  deliveries: DeliveryStats;
}

export interface ProviderOverview {
  provider: string;
  connections: SourceConnection[];
}

export interface SourceOverview {
  workspaceId: string;
  now: Date;
  providers: ProviderOverview[];
}

const HOUR_MS = 60 * 60 * 1000;
const FAILURE_LIMIT = 5;

type Connection = Omit<SourceConnection, "deliveries" | "tokenState" | "tokenReason" | "backfill">;

/**
 * Everything the Sources page shows for one workspace: its connections per provider and how their
 * deliveries fared. Every statement is scoped to the workspace, whatever the installation says.
 */
export async function getSourceOverview(
  db: Executor,
  params: { workspaceId: string; now?: Date },
): Promise<SourceOverview> {
  const now = params.now ?? new Date();
  const connections = await listConnections(db, params.workspaceId);
  const providers = [...new Set([...overviewProviders, ...connections.map((c) => c.provider)])];
  const overview = await Promise.all(
    providers.map(async (provider): Promise<ProviderOverview> => {
      const own = connections.filter((c) => c.provider === provider);
      const withStats = await Promise.all(
        own.map(async (connection) => ({
          ...connection,
          ...(await credentialsOf(db, params.workspaceId, connection)),
          deliveries: await deliveryStats(db, {
            workspaceId: params.workspaceId,
            provider,
            installationId: own.length > 1 ? connection.installationId : null,
            now,
          }),
        })),
      );
      return { provider, connections: withStats };
    }),
  );
  return { workspaceId: params.workspaceId, now, providers: overview };
}

/** Token and backfill state, read only for the workspace's own connections. */
async function credentialsOf(db: Executor, workspaceId: string, connection: Connection) {
  const [source] = await db
    .select({
      status: userSources.status,
      statusReason: userSources.statusReason,
      expiresAt: userSources.expiresAt,
    })
    .from(userSources)
    .where(
      and(
        eq(userSources.workspaceId, workspaceId),
        eq(userSources.provider, connection.provider),
        eq(userSources.installationId, connection.installationId),
      ),
    );
  const [backfill] = await db
    .select({
      id: sourceBackfills.id,
      status: sourceBackfills.status,
      pages: sourceBackfills.pages,
      items: sourceBackfills.items,
      error: sourceBackfills.error,
      finishedAt: sourceBackfills.finishedAt,
    })
    .from(sourceBackfills)
    .where(
      and(
        eq(sourceBackfills.workspaceId, workspaceId),
        eq(sourceBackfills.provider, connection.provider),
        eq(sourceBackfills.installationId, connection.installationId),
      ),
    )
    .orderBy(desc(sourceBackfills.createdAt))
    .limit(1);
  return {
    tokenExpiresAt: source?.expiresAt ?? null,
    tokenState: source?.status ?? ("none" as const),
    tokenReason: source?.statusReason ?? null,
    backfill: backfill ?? null,
  };
}

async function listConnections(db: Executor, workspaceId: string): Promise<Connection[]> {
  const integrated = await db
    .select({ integration: workspaceIntegrations, installation: sentryInstallations })
    .from(workspaceIntegrations)
    .leftJoin(
      sentryInstallations,
      and(
        eq(workspaceIntegrations.provider, "sentry"),
        eq(sentryInstallations.uuid, workspaceIntegrations.externalId),
      ),
    )
    .where(eq(workspaceIntegrations.workspaceId, workspaceId))
    .orderBy(asc(workspaceIntegrations.createdAt));
  // An installation bound to the workspace feeds it even without an integration row (it then captures
  // unfiltered), so it is a connection too.
  const linked = await db
    .select()
    .from(sentryInstallations)
    .where(eq(sentryInstallations.workspaceId, workspaceId))
    .orderBy(asc(sentryInstallations.createdAt));
  const integratedIds = new Set(
    integrated
      .filter((r) => r.integration.provider === "sentry")
      .map((r) => r.integration.externalId),
  );
  return [
    ...integrated.map((r) => fromIntegration(r.integration, r.installation)),
    ...linked.filter((i) => !integratedIds.has(i.uuid)).map(fromInstallation),
  ];
}

function fromIntegration(
  integration: WorkspaceIntegration,
  installation: SentryInstallation | null,
): Connection {
  const config = integration.sourceConfig;
  return {
    provider: integration.provider,
    installationId: integration.externalId,
    organizationSlug: stringOf(config.organizationSlug) ?? installation?.organizationSlug ?? null,
    organizationId: installation?.organizationId ?? null,
    kind: installation?.kind ?? null,
    status: connectionStatus(integration.status, installation?.status ?? null),
    projectSlugs: stringsOf(config.projectSlugs) ?? [],
    eventFilter: eventFilterOf(config),
    createdAt: integration.createdAt,
    tokenExpiresAt: null,
  };
}

function fromInstallation(installation: SentryInstallation): Connection {
  return {
    provider: "sentry",
    installationId: installation.uuid,
    organizationSlug: installation.organizationSlug,
    organizationId: installation.organizationId,
    kind: installation.kind,
    status: connectionStatus(null, installation.status),
    projectSlugs: [],
    eventFilter: { events: null, minLevel: null },
    createdAt: installation.createdAt,
    tokenExpiresAt: null,
  };
}

/** Revoked on either side wins: Sentry uninstalled it, or the workspace disconnected it. */
function connectionStatus(
  integration: IntegrationStatus | null,
  installation: SentryInstallationStatus | null,
): SourceConnectionStatus {
  if (integration === "revoked") return "revoked";
  if (installation === null) return "active";
  switch (installation) {
    case "revoked":
      return "revoked";
    case "pending":
      return "pending";
    case "installed":
      return "active";
    default: {
      const unknown: never = installation;
      throw new Error(`unknown installation status ${String(unknown)}`);
    }
  }
}

/**
 * Read defensively: `source_config` is validated by the provider's schema in another package, and a row
 * written by an older version must still render.
 */
function eventFilterOf(config: SourceConfig): SourceEventFilter {
  const sync = config.sync;
  if (typeof sync !== "object" || sync === null) return { events: null, minLevel: null };
  const { events, minLevel } = sync as Record<string, unknown>;
  return { events: stringsOf(events), minLevel: stringOf(minLevel) };
}

function stringOf(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function stringsOf(value: unknown): string[] | null {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === "string" && v !== "")
    : null;
}

/**
 * Deliveries have no installation column, but each body names its installation. With one connection
 * per provider every delivery of the workspace is its own, so bodies are only read to tell several
 * connections apart; the quoted uuid is matched as text because a body is not guaranteed to parse.
 */
function ownedBy(params: {
  workspaceId: string;
  provider: string;
  installationId: string | null;
}): SQL {
  // Deliveries are what the upstream sent: a backfill's rows are its own progress, shown as such.
  const scope = and(
    eq(payloads.workspaceId, params.workspaceId),
    eq(payloads.source, params.provider),
    eq(payloads.ingestionSource, "webhook"),
  )!;
  if (params.installationId === null) return scope;
  return and(scope, sql`strpos(${payloads.body}, ${`"${params.installationId}"`}) > 0`)!;
}

async function deliveryStats(
  db: Executor,
  params: { workspaceId: string; provider: string; installationId: string | null; now: Date },
): Promise<DeliveryStats> {
  const owned = ownedBy(params);
  const dayAgo = new Date(params.now.getTime() - 24 * HOUR_MS);
  const hourAgo = new Date(params.now.getTime() - HOUR_MS);
  // Bounded above by `now` so a page rendered for a given instant (and a test) is reproducible.
  const window = and(owned, gt(payloads.receivedAt, dayAgo), lte(payloads.receivedAt, params.now));

  const [latest] = await db
    .select({ receivedAt: payloads.receivedAt })
    .from(payloads)
    .where(and(owned, lte(payloads.receivedAt, params.now)))
    .orderBy(desc(payloads.receivedAt))
    .limit(1);

  const grouped = await db
    .select({
      status: payloads.status,
      total: sql<number>`count(*)::int`,
      lastHour: sql<number>`(count(*) filter (where ${payloads.receivedAt} > ${hourAgo.toISOString()}::timestamptz))::int`,
    })
    .from(payloads)
    .where(window)
    .groupBy(payloads.status);

  const failures = await db
    .select({
      payloadId: payloads.id,
      resource: payloads.resource,
      action: payloads.action,
      error: payloads.lastError,
      receivedAt: payloads.receivedAt,
    })
    .from(payloads)
    .where(and(window, eq(payloads.status, "failed")))
    .orderBy(desc(payloads.receivedAt), desc(payloads.seq))
    .limit(FAILURE_LIMIT);

  const last24h = Object.fromEntries(payloadStatuses.map((s) => [s, 0])) as Record<
    PayloadStatus,
    number
  >;
  let total24h = 0;
  let lastHour = 0;
  for (const row of grouped) {
    last24h[row.status] = Number(row.total);
    total24h += Number(row.total);
    lastHour += Number(row.lastHour);
  }
  return {
    lastDeliveryAt: latest?.receivedAt ?? null,
    lastHour,
    last24h,
    total24h,
    recentFailures: failures,
  };
}
