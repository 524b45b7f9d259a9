import { metaString } from "@repo/observations";
import type { SearchCorpus, SubjectState } from "./corpus";
import { type Subject, subjectKey } from "./document";
import type { QueryAnalysis, WantedState } from "./query";

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
  const scores: Scores = new Map();
  const credit = (doc: number, score: number, matched: string) => {
    if (accept(doc)) addScore(scores, doc, score, matched);
  };
  const total = Math.max(corpus.size, 1);
  for (const match of analysis.identifiers) {
    const { entry } = match;
    const rarity = Math.log(1 + total / entry.docs.length) / Math.log(1 + total);
    const score = match.strength * (CATEGORY_WEIGHT[entry.category] ?? 1) * (0.5 + rarity);
    for (const doc of entry.docs) credit(doc, score, `${entry.category}:${entry.key}`);
  }
  for (const number of analysis.issueNumbers) {
    const subject: Subject = { type: "issue", id: number };
    const members = corpus.membersOf(subject);
    for (const doc of members) credit(doc, 3, `issue:${number}`);
  }
  return ranked(corpus, scores, limit);
};

/**
 * Actor path: what the people the query names did, in the role it asks about: issues they are assigned
 * now, issues they resolved, comments they wrote, or (no role) anything they touched.
 */
export const actorPath: CorpusPath = (corpus, analysis, accept, limit) => {
  const scores: Scores = new Map();
  for (const { person, role } of analysis.people) {
    for (const doc of person.docs) {
      if (!accept(doc)) continue;
      const d = corpus.docs[doc]!;
      const byThem = d.actor !== null && d.actor.name === person.name;
      let score = 0;
      switch (role) {
        case "commenter":
          score = byThem && d.sourceType.startsWith("comment.") ? 1 : 0;
          break;
        case "resolver":
          score = byThem && d.sourceType.endsWith(".resolved") ? 1 : 0;
          break;
        case "assignee": {
          score = corpus.stateOf(corpus.subjectOf(doc)).assignee === person.name ? 1 : 0;
          break;
        }
        case "any":
          score = byThem ? 1 : metaString(d, "assigneeName") === person.name ? 0.8 : 0;
          break;
        default: {
          const unknown: never = role;
          throw new Error(`unknown role ${String(unknown)}`);
        }
      }
      if (score > 0) addScore(scores, doc, score, `${person.name} (${role})`);
    }
  }
  return ranked(corpus, scores, limit);
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
  const scores: Scores = new Map();
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
      const d = corpus.docs[latest]!;
      scores.set(latest, { score: d.significance / 100, matched: [`${project}:${state.state}`] });
    }
  }
  return ranked(corpus, scores, limit);
};

/** Per document: its summed score and what matched. */
type Scores = Map<number, { score: number; matched: string[] }>;

function addScore(scores: Scores, doc: number, score: number, matched: string): void {
  const entry = scores.get(doc);
  if (entry) {
    entry.score += score;
    entry.matched.push(matched);
  } else scores.set(doc, { score, matched: [matched] });
}

function ranked(corpus: SearchCorpus, scores: Scores, limit: number): PathHit[] {
  // Best first: score, then significance, then the later document.
  const before = (a: number, b: number) => {
    const x = scores.get(a)!.score;
    const y = scores.get(b)!.score;
    if (x !== y) return x > y;
    const sa = corpus.docs[a]!.significance;
    const sb = corpus.docs[b]!.significance;
    return sa !== sb ? sa > sb : a > b;
  };
  return topK([...scores.keys()], limit, before).map((doc) => {
    const { score, matched } = scores.get(doc)!;
    return { doc, score, matched: [...new Set(matched)].join(", ") };
  });
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
