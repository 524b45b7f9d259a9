import { createHash } from "node:crypto";
import { and, desc, eq, ne, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { type Database, rowsOf } from "../client";
import {
  actors,
  clusters,
  entities,
  type NewObservation,
  type Observation,
  observations,
  relationships,
  workspaceWebhookPayloads,
} from "../schema";
import { type ActorInput, resolveActor } from "./actors";
import { type ClusterWrite, writeCluster } from "./clusters";
import { type EntityInput, linkObservationEntities, upsertEntities } from "./entities";
import { insertRelationships, type RelationshipInput } from "./relationships";

/**
 * The observation id is derived from its idempotency key, so every attempt of a capture (and its vector
 * ids, `obs_{view}_{id}`) agrees on it before the row exists.
 */
export function observationIdFor(params: { workspaceId: string; sourceId: string }): string {
  const digest = createHash("sha256")
    .update(`${params.workspaceId}\u0000${params.sourceId}`)
    .digest("hex");
  return `obs_${digest.slice(0, 24)}`;
}

export async function findObservationBySourceId(
  db: Executor,
  params: { workspaceId: string; sourceId: string },
): Promise<Pick<Observation, "id" | "status" | "payloadId" | "clusterId"> | undefined> {
  const [row] = await db
    .select({
      id: observations.id,
      status: observations.status,
      payloadId: observations.payloadId,
      clusterId: observations.clusterId,
    })
    .from(observations)
    .where(
      and(
        eq(observations.workspaceId, params.workspaceId),
        eq(observations.sourceId, params.sourceId),
      ),
    );
  return row;
}

export async function getObservation(
  db: Executor,
  params: { workspaceId: string; observationId: string },
): Promise<Observation | undefined> {
  const [row] = await db
    .select()
    .from(observations)
    .where(
      and(
        eq(observations.workspaceId, params.workspaceId),
        eq(observations.id, params.observationId),
      ),
    );
  return row;
}

/**
 * Earlier observations in any of the same upstream threads (e.g. the same issue), newest first: what a new
 * observation follows from.
 */
export function findObservationsInThreads(
  db: Executor,
  params: { workspaceId: string; threadKeys: readonly string[]; excludeId: string },
): Promise<Pick<Observation, "id" | "sourceType" | "observationType" | "occurredAt">[]> {
  if (params.threadKeys.length === 0) return Promise.resolve([]);
  return (
    db
      .select({
        id: observations.id,
        sourceType: observations.sourceType,
        observationType: observations.observationType,
        occurredAt: observations.occurredAt,
      })
      .from(observations)
      .where(
        and(
          eq(observations.workspaceId, params.workspaceId),
          ne(observations.id, params.excludeId),
          sql`${observations.threadKeys} ?| ${sql.raw("array[")}${sql.join(
            params.threadKeys.map((k) => sql`${k}`),
            sql`, `,
          )}${sql.raw("]::text[]")}`,
        ),
      )
      // Ties in upstream time (Sentry stamps an issue and its first event alike) go to the later capture.
      .orderBy(desc(observations.occurredAt), desc(observations.createdAt), desc(observations.id))
      .limit(20)
  );
}

/** Captured observations in id order after `afterId`: the reconciliation sweep walks them in pages. */
export function listCapturedObservations(
  db: Executor,
  params: { workspaceId?: string; afterId?: string; limit: number },
): Promise<Observation[]> {
  return db
    .select()
    .from(observations)
    .where(
      and(
        eq(observations.status, "captured"),
        params.workspaceId ? eq(observations.workspaceId, params.workspaceId) : sql`true`,
        params.afterId ? sql`${observations.id} > ${params.afterId}` : sql`true`,
      ),
    )
    .orderBy(observations.id)
    .limit(params.limit);
}

export interface PersistObservationParams {
  observation: NewObservation & { id: string; workspaceId: string; occurredAt: Date };
  entities: readonly EntityInput[];
  actor: ActorInput | null;
  /** People the observation names without acting (an assignee): their profiles exist, uncounted. */
  mentioned: readonly ActorInput[];
  cluster: ClusterWrite | null;
  relationships: readonly RelationshipInput[];
}

/**
 * Writes one observation and everything it counts in one transaction: the row, its entities (occurrence
 * counts), its actor (observation count), its cluster (count, centroid) and its edges. The unique
 * (workspace_id, source_id) key decides who wins a race: when the row already exists nothing else is
 * written, so a retry after a crash at any point converges on exactly one observation counted once.
 */
export async function persistObservation(
  db: Database,
  params: PersistObservationParams,
): Promise<{
  created: boolean;
  observationId: string;
  /** The payload that created the row: this one's, when an earlier attempt of the same run got there. */
  payloadId: string | null;
  clusterId: string | null;
}> {
  const { observation } = params;
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(observations)
      .values({ ...observation, actorId: null, clusterId: null })
      .onConflictDoNothing()
      .returning({ id: observations.id });
    if (inserted.length === 0) {
      const existing = await findObservationBySourceId(tx, observation);
      return {
        created: false,
        observationId: existing?.id ?? observation.id,
        payloadId: existing?.payloadId ?? null,
        clusterId: existing?.clusterId ?? null,
      };
    }
    const at = observation.occurredAt;
    const entityIds = await upsertEntities(tx, {
      workspaceId: observation.workspaceId,
      entities: params.entities,
      seenAt: at,
    });
    await linkObservationEntities(tx, { observationId: observation.id, entityIds });
    for (const mentioned of params.mentioned) {
      await resolveActor(tx, {
        workspaceId: observation.workspaceId,
        actor: mentioned,
        acted: false,
        at,
      });
    }
    const actorId = params.actor
      ? await resolveActor(tx, {
          workspaceId: observation.workspaceId,
          actor: params.actor,
          acted: true,
          at,
        })
      : null;
    if (params.cluster) {
      await writeCluster(tx, { workspaceId: observation.workspaceId, cluster: params.cluster, at });
    }
    await tx
      .update(observations)
      .set({ actorId, clusterId: params.cluster?.clusterId ?? null })
      .where(eq(observations.id, observation.id));
    await insertRelationships(tx, {
      workspaceId: observation.workspaceId,
      fromObservationId: observation.id,
      edges: params.relationships,
    });
    return {
      created: true,
      observationId: observation.id,
      payloadId: observation.payloadId ?? null,
      clusterId: params.cluster?.clusterId ?? null,
    };
  });
}

export interface CaptureStats {
  payloads: {
    pending: number;
    done: number;
    failed: number;
    filtered: number;
    duplicate: number;
    ignored: number;
    belowThreshold: number;
  };
  observations: number;
  belowThreshold: number;
  entities: number;
  actors: number;
  clusters: number;
  relationships: number;
}

/** What one workspace's memory holds, for `pnpm cli stats` and the capture benchmark. */
export async function captureStats(
  db: Executor,
  params: { workspaceId: string },
): Promise<CaptureStats> {
  const ws = params.workspaceId;
  const count = async (table: { workspaceId: unknown }, extra = sql`true`) => {
    const t = table as typeof actors;
    const rows = rowsOf<{ n: number }>(
      await db.execute(
        sql`select count(*)::int as n from ${t} where ${t.workspaceId} = ${ws} and ${extra}`,
      ),
    );
    return Number(rows[0]?.n ?? 0);
  };
  const statusRows = rowsOf<{ status: string; n: number }>(
    await db.execute(sql`
      select status, count(*)::int as n from ${workspaceWebhookPayloads}
      where ${workspaceWebhookPayloads.workspaceId} = ${ws} group by status`),
  );
  const by = Object.fromEntries(statusRows.map((r) => [r.status, Number(r.n)]));
  return {
    payloads: {
      pending: (by.pending ?? 0) + (by.processing ?? 0),
      done: by.done ?? 0,
      failed: by.failed ?? 0,
      filtered: by.filtered ?? 0,
      duplicate: by.duplicate ?? 0,
      ignored: by.ignored ?? 0,
      belowThreshold: by.below_threshold ?? 0,
    },
    observations: await count(observations, sql`${observations.status} = 'captured'`),
    belowThreshold: await count(observations, sql`${observations.status} = 'below_threshold'`),
    entities: await count(entities),
    actors: await count(actors),
    clusters: await count(clusters),
    relationships: await count(relationships),
  };
}
