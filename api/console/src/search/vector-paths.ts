import { type Executor, listSearchClusters } from "@db/console";
import { cosineSimilarity } from "@repo/embeddings";
import type { PathHit, SearchCorpus } from "@repo/search";
import type { VectorStore } from "@repo/vectors";

/**
 * Vector path: the query's embedding against every view (title, content, summary) of the workspace's
 * observations; an observation counts once, at its best view. Over-fetches so that hard filters applied
 * afterwards still leave enough.
 */
export async function vectorPath(params: {
  vectors: VectorStore;
  workspaceId: string;
  corpus: SearchCorpus;
  queryVector: number[];
  accept: (doc: number) => boolean;
  limit: number;
}): Promise<PathHit[]> {
  const matches = await params.vectors.query(params.workspaceId, {
    vector: params.queryVector,
    topK: params.limit * 3,
  });
  const best = new Map<number, PathHit>();
  for (const match of matches) {
    const observationId = match.metadata.observationId;
    if (typeof observationId !== "string") continue;
    // The namespace is the workspace; the corpus, filled only from this workspace's rows, is a second
    // guard: a match it does not know is never returned.
    const doc = params.corpus.indexOf(observationId);
    if (doc === undefined || !params.accept(doc)) continue;
    const prior = best.get(doc);
    if (!prior || prior.score < match.score) {
      best.set(doc, { doc, score: match.score, matched: `view:${String(match.metadata.view)}` });
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score).slice(0, params.limit);
}

export interface ClusterContext {
  id: string;
  label: string;
  observationCount: number;
  score: number;
}

/** A cluster is near a query when its centroid is at least this similar to the query's embedding. */
const CLUSTER_MIN_SIMILARITY = 0.3;
const CLUSTERS_CONSIDERED = 500;
const CLUSTERS_USED = 3;

/**
 * Cluster path: the open clusters whose centroid is nearest the query, as context for the answer and as a
 * boost for their members (most significant first).
 */
export async function clusterPath(params: {
  db: Executor;
  workspaceId: string;
  corpus: SearchCorpus;
  queryVector: number[];
  accept: (doc: number) => boolean;
  limit: number;
}): Promise<{ hits: PathHit[]; clusters: ClusterContext[] }> {
  const rows = await listSearchClusters(params.db, {
    workspaceId: params.workspaceId,
    limit: CLUSTERS_CONSIDERED,
  });
  const near = rows
    .filter((c) => c.centroid.length === params.queryVector.length)
    .map((c) => ({ cluster: c, score: cosineSimilarity(c.centroid, params.queryVector) }))
    .filter((c) => c.score >= CLUSTER_MIN_SIMILARITY)
    .sort((a, b) => b.score - a.score)
    .slice(0, CLUSTERS_USED);
  const rank = new Map(near.map((c, i) => [c.cluster.id, { i, score: c.score }]));
  const hits: PathHit[] = [];
  params.corpus.docs.forEach((doc, n) => {
    const r = doc.clusterId ? rank.get(doc.clusterId) : undefined;
    if (r && params.accept(n)) {
      hits.push({
        doc: n,
        score: r.score * (0.5 + doc.significance / 200),
        matched: doc.clusterId!,
      });
    }
  });
  return {
    hits: hits.sort((a, b) => b.score - a.score).slice(0, params.limit),
    clusters: near.map(({ cluster, score }) => ({
      id: cluster.id,
      label: cluster.label,
      observationCount: cluster.observationCount,
      score: Math.round(score * 10_000) / 10_000,
    })),
  };
}
