import { type Cluster, type Executor, listSearchClusters } from "@db/console";
import { cosineSimilarity } from "@repo/embeddings";
import { type PathHit, roundScore, type SearchCorpus } from "@repo/search";
import { parseVectorId, type VectorFilter, type VectorStore } from "@repo/vectors";
import { PerCorpusState } from "./corpus-cache";
import type { VectorMemory } from "./vector-memory";

/** The most view vectors one search reads from the store while looking for filtered matches. */
const MAX_VECTOR_CANDIDATES = 20_000;

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
  /** What of the request's filters the store can apply itself (its metadata carries these fields). */
  filter?: VectorFilter | undefined;
  /** Whether the request filters at all: only the store applies filters during its scan. */
  filtered: boolean;
  /** The in-memory copy of large workspaces' vectors, when the store can be copied. */
  memory?: VectorMemory | undefined;
  limit: number;
}): Promise<PathHit[]> {
  const best = new Map<number, PathHit>();
  if (params.memory && !params.filtered) {
    // Up to three views per document: enough rows for `limit` documents at their best view.
    const hits = await params.memory.search(
      params.workspaceId,
      params.corpus,
      params.queryVector,
      params.limit * 3,
    );
    if (hits) {
      for (const hit of hits) {
        if (!params.accept(hit.doc) || best.has(hit.doc)) continue;
        best.set(hit.doc, { doc: hit.doc, score: hit.score, matched: `view:${hit.view}` });
      }
      return [...best.values()].slice(0, params.limit);
    }
  }
  // Filters the store cannot apply are applied afterwards, so a selective one (a date range, a project)
  // could leave nothing of the nearest few hundred: ask for more until enough pass or nothing is left.
  for (let topK = params.limit * 3; ; topK *= 4) {
    const matches = await params.vectors.query(params.workspaceId, {
      vector: params.queryVector,
      topK,
      ...(params.filter ? { filter: params.filter } : {}),
      // The deterministic id names the observation and view; the metadata would be sent and dropped.
      includeMetadata: false,
    });
    for (const match of matches) {
      const named = parseVectorId(match.id);
      if (!named) continue;
      // The namespace is the workspace; the corpus, filled only from this workspace's rows, is a second
      // guard: a match it does not know is never returned.
      const doc = params.corpus.indexOf(named.observationId);
      if (doc === undefined || !params.accept(doc)) continue;
      const prior = best.get(doc);
      if (!prior || prior.score < match.score) {
        best.set(doc, { doc, score: match.score, matched: `view:${named.view}` });
      }
    }
    if (best.size >= params.limit || matches.length < topK || topK >= MAX_VECTOR_CANDIDATES) break;
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

/** Open clusters with their centroids, read once per corpus state. */
const clusterRows = new PerCorpusState<Cluster[]>();

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
  const rows = await clusterRows.get(params.corpus, () =>
    listSearchClusters(params.db, { workspaceId: params.workspaceId, limit: CLUSTERS_CONSIDERED }),
  );
  const near = rows
    .filter((c) => c.centroid.length === params.queryVector.length)
    .map((c) => ({ cluster: c, score: cosineSimilarity(c.centroid, params.queryVector) }))
    .filter((c) => c.score >= CLUSTER_MIN_SIMILARITY)
    .sort((a, b) => b.score - a.score)
    .slice(0, CLUSTERS_USED);
  const hits: PathHit[] = [];
  for (const { cluster, score } of near) {
    for (const n of params.corpus.membersOfCluster(cluster.id)) {
      if (!params.accept(n)) continue;
      const doc = params.corpus.docs[n]!;
      hits.push({ doc: n, score: score * (0.5 + doc.significance / 200), matched: cluster.id });
    }
  }
  return {
    hits: hits.sort((a, b) => b.score - a.score).slice(0, params.limit),
    clusters: near.map(({ cluster, score }) => ({
      id: cluster.id,
      label: cluster.label,
      observationCount: cluster.observationCount,
      score: roundScore(score),
    })),
  };
}
