import { and, desc, eq, gte, sql } from "drizzle-orm";
import { type Executor, textArray } from "../client";
import { type Cluster, clusters, encodeFloat32 } from "../schema";

/** Recency order of cluster candidates; ties broken by id so every reader agrees. */
export function byRecency(a: Cluster, b: Cluster): number {
  return (
    b.lastSeenAt.getTime() - a.lastSeenAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * The candidates new observations may join: the `recent` open clusters seen most recently since `since`,
 * and every open cluster since then that shares one of `entityKeys`, in recency order.
 */
export async function listOpenClusters(
  db: Executor,
  params: { workspaceId: string; since: Date; recent: number; entityKeys?: readonly string[] },
): Promise<Cluster[]> {
  const open = and(
    eq(clusters.workspaceId, params.workspaceId),
    eq(clusters.status, "open"),
    gte(clusters.lastSeenAt, params.since),
  );
  const recent = await db
    .select()
    .from(clusters)
    .where(open)
    .orderBy(desc(clusters.lastSeenAt), clusters.id)
    .limit(params.recent);
  const keys = [...new Set(params.entityKeys ?? [])];
  const sharing =
    keys.length > 0
      ? await db
          .select()
          .from(clusters)
          .where(and(open, sql`${clusters.entityKeys} ?| ${textArray(keys)}`))
      : [];
  const byId = new Map([...recent, ...sharing].map((c) => [c.id, c]));
  return [...byId.values()].sort(byRecency);
}

export type ClusterWrite =
  | {
      kind: "join";
      clusterId: string;
      centroid: number[];
      entityKeys: string[];
      actorIds: string[];
    }
  | {
      kind: "create";
      clusterId: string;
      label: string;
      centroid: number[];
      entityKeys: string[];
      actorIds: string[];
    };

/** A cluster's final state after a batch of observations joined (or started) it. */
export type ClusterBatchWrite = ClusterWrite & {
  added: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
};

/**
 * Adds a batch's observations to their clusters: new clusters in one insert, joined ones in one update,
 * counts, centroid and seen times moving together.
 */
export async function writeClusters(
  db: Executor,
  params: { workspaceId: string; writes: readonly ClusterBatchWrite[] },
): Promise<void> {
  const creates: Extract<ClusterBatchWrite, { kind: "create" }>[] = [];
  const joins: Extract<ClusterBatchWrite, { kind: "join" }>[] = [];
  for (const write of params.writes) {
    switch (write.kind) {
      case "create":
        creates.push(write);
        break;
      case "join":
        joins.push(write);
        break;
      default: {
        const never: never = write;
        throw new Error(`unknown cluster write ${JSON.stringify(never)}`);
      }
    }
  }
  if (creates.length > 0) {
    await db
      .insert(clusters)
      .values(
        creates.map((c) => ({
          id: c.clusterId,
          workspaceId: params.workspaceId,
          label: c.label,
          centroid: c.centroid,
          entityKeys: c.entityKeys,
          actorIds: c.actorIds,
          observationCount: c.added,
          firstSeenAt: c.firstSeenAt,
          lastSeenAt: c.lastSeenAt,
        })),
      )
      .onConflictDoNothing();
  }
  if (joins.length === 0) return;
  const values = joins.map(
    (j) =>
      sql`(${j.clusterId}, ${encodeFloat32(j.centroid)}, ${JSON.stringify(j.entityKeys)}::jsonb, ${JSON.stringify(j.actorIds)}::jsonb, ${j.added}::int, ${j.firstSeenAt.toISOString()}::timestamptz, ${j.lastSeenAt.toISOString()}::timestamptz)`,
  );
  await db.execute(sql`
    update ${clusters} set
      centroid = v.centroid,
      entity_keys = v.entity_keys,
      actor_ids = v.actor_ids,
      observation_count = ${clusters.observationCount} + v.added,
      first_seen_at = least(${clusters.firstSeenAt}, v.first_seen),
      last_seen_at = greatest(${clusters.lastSeenAt}, v.last_seen)
    from (values ${sql.join(values, sql`, `)})
      as v(id, centroid, entity_keys, actor_ids, added, first_seen, last_seen)
    where ${clusters.id} = v.id and ${clusters.workspaceId} = ${params.workspaceId}`);
}
