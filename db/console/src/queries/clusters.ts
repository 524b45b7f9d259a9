import { and, desc, eq, gte, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { type Cluster, clusters } from "../schema";

/** Open clusters seen since `since`, most recent first: the candidates a new observation may join. */
export function listOpenClusters(
  db: Executor,
  params: { workspaceId: string; since: Date; limit?: number },
): Promise<Cluster[]> {
  return db
    .select()
    .from(clusters)
    .where(
      and(
        eq(clusters.workspaceId, params.workspaceId),
        eq(clusters.status, "open"),
        gte(clusters.lastSeenAt, params.since),
      ),
    )
    .orderBy(desc(clusters.lastSeenAt))
    .limit(params.limit ?? 50);
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

/** Adds one observation to a cluster (or starts it): counts, centroid and last seen move together. */
export async function writeCluster(
  db: Executor,
  params: { workspaceId: string; cluster: ClusterWrite; at: Date },
): Promise<void> {
  const { cluster, at } = params;
  switch (cluster.kind) {
    case "create":
      await db
        .insert(clusters)
        .values({
          id: cluster.clusterId,
          workspaceId: params.workspaceId,
          label: cluster.label,
          centroid: cluster.centroid,
          entityKeys: cluster.entityKeys,
          actorIds: cluster.actorIds,
          observationCount: 1,
          firstSeenAt: at,
          lastSeenAt: at,
        })
        .onConflictDoNothing();
      return;
    case "join":
      await db
        .update(clusters)
        .set({
          centroid: cluster.centroid,
          entityKeys: cluster.entityKeys,
          actorIds: cluster.actorIds,
          observationCount: sql`${clusters.observationCount} + 1`,
          lastSeenAt: sql`greatest(${clusters.lastSeenAt}, ${at.toISOString()}::timestamptz)`,
          firstSeenAt: sql`least(${clusters.firstSeenAt}, ${at.toISOString()}::timestamptz)`,
        })
        .where(
          and(eq(clusters.id, cluster.clusterId), eq(clusters.workspaceId, params.workspaceId)),
        );
      return;
    default: {
      const never: never = cluster;
      throw new Error(`unknown cluster write ${JSON.stringify(never)}`);
    }
  }
}
