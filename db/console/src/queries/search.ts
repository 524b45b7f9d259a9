import type { SearchDocument } from "@repo/schemas";
import { and, asc, desc, eq, gt, lte, sql } from "drizzle-orm";
import type { Executor } from "../client";
import {
  actors,
  type Cluster,
  clusters,
  entities,
  observationEntities,
  observations,
} from "../schema";

/**
 * A workspace's observations captured after `afterSeq`, in capture order: how search's in-memory corpus
 * catches up. Scoped to one workspace by construction; nothing here can read another's rows.
 */
export async function listSearchDocuments(
  db: Executor,
  params: { workspaceId: string; afterSeq: number; limit: number },
): Promise<SearchDocument[]> {
  const rows = await db
    .select({
      observation: observations,
      actorName: actors.name,
      actorEmail: actors.email,
    })
    .from(observations)
    .leftJoin(actors, eq(actors.id, observations.actorId))
    .where(
      and(eq(observations.workspaceId, params.workspaceId), gt(observations.seq, params.afterSeq)),
    )
    .orderBy(asc(observations.seq))
    .limit(params.limit);
  if (rows.length === 0) return [];
  // The page's links by the same seq range, not by a list of thousands of ids: one range scan.
  const lastSeq = rows.at(-1)!.observation.seq;
  const links = await db
    .select({
      observationId: observationEntities.observationId,
      category: entities.category,
      key: entities.key,
    })
    .from(observationEntities)
    .innerJoin(observations, eq(observations.id, observationEntities.observationId))
    .innerJoin(entities, eq(entities.id, observationEntities.entityId))
    .where(
      and(
        eq(observations.workspaceId, params.workspaceId),
        gt(observations.seq, params.afterSeq),
        lte(observations.seq, lastSeq),
      ),
    );
  const byObservation = new Map<string, { category: string; key: string }[]>();
  for (const link of links) {
    const list = byObservation.get(link.observationId) ?? [];
    list.push({ category: link.category, key: link.key });
    byObservation.set(link.observationId, list);
  }
  return rows.map(({ observation: o, actorName, actorEmail }) => ({
    id: o.id,
    seq: o.seq,
    source: o.source,
    sourceType: o.sourceType,
    observationType: o.observationType,
    status: o.status,
    title: o.title,
    body: o.body,
    snippet: o.snippet,
    url: o.url,
    occurredAt: o.occurredAt.toISOString(),
    significance: o.significance,
    actor: o.actorId && actorName ? { id: o.actorId, name: actorName, email: actorEmail } : null,
    clusterId: o.clusterId,
    references: o.references,
    threadKeys: o.threadKeys,
    metadata: o.metadata,
    entities: (byObservation.get(o.id) ?? []).sort(
      (a, b) => a.category.localeCompare(b.category) || a.key.localeCompare(b.key),
    ),
  }));
}

/**
 * How many observations a workspace has up to a capture `seq`: a corpus caught up to that seq holding
 * more saw rows deleted, holding fewer missed a row that committed late.
 */
export async function countObservations(
  db: Executor,
  params: { workspaceId: string; upToSeq?: number },
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(observations)
    .where(
      and(
        eq(observations.workspaceId, params.workspaceId),
        params.upToSeq === undefined ? undefined : lte(observations.seq, params.upToSeq),
      ),
    );
  return Number(row?.n ?? 0);
}

/** Open clusters for the cluster path, most recently active first. */
export async function listSearchClusters(
  db: Executor,
  params: { workspaceId: string; limit: number },
): Promise<Cluster[]> {
  // Awaited here: a drizzle query is a thenable that runs again on every `then`, and callers cache this.
  return await db
    .select()
    .from(clusters)
    .where(and(eq(clusters.workspaceId, params.workspaceId), eq(clusters.status, "open")))
    .orderBy(desc(clusters.lastSeenAt), clusters.id)
    .limit(params.limit);
}

/** A workspace's actors, most active first: the people search names in its context. */
export async function listWorkspaceActors(
  db: Executor,
  params: { workspaceId: string; limit: number },
): Promise<{ id: string; name: string; observationCount: number }[]> {
  return await db
    .select({ id: actors.id, name: actors.name, observationCount: actors.observationCount })
    .from(actors)
    .where(eq(actors.workspaceId, params.workspaceId))
    .orderBy(desc(actors.observationCount), actors.id)
    .limit(params.limit);
}
