import { metaString } from "@repo/observations";
import type { Person, SearchCorpus, SubjectState } from "./corpus";
import { subjectKey } from "./document";
import type { ActorRole, QueryAnalysis, WantedState } from "./query";

/**
 * The retrieval paths that run over the in-memory corpus. Each returns documents best first with a score
 * and what matched; the vector and cluster paths, which need the embedder and the stores, live with the
 * service. `accept` applies the request's filters.
 */
export interface PathHit {
  doc: number;
  score: number;
  matched: string;
}

type Accept = (doc: number) => boolean;

/** A path over the in-memory corpus: the documents it finds for an analysed query, best first. */
export type CorpusPath = (
  corpus: SearchCorpus,
  analysis: QueryAnalysis,
  accept: Accept,
  limit: number,
) => PathHit[];

/** Short ids outrank error types and files, which outrank functions and the rest: how much each identifies. */
const CATEGORY_WEIGHT: Record<string, number> = {
  short_id: 3,
  error_type: 1.5,
  file: 1.5,
  function: 1.3,
  endpoint: 1.3,
  env_var: 1.2,
  commit: 2,
  release: 1,
  handle: 1,
  email: 1,
};

/**
 * Entity path: documents carrying an entity the query names (exactly, by file name, or fuzzily), and
 * Sentry's numeric issue ids. A document carrying several named entities ranks above one carrying one;
 * rare entities count for more than common ones.
 */
export const entityPath: CorpusPath = (corpus, analysis, accept, limit) => {
  const tally = new Tally(corpus.size);
  const total = Math.max(corpus.size, 1);
  const scoreOf = (match: QueryAnalysis["identifiers"][number]) => {
    const { entry } = match;
    const rarity = Math.log(1 + total / entry.docs.length) / Math.log(1 + total);
    return match.strength * (CATEGORY_WEIGHT[entry.category] ?? 1) * (0.5 + rarity);
  };
  for (const match of analysis.identifiers) {
    const score = scoreOf(match);
    for (const doc of match.entry.docs) if (accept(doc)) tally.add(doc, score);
  }
  const issues = analysis.issueNumbers.map((number) => ({
    number,
    members: corpus.membersOf({ type: "issue", id: number }),
  }));
  for (const { members } of issues) for (const doc of members) if (accept(doc)) tally.add(doc, 3);
  // What matched is spelled out for the few documents kept, not for every one counted.
  return tally.best(corpus, limit, (doc) => [
    ...analysis.identifiers
      .filter((m) => sortedIncludes(m.entry.docs, doc))
      .map((m) => `${m.entry.category}:${m.entry.key}`),
    ...issues.filter((i) => sortedIncludes(i.members, doc)).map((i) => `issue:${i.number}`),
  ]);
};

/**
 * Actor path: what the people the query names did, in the role it asks about: issues they are assigned
 * now, issues they resolved, comments they wrote, or (no role) anything they touched.
 */
export const actorPath: CorpusPath = (corpus, analysis, accept, limit) => {
  const tally = new Tally(corpus.size);
  const scoreOf = (person: Person, role: ActorRole, doc: number): number => {
    const d = corpus.docs[doc]!;
    const byThem = d.actor !== null && d.actor.name === person.name;
    switch (role) {
      case "commenter":
        return byThem && d.sourceType.startsWith("comment.") ? 1 : 0;
      case "resolver":
        return byThem && d.sourceType.endsWith(".resolved") ? 1 : 0;
      case "assignee":
        return corpus.stateOf(corpus.subjectOf(doc)).assignee === person.name ? 1 : 0;
      case "any":
        return byThem ? 1 : metaString(d, "assigneeName") === person.name ? 0.8 : 0;
      default: {
        const unknown: never = role;
        throw new Error(`unknown role ${String(unknown)}`);
      }
    }
  };
  for (const { person, role } of analysis.people) {
    for (const doc of person.docs) {
      if (!accept(doc)) continue;
      const score = scoreOf(person, role, doc);
      if (score > 0) tally.add(doc, score);
    }
  }
  return tally.best(corpus, limit, (doc) =>
    analysis.people
      .filter(
        ({ person, role }) => sortedIncludes(person.docs, doc) && scoreOf(person, role, doc) > 0,
      )
      .map(({ person, role }) => `${person.name} (${role})`),
  );
};

/** Whether an issue's current state is one the query asks for. */
export function stateMatches(state: SubjectState, wanted: readonly WantedState[]): boolean {
  if (state.subject.type !== "issue") return false;
  return wanted.some((w) =>
    w === "unassigned"
      ? state.assignee === null && state.state === "unresolved"
      : state.state === w,
  );
}

/**
 * Scope: when a query names projects or platforms together with issue states ("ignored issues in
 * search-service", "what got fixed in inventory sync"), the issues in that scope and state, most
 * significant first. A scope without a state is too broad to be a path and is left to the reranker.
 */
export const scopePath: CorpusPath = (corpus, analysis, accept, limit) => {
  if (analysis.states.length === 0 || analysis.projects.length === 0) return [];
  const tally = new Tally(corpus.size);
  const labels = new Map<number, string>();
  const seen = new Set<string>();
  for (const project of analysis.projects) {
    for (const subject of corpus.subjectsIn(project)) {
      // An issue first listed by numeric id resolves to its short id once its issue event arrived.
      const first = corpus.membersOf(subject)[0];
      if (first === undefined) continue;
      const state = corpus.stateOf(subject.type === "issue" ? corpus.subjectOf(first) : subject);
      const key = subjectKey(state.subject);
      if (seen.has(key) || !stateMatches(state, analysis.states)) continue;
      seen.add(key);
      const latest = [...state.members].reverse().find((doc) => accept(doc));
      if (latest === undefined) continue;
      tally.add(latest, corpus.docs[latest]!.significance / 100);
      labels.set(latest, `${project}:${state.state}`);
    }
  }
  return tally.best(corpus, limit, (doc) => [labels.get(doc)!]);
};

/**
 * Scores summed per document in a typed array, for paths that may touch every document of the corpus (an
 * error type, a busy person): no object per document, and only the kept ones are sorted.
 */
class Tally {
  private readonly scores: Float64Array;
  private readonly counted: Uint8Array;
  private readonly touched: number[] = [];

  constructor(size: number) {
    this.scores = new Float64Array(size);
    this.counted = new Uint8Array(size);
  }

  add(doc: number, score: number): void {
    if (this.counted[doc] === 0) {
      this.counted[doc] = 1;
      this.touched.push(doc);
    }
    this.scores[doc]! += score;
  }

  best(corpus: SearchCorpus, limit: number, matched: (doc: number) => string[]): PathHit[] {
    const scores = this.scores;
    const before = (a: number, b: number) => {
      if (scores[a] !== scores[b]) return scores[a]! > scores[b]!;
      const sa = corpus.docs[a]!.significance;
      const sb = corpus.docs[b]!.significance;
      return sa !== sb ? sa > sb : a > b;
    };
    return topK(this.touched, limit, before).map((doc) => ({
      doc,
      score: scores[doc]!,
      matched: [...new Set(matched(doc))].join(", "),
    }));
  }
}

/** Whether an ascending list holds a value (document lists are kept in capture order). */
function sortedIncludes(list: readonly number[], value: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = list[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * The `limit` best of `items`, best first, by a bounded heap: an error type or a project can name tens of
 * thousands of documents, and sorting them all to keep a hundred cost more than the rest of a search.
 */
export function topK<T>(items: readonly T[], limit: number, before: (a: T, b: T) => boolean): T[] {
  if (limit <= 0) return [];
  // A heap whose root is the worst kept item.
  const heap: T[] = [];
  const worse = (i: number, j: number) => before(heap[j]!, heap[i]!);
  const swap = (i: number, j: number) => {
    const t = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = t;
  };
  for (const item of items) {
    if (heap.length < limit) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!worse(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (before(item, heap[0]!)) {
      heap[0] = item;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && worse(right, left) ? right : left;
        if (!worse(child, i)) break;
        swap(child, i);
        i = child;
      }
    }
  }
  return heap.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
}
