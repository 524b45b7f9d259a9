import { listWorkspaceActors } from "@db/console";
import type { EmbeddingProvider } from "@repo/embeddings";
import type { SearchLatency, SearchPath, SearchRequest, SearchResponse } from "@repo/schemas";
import {
  acceptFilter,
  actorPath,
  analyzeQuery,
  entityPath,
  fuse,
  type PathHit,
  type PathResults,
  type Ranked,
  rerank,
  roundScore,
  SEARCH_WEIGHTS,
  type SearchCorpus,
  scopePath,
  toResult,
} from "@repo/search";
import type { VectorFilter } from "@repo/vectors";
import type { WorkflowDeps } from "../workflows/types";
import type { Corpora } from "./corpora";
import { PerCorpusState } from "./corpus-cache";
import { JUDGE_WEIGHT, JUDGED_CANDIDATES, type Judge } from "./judge";
import type { VectorMemory } from "./vector-memory";
import { type ClusterContext, clusterPath, vectorPath } from "./vector-paths";

/** Enough people for any workspace's context. */
const ACTORS_KEPT = 5000;
const actorRows = new PerCorpusState<SearchResponse["context"]["relevantActors"]>();

/** Each path answers within its budget or is reported as timed out; the others still answer. */
const PATH_TIMEOUT_MS: Record<SearchPath, number> = {
  vector: 3000,
  entity: 1000,
  lexical: 1000,
  cluster: 3000,
  actor: 1000,
};

export interface SearchDeps extends WorkflowDeps {
  corpora: Corpora;
  embeddings: EmbeddingProvider;
  /** In-memory copies of large workspaces' vectors (the embedded default); else the store answers. */
  memory?: VectorMemory | undefined;
  /** The thorough mode's judge, when an OpenAI key is configured. */
  judge?: Judge | undefined;
}

type PathOutcome =
  | { status: "ok"; hits: PathHit[]; ms: number }
  | { status: "error" | "timeout"; error: string; ms: number };

async function timed(path: SearchPath, run: () => Promise<PathHit[]>): Promise<PathOutcome> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), PATH_TIMEOUT_MS[path]);
  });
  try {
    const outcome = await Promise.race([run(), timeout]);
    const ms = performance.now() - started;
    if (outcome === "timeout") {
      return { status: "timeout", error: `no answer within ${PATH_TIMEOUT_MS[path]} ms`, ms };
    }
    return { status: "ok", hits: outcome, ms };
  } catch (error) {
    // A failing path is reported, never fatal: the message names the failure, never a secret.
    const message = error instanceof Error ? error.message : String(error);
    return { status: "error", error: message.slice(0, 200), ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

const ms = (n: number) => Math.round(n * 100) / 100;

/**
 * Runs one search for one workspace: the five paths in parallel, weighted fusion, the reranker of the
 * mode, grouping, then the response. The workspace comes from the caller's verified API key only.
 */
export async function runSearch(
  deps: SearchDeps,
  params: { workspaceId: string; request: SearchRequest; requestId: string; authMs: number },
): Promise<SearchResponse> {
  const started = performance.now();
  const { request, workspaceId } = params;
  const corpus = await deps.corpora.get(workspaceId);
  const analysis = analyzeQuery(corpus, request.query);
  const accept = acceptFilter(corpus, request.filters);
  const depth = SEARCH_WEIGHTS.depth;

  let embeddingMs = 0;
  const queryVector = (async () => {
    const t = performance.now();
    try {
      const [vector] = await deps.embeddings.embed([request.query], "query");
      return vector!;
    } finally {
      embeddingMs = performance.now() - t;
    }
  })();
  // Both vector-backed paths wait on one embedding; a failed embedding fails both, and only them.
  queryVector.catch(() => {});
  // The corpus paths are synchronous work on this thread. They start on the next turn, so that the vector
  // path can hand its query to the vector-copy thread first (an embedding already computed resolves in
  // microtasks) and both run at once, instead of the copy waiting for this thread to finish them.
  const corpusTurn = new Promise<void>((resolve) => setImmediate(resolve));
  let clusters: ClusterContext[] = [];
  const [vector, entity, lexical, cluster, actor] = await Promise.all([
    timed("vector", async () =>
      vectorPath({
        vectors: deps.vectors,
        workspaceId,
        corpus,
        queryVector: await queryVector,
        accept,
        filter: storeFilter(request.filters),
        filtered: isFiltered(request.filters),
        memory: deps.memory,
        limit: depth,
      }),
    ),
    timed("entity", async () => {
      await corpusTurn;
      const exact = entityPath(corpus, analysis, accept, depth);
      const seen = new Set(exact.map((h) => h.doc));
      return [
        ...exact,
        ...scopePath(corpus, analysis, accept, depth).filter((h) => !seen.has(h.doc)),
      ];
    }),
    timed("lexical", async () => {
      await corpusTurn;
      return corpus.lexical
        .search(analysis.terms, { limit: depth, accept })
        .map((h) => ({ doc: h.doc, score: h.score, matched: h.matched.join(" ") }));
    }),
    timed("cluster", async () => {
      const found = await clusterPath({
        db: deps.db,
        workspaceId,
        corpus,
        queryVector: await queryVector,
        accept,
        limit: depth,
      });
      clusters = found.clusters;
      return found.hits;
    }),
    timed("actor", async () => {
      await corpusTurn;
      return actorPath(corpus, analysis, accept, depth);
    }),
  ]);
  const outcomes = { vector, entity, lexical, cluster, actor } satisfies Record<
    SearchPath,
    PathOutcome
  >;

  const fuseStarted = performance.now();
  const results: PathResults = {};
  for (const [path, outcome] of Object.entries(outcomes) as [SearchPath, PathOutcome][]) {
    if (outcome.status === "ok") results[path] = outcome.hits;
  }
  const fused = fuse(corpus, results, analysis, { groupBy: request.groupBy, now: Date.now() });
  const fuseMs = performance.now() - fuseStarted;

  const rerankStarted = performance.now();
  let ranked = rerank(corpus, fused, analysis, request.mode === "fast" ? "fast" : "balanced");
  // `thorough` asks for the judge; without one, or when it fails, the balanced ranking stands, and
  // meta.mode says which ran.
  let mode: SearchResponse["meta"]["mode"] = request.mode === "fast" ? "fast" : "balanced";
  if (request.mode === "thorough" && deps.judge) {
    const judged = await judgeRanking(deps.judge, corpus, request.query, ranked);
    if (judged) {
      ranked = judged;
      mode = "thorough";
    }
  }
  const rerankMs = performance.now() - rerankStarted;

  const enrichStarted = performance.now();
  const page = ranked.slice(request.offset, request.offset + request.limit);
  const queryTerms = new Set(analysis.terms.map((t) => t.term));
  const data = page.map((r) =>
    toResult(corpus, r, {
      queryTerms,
      highlights: request.includeHighlights,
      explain: request.explain,
    }),
  );
  let relevantActors: SearchResponse["context"]["relevantActors"] = [];
  if (request.includeContext) {
    const actorIds = new Set<string>();
    for (const r of page) {
      const actorId = corpus.docs[r.doc]!.actor?.id;
      if (actorId) actorIds.add(actorId);
    }
    const known = await actorRows.get(corpus, () =>
      listWorkspaceActors(deps.db, { workspaceId, limit: ACTORS_KEPT }),
    );
    relevantActors = known.filter((a) => actorIds.has(a.id));
  }
  const enrichMs = performance.now() - enrichStarted;

  const latency: SearchLatency = {
    auth: ms(params.authMs),
    embedding: ms(embeddingMs),
    vector: ms(vector.ms),
    entity: ms(entity.ms),
    lexical: ms(lexical.ms),
    cluster: ms(cluster.ms),
    actor: ms(actor.ms),
    fuse: ms(fuseMs),
    rerank: ms(rerankMs),
    enrich: ms(enrichMs),
    total: ms(params.authMs + performance.now() - started),
  };
  return {
    data,
    context: {
      clusters: request.includeContext ? clusters : [],
      relevantActors,
    },
    meta: {
      total: ranked.length,
      limit: request.limit,
      offset: request.offset,
      took: latency.total,
      mode,
      paths: Object.fromEntries(
        Object.entries(outcomes).map(([path, o]) => [
          path,
          o.status === "ok"
            ? { status: "ok", hits: o.hits.length }
            : { status: o.status, hits: 0, error: o.error },
        ]),
      ) as SearchResponse["meta"]["paths"],
    },
    latency,
    requestId: params.requestId,
  };
}

/**
 * Blends the judge's verdict on the best balanced candidates with their balanced score (both in [0, 1]);
 * candidates past what the judge read keep their balanced score at the same weight, below the judged.
 * Undefined when the judge fails: a thorough search then answers as balanced.
 */
async function judgeRanking(
  judge: Judge,
  corpus: SearchCorpus,
  query: string,
  ranked: Ranked[],
): Promise<Ranked[] | undefined> {
  const top = ranked.slice(0, JUDGED_CANDIDATES);
  const max = Math.max(...top.map((r) => r.score), Number.MIN_VALUE);
  let verdict: Map<string, number>;
  try {
    verdict = await judge.judge(
      query,
      top.map((r) => ({
        key: r.key,
        title: r.state?.title ?? corpus.docs[r.doc]!.title,
        snippet: corpus.docs[r.doc]!.snippet,
      })),
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.warn(`[search] judge failed, answering balanced: ${reason.split("\n")[0]}`);
    return undefined;
  }
  for (const r of ranked) {
    const judged = verdict.get(r.key);
    const balanced = (1 - JUDGE_WEIGHT) * (r.score / max);
    r.score = judged === undefined ? balanced : balanced + JUDGE_WEIGHT * judged;
    if (judged !== undefined) r.explain.rerank.judge = roundScore(judged);
    r.explain.final = roundScore(r.score);
  }
  return ranked.sort((a, b) => b.score - a.score || b.doc - a.doc);
}

/** The request's filters that vector metadata carries, for the store to apply before ranking. */
function isFiltered(filters: SearchRequest["filters"]): boolean {
  return Object.values(filters).some(
    (value) => value !== undefined && !(Array.isArray(value) && value.length === 0),
  );
}

function storeFilter(filters: SearchRequest["filters"]): VectorFilter | undefined {
  const filter: VectorFilter = {};
  if (filters.sourceTypes?.length) filter.sourceType = { $in: filters.sourceTypes };
  if (filters.observationTypes?.length) filter.observationType = { $in: filters.observationTypes };
  return Object.keys(filter).length > 0 ? filter : undefined;
}
