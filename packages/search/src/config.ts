import type { SearchPath } from "@repo/schemas";

/**
 * Every weight of ranking in one place. Fusion is weighted reciprocal rank fusion: a path contributes
 * `weight / (rrfK + rank)` per result, and a path's weight grows when the query holds what that path is
 * good at (an identifier for the entity path, a person for the actor path). Values were set on the dev
 * evaluation set (`pnpm eval`) and kept round, to avoid fitting it.
 */
export const SEARCH_WEIGHTS = {
  rrfK: 60,
  paths: {
    vector: 1,
    lexical: 1,
    entity: 1,
    cluster: 0.25,
    actor: 1,
  } satisfies Record<SearchPath, number>,
  /** Multipliers of a path's weight by what the query contains. */
  boosts: {
    /** The query names an identifier exactly (short id, error type, file, issue number). */
    identifier: 3,
    /** The query names a person the workspace knows. */
    person: 2.5,
    /** The query scopes to a project or platform and an issue state. */
    scope: 2,
  },
  /** Onyx's recency factor: max(1 / (1 + rate * age in years), floor). */
  recency: { ratePerYear: 0.5, floor: 0.75 },
  /** Significance prior: base + span * significance / 100. */
  significance: { base: 0.85, span: 0.3 },
  /** Feature reranker (balanced mode), added to the fused score normalised to [0, 1]. */
  rerank: {
    identifier: 1,
    titleCoverage: 0.3,
    stateMatch: 0.35,
    stateMismatch: -0.35,
    scopeMatch: 0.15,
    scopeMismatch: -0.1,
    actor: 0.4,
    alert: 0.3,
    issueAlerted: 0.1,
  },
  /** Per-path candidate depth before fusion. */
  depth: 100,
  /** Fused candidates the balanced reranker scores; the rest keep their fused score. */
  rerankDepth: 300,
} as const;

export type SearchWeights = typeof SEARCH_WEIGHTS;
