import type { SearchExplain, SearchMode, SearchPath } from "@repo/schemas";
import { SEARCH_WEIGHTS } from "./config";
import type { SearchCorpus, SubjectState } from "./corpus";
import { subjectKey } from "./document";
import { type PathHit, stateMatches } from "./paths";
import type { QueryAnalysis } from "./query";

export type PathResults = Partial<Record<SearchPath, readonly PathHit[]>>;

/** One fused candidate: an observation, or an issue/alert with its member observations. */
export interface Ranked {
  key: string;
  /** The best-ranked document for this key on any path: what the result shows. */
  doc: number;
  score: number;
  explain: SearchExplain;
  state?: SubjectState;
}

/** How much each path counts for this query. */
export function pathWeights(analysis: QueryAnalysis): Record<SearchPath, number> {
  const { paths, boosts } = SEARCH_WEIGHTS;
  const exactIdentifier =
    analysis.issueNumbers.length > 0 || analysis.identifiers.some((m) => m.strength >= 0.9);
  const scoped =
    analysis.states.length > 0 && analysis.projects.length + analysis.platforms.length > 0;
  return {
    ...paths,
    entity: paths.entity * (exactIdentifier ? boosts.identifier : scoped ? boosts.scope : 1),
    actor: paths.actor * (analysis.people.length > 0 ? boosts.person : 1),
  };
}

function recencyFactor(occurredAt: string, now: number): number {
  const { ratePerYear, floor } = SEARCH_WEIGHTS.recency;
  const years = Math.max(0, now - Date.parse(occurredAt)) / (365.25 * 24 * 3600_000);
  return Math.max(1 / (1 + ratePerYear * years), floor);
}

/**
 * Weighted reciprocal rank fusion over keys: a path's hits become keys (observation ids, or issue and
 * alert subjects when grouping), each key counted at its best rank on the path.
 */
export function fuse(
  corpus: SearchCorpus,
  results: PathResults,
  analysis: QueryAnalysis,
  options: { groupBy: "entity" | "none"; now: number },
): Ranked[] {
  const weights = pathWeights(analysis);
  const byKey = new Map<string, Ranked & { best: number }>();
  for (const [path, hits] of Object.entries(results) as [SearchPath, PathHit[]][]) {
    let rank = 0;
    const seen = new Set<string>();
    for (const hit of hits) {
      const key =
        options.groupBy === "entity"
          ? subjectKey(corpus.subjectOf(hit.doc))
          : corpus.docs[hit.doc]!.id;
      if (seen.has(key)) continue;
      seen.add(key);
      rank++;
      const contribution = weights[path] / (SEARCH_WEIGHTS.rrfK + rank);
      let entry = byKey.get(key);
      if (!entry) {
        entry = {
          key,
          doc: hit.doc,
          best: contribution,
          score: 0,
          explain: { paths: {}, fused: 0, recency: 1, significance: 1, rerank: {}, final: 0 },
        };
        byKey.set(key, entry);
      } else if (contribution > entry.best) {
        entry.best = contribution;
        entry.doc = hit.doc;
      }
      entry.explain.fused += contribution;
      entry.explain.paths[path] = { rank, score: roundScore(hit.score), matched: hit.matched };
    }
  }
  const { base, span } = SEARCH_WEIGHTS.significance;
  return [...byKey.values()].map(({ best: _best, ...entry }) => {
    const doc = corpus.docs[entry.doc]!;
    entry.explain.recency = roundScore(recencyFactor(doc.occurredAt, options.now));
    entry.explain.significance = roundScore(base + (span * doc.significance) / 100);
    entry.score = entry.explain.fused * entry.explain.recency * entry.explain.significance;
    if (options.groupBy === "entity") {
      const subject = corpus.subjectOf(entry.doc);
      entry.state = corpus.stateOf(subject);
    }
    return entry;
  });
}

/**
 * The balanced reranker: features of what the query asked for, added to the fused score normalised to
 * [0, 1]. Each feature's contribution is kept for `explain`.
 */
export function rerank(
  corpus: SearchCorpus,
  candidates: Ranked[],
  analysis: QueryAnalysis,
  mode: SearchMode,
): Ranked[] {
  let max = Number.MIN_VALUE;
  for (const c of candidates) if (c.score > max) max = c.score;
  const w = SEARCH_WEIGHTS.rerank;
  const queryTerms = new Set(analysis.terms.filter((t) => t.weight >= 1).map((t) => t.term));
  // Documents carrying what the query names exactly, gathered once rather than per candidate.
  const named = new Set<number>();
  for (const m of analysis.identifiers)
    if (m.strength >= 0.9) for (const d of m.entry.docs) named.add(d);
  // And the documents in the thread of a numeric issue id the query gives.
  for (const n of analysis.issueNumbers)
    for (const d of corpus.threadMembers(`issue:${n}`)) named.add(d);
  // Features are computed for the best fused candidates only: far down the list they cannot reach a page.
  const ordered = [...candidates].sort((a, b) => b.score - a.score || b.doc - a.doc);
  ordered.forEach((c, position) => {
    const normalised = c.score / max;
    const features: Record<string, number> = {};
    if (mode !== "fast" && position < SEARCH_WEIGHTS.rerankDepth) {
      const members = c.state?.members ?? [c.doc];
      if (members.some((d) => named.has(d))) {
        features.identifier = w.identifier;
      }
      const title = corpus.titleTerms(c.state?.title ?? corpus.docs[c.doc]!.title);
      if (queryTerms.size > 0) {
        const covered = [...queryTerms].filter((t) => title.has(t)).length;
        if (covered > 0) features.titleCoverage = (w.titleCoverage * covered) / queryTerms.size;
      }
      if (c.state && analysis.states.length > 0 && c.state.subject.type === "issue") {
        features.state = stateMatches(c.state, analysis.states) ? w.stateMatch : w.stateMismatch;
      }
      const scope = analysis.projects.length > 0;
      if (scope) {
        const doc = corpus.docs[c.doc]!;
        const project = c.state?.project ?? (doc.metadata.project as string | undefined) ?? null;
        const inScope = project !== null && analysis.projects.includes(project);
        features.scope = inScope ? w.scopeMatch : w.scopeMismatch;
      }
      if (c.explain.paths.actor) features.actor = w.actor;
      if (analysis.alerts) {
        // A metric alert is the alert itself; an issue only fired one.
        if (c.state?.subject.type === "alert") features.alert = w.alert;
        else if (members.some((d) => corpus.docs[d]!.sourceType.startsWith("event_alert."))) {
          features.alert = w.issueAlerted;
        }
      }
    }
    const total = Object.values(features).reduce((a, b) => a + b, 0);
    c.explain.rerank = Object.fromEntries(
      Object.entries(features).map(([k, v]) => [k, roundScore(v)]),
    );
    c.explain.fused = roundScore(c.explain.fused);
    c.score = normalised + total;
    c.explain.final = roundScore(c.score);
  });
  return ordered.sort((a, b) => b.score - a.score || b.doc - a.doc);
}

/** Scores as the API shows them: four decimals are all a reader or a test can use. */
export function roundScore(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
