import { createHash } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { type Database, rowsOf, textArray } from "../client";
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
import { type ActorInput, type ActorTouch, planActors, writeActors } from "./actors";
import { type ClusterWrite, writeClusters } from "./clusters";
import {
  type EntityCount,
  type EntityInput,
  entityIdentity,
  linkObservationEntities,
  upsertEntities,
} from "./entities";
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

export type ObservationRef = Pick<
  Observation,
  "id" | "sourceId" | "status" | "payloadId" | "clusterId"
>;

/** The observations already stored for these source ids, by source id. */
export async function findObservationsBySourceIds(
  db: Executor,
  params: { workspaceId: string; sourceIds: readonly string[] },
): Promise<Map<string, ObservationRef>> {
  if (params.sourceIds.length === 0) return new Map();
  const rows = await db
    .select({
      id: observations.id,
      sourceId: observations.sourceId,
      status: observations.status,
      payloadId: observations.payloadId,
      clusterId: observations.clusterId,
    })
    .from(observations)
    .where(
      and(
        eq(observations.workspaceId, params.workspaceId),
        inArray(observations.sourceId, [...new Set(params.sourceIds)]),
      ),
    );
  return new Map(rows.map((r) => [r.sourceId, r]));
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

export type ThreadMember = Pick<
  Observation,
  "id" | "observationType" | "occurredAt" | "seq" | "threadKeys"
>;

/**
 * The latest observations (up to `perThread`) of each upstream thread (e.g. a Sentry issue) named, newest
 * first: what new observations follow from. One statement for a whole batch of thread keys.
 */
export async function findLatestInThreads(
  db: Executor,
  params: { workspaceId: string; threadKeys: readonly string[]; perThread?: number },
): Promise<Map<string, ThreadMember[]>> {
  const byThread = new Map<string, ThreadMember[]>();
  const keys = [...new Set(params.threadKeys)];
  if (keys.length === 0) return byThread;
  const rows = rowsOf<{
    thread_key: string;
    id: string;
    observation_type: string;
    occurred_at: string | Date;
    seq: string | number;
    thread_keys: string[];
  }>(
    await db.execute(sql`
      select t.thread_key, o.id, o.observation_type, o.occurred_at, o.seq, o.thread_keys
      from unnest(${textArray(keys)}) as t(thread_key)
      cross join lateral (
        select id, observation_type, occurred_at, seq, thread_keys from ${observations}
        where workspace_id = ${params.workspaceId} and thread_keys ? t.thread_key
        -- Ties in upstream time (Sentry stamps an issue and its first event alike) go to the later capture.
        order by occurred_at desc, seq desc
        limit ${params.perThread ?? 20}
      ) o`),
  );
  for (const row of rows) {
    const list = byThread.get(row.thread_key) ?? [];
    list.push({
      id: row.id,
      observationType: row.observation_type,
      occurredAt: new Date(row.occurred_at),
      seq: Number(row.seq),
      threadKeys: row.thread_keys,
    });
    byThread.set(row.thread_key, list);
  }
  return byThread;
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
  relationships: readonly RelationshipInput[];
}

export interface PersistedObservation {
  created: boolean;
  /** The payload that created the row: this one's, when an earlier attempt of the same run got there. */
  payloadId: string | null;
  clusterId: string | null;
}

/**
 * Writes a batch of observations and everything they count in one transaction: the rows, their entities
 * (occurrence counts), actors (observation counts), clusters (counts, centroids) and edges, in about ten
 * statements whatever the batch size. The unique (workspace_id, source_id) key decides who wins a race: an
 * observation whose row already exists writes nothing else, so a retry after a crash at any point converges
 * on exactly one observation counted once. `clusters` are the final states the caller decided; a cluster
 * counts only the observations created here.
 */
export async function persistObservations(
  db: Database,
  params: {
    workspaceId: string;
    items: readonly PersistObservationParams[];
    clusters: readonly (ClusterWrite & { firstSeenAt: Date; lastSeenAt: Date })[];
  },
): Promise<PersistedObservation[]> {
  const { workspaceId, items } = params;
  if (items.length === 0) return [];
  const touchesOf = (list: readonly PersistObservationParams[]) => {
    const touches: ActorTouch[] = [];
    const actorTouchOf = new Map<string, number>();
    for (const item of list) {
      const at = item.observation.occurredAt;
      for (const mentioned of item.mentioned) touches.push({ actor: mentioned, acted: false, at });
      if (item.actor) {
        actorTouchOf.set(item.observation.id, touches.length);
        touches.push({ actor: item.actor, acted: true, at });
      }
    }
    return { touches, actorTouchOf };
  };
  // Reads happen before the transaction: on the embedded database an open transaction holds the one
  // session, so every statement inside it delays the webhooks waiting to be stored.
  let actorTouches = touchesOf(items);
  let actorPlan = await planActors(db, { workspaceId, touches: actorTouches.touches });
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(observations)
      // Actor and cluster are filled in below, once their rows exist.
      .values(items.map((i) => ({ ...i.observation, workspaceId, actorId: null, clusterId: null })))
      .onConflictDoNothing()
      .returning({ id: observations.id });
    const createdIds = new Set(inserted.map((r) => r.id));
    const created = items.filter((i) => createdIds.has(i.observation.id));
    let existing = new Map<string, ObservationRef>();
    if (created.length < items.length) {
      // A retry or a race: only what was created here counts.
      existing = await findObservationsBySourceIds(tx, {
        workspaceId,
        sourceIds: items
          .filter((i) => !createdIds.has(i.observation.id))
          .map((i) => i.observation.sourceId),
      });
      actorTouches = touchesOf(created);
      actorPlan = await planActors(tx, { workspaceId, touches: actorTouches.touches });
    }

    const counts = new Map<string, EntityCount>();
    for (const item of created) {
      const at = item.observation.occurredAt;
      for (const e of item.entities) {
        const key = entityIdentity(e);
        const count = counts.get(key);
        if (!count) counts.set(key, { ...e, count: 1, firstSeenAt: at, lastSeenAt: at });
        else {
          count.count++;
          if (at < count.firstSeenAt) count.firstSeenAt = at;
          if (at > count.lastSeenAt) count.lastSeenAt = at;
        }
      }
    }
    const entityList = [...counts.values()];
    const added = new Map<string, number>();
    for (const item of created) {
      const clusterId = item.observation.clusterId;
      if (clusterId) added.set(clusterId, (added.get(clusterId) ?? 0) + 1);
    }
    // Independent writes go out together: the connection pipelines them, one round trip instead of four.
    const [entityIds, actorIds] = await Promise.all([
      upsertEntities(tx, { workspaceId, entities: entityList }),
      writeActors(tx, actorPlan),
      writeClusters(tx, {
        workspaceId,
        writes: params.clusters
          .filter((c) => added.has(c.clusterId))
          .map((c) => ({ ...c, added: added.get(c.clusterId)! })),
      }),
      insertRelationships(tx, {
        workspaceId,
        edges: created.flatMap((item) =>
          item.relationships.map((edge) => ({ ...edge, fromObservationId: item.observation.id })),
        ),
      }),
    ]);
    const idOf = new Map(entityList.map((e, i) => [entityIdentity(e), entityIds[i]!]));
    const { actorTouchOf } = actorTouches;
    const linked = created.filter(
      (i) => actorTouchOf.has(i.observation.id) || i.observation.clusterId,
    );
    await Promise.all([
      linkObservationEntities(tx, {
        links: created.flatMap((item) =>
          [...new Set(item.entities.map((e) => idOf.get(entityIdentity(e))!))].map((entityId) => ({
            observationId: item.observation.id,
            entityId,
          })),
        ),
      }),
      linked.length === 0
        ? undefined
        : tx.execute(sql`
        update ${observations} set actor_id = v.actor_id, cluster_id = v.cluster_id
        from (values ${sql.join(
          linked.map((i) => {
            const touch = actorTouchOf.get(i.observation.id);
            return sql`(${i.observation.id}, ${touch === undefined ? null : actorIds[touch]!}::text, ${i.observation.clusterId ?? null}::text)`;
          }),
          sql`, `,
        )}) as v(id, actor_id, cluster_id)
        where ${observations.id} = v.id`),
    ]);
    return items.map((item) => {
      if (createdIds.has(item.observation.id)) {
        return {
          created: true,
          payloadId: item.observation.payloadId ?? null,
          clusterId: item.observation.clusterId ?? null,
        };
      }
      const row = existing.get(item.observation.sourceId);
      return {
        created: false,
        payloadId: row?.payloadId ?? null,
        clusterId: row?.clusterId ?? null,
      };
    });
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
