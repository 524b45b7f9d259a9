import { push } from "./entity-dictionary";
import { allowedEdits, editDistance, LetterBudget } from "./fuzzy";
import { terms as termsOf } from "./text";

/**
 * BM25F over a few weighted fields, kept in memory and grown incrementally (no rebuild when an observation
 * arrives). Postgres' ts_rank has no IDF and no length normalisation worth the name, which is why this
 * does not live in SQL; see prior-art.md for how far below BM25 ts_rank lands.
 */
export const BM25_FIELDS = ["title", "body", "keys"] as const;
export type Bm25Field = (typeof BM25_FIELDS)[number];

export interface Bm25Options {
  k1: number;
  /** Per field: weight of a match there, and how much its length normalises (b). */
  fields: Record<Bm25Field, { weight: number; b: number }>;
}

export const DEFAULT_BM25: Bm25Options = {
  k1: 1.2,
  fields: {
    title: { weight: 2.5, b: 0.5 },
    body: { weight: 1, b: 0.75 },
    keys: { weight: 1.5, b: 0.3 },
  },
};

/** A growable typed array: postings of a 100k-document corpus stay in tens of megabytes, not hundreds. */
class Growable<T extends Uint32Array | Uint16Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (size: number) => T,
  ) {}

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

const u32 = (n: number) => new Uint32Array(n);
const u16 = (n: number) => new Uint16Array(n);

interface Postings {
  docs: Growable<Uint32Array>;
  /** Term frequency per field, one number per field per posting (capped at 65535). */
  tfs: Growable<Uint16Array>;
}

export interface QueryTerm {
  term: string;
  /** 1 for a word of the query; less for a typo correction or a joined compound. */
  weight: number;
  /** The query word it stands for, when it is a correction. */
  from?: string;
}

export interface Bm25Hit {
  doc: number;
  score: number;
  matched: string[];
}

export class Bm25Index {
  private readonly postings = new Map<string, Postings>();
  private readonly lengths = BM25_FIELDS.map(() => new Growable(u32(1024), u32));
  /** Typo corrections found since the vocabulary last grew: a scan of every term is not cheap. */
  private readonly correctionCache = new Map<string, string[]>();
  /** The vocabulary by term length: a correction only compares terms a few letters longer or shorter. */
  private readonly termsByLength = new Map<number, string[]>();
  /** Score accumulator reused across searches: one slot per document. */
  private scratch = new Float64Array(0);
  private readonly totals = BM25_FIELDS.map(() => 0);
  private count = 0;

  constructor(readonly options: Bm25Options = DEFAULT_BM25) {}

  get size(): number {
    return this.count;
  }

  /** Adds document number `doc` (documents must be added densely: 0, 1, 2, ...). */
  add(doc: number, fields: Record<Bm25Field, string>): void {
    if (doc !== this.count) throw new Error(`BM25 documents must be added in order: ${doc}`);
    this.count++;
    const perTerm = new Map<string, number[]>();
    BM25_FIELDS.forEach((field, f) => {
      const tokens = termsOf(fields[field]);
      this.lengths[f]!.push(Math.min(tokens.length, 0xffffffff));
      this.totals[f]! += tokens.length;
      for (const token of tokens) {
        let tf = perTerm.get(token);
        if (!tf) {
          tf = BM25_FIELDS.map(() => 0);
          perTerm.set(token, tf);
        }
        tf[f]!++;
      }
    });
    for (const [token, tf] of perTerm) {
      let list = this.postings.get(token);
      if (!list) {
        this.correctionCache.clear();
        list = {
          docs: new Growable(u32(2), u32),
          tfs: new Growable(u16(2 * BM25_FIELDS.length), u16),
        };
        this.postings.set(token, list);
        push(this.termsByLength, token.length, token);
      }
      list.docs.push(doc);
      for (const n of tf) list.tfs.push(Math.min(n, 0xffff));
    }
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  documentFrequency(term: string): number {
    return this.postings.get(term)?.docs.length ?? 0;
  }

  /** Robertson-Sparck Jones IDF, floored at a small positive value so common words never subtract. */
  idf(term: string): number {
    const df = this.documentFrequency(term);
    return Math.max(0.01, Math.log(1 + (this.count - df + 0.5) / (df + 0.5)));
  }

  /**
   * The query's terms as the index can use them: each word; a misspelt word (absent from the index)
   * replaced by the indexed words within its edit budget; adjacent words joined when the index knows the
   * compound (`on call` -> `oncall`, `stripe client` -> `stripe-client`).
   */
  expand(query: string): QueryTerm[] {
    const base = termsOf(query);
    const out = new Map<string, QueryTerm>();
    const add = (t: QueryTerm) => {
      const existing = out.get(t.term);
      if (!existing || existing.weight < t.weight) out.set(t.term, t);
    };
    for (const term of base) {
      if (this.postings.has(term) || /\d/.test(term)) {
        add({ term, weight: 1 });
        continue;
      }
      for (const match of this.corrections(term)) add({ term: match, weight: 0.8, from: term });
    }
    // Stop words stay in for joining: `on call` is how people write `oncall`.
    const all = termsOf(query, { keepStopWords: true });
    for (let i = 0; i + 1 < all.length; i++) {
      for (const glue of ["", "-", "_", "."]) {
        const joined = `${all[i]}${glue}${all[i + 1]}`;
        if (this.postings.has(joined)) add({ term: joined, weight: 1 });
      }
    }
    return [...out.values()];
  }

  private corrections(term: string): string[] {
    const cached = this.correctionCache.get(term);
    if (cached) return cached;
    const found = this.findCorrections(term);
    this.correctionCache.set(term, found);
    return found;
  }

  private findCorrections(term: string): string[] {
    const budget = allowedEdits(term.length);
    if (budget === 0) return [];
    let best = budget + 1;
    let matches: string[] = [];
    const letters = new LetterBudget(term);
    for (let length = term.length - budget; length <= term.length + budget; length++) {
      for (const candidate of this.termsByLength.get(length) ?? []) {
        // Most of a large vocabulary differs in more letters than the budget: no alignment needed.
        if (!letters.within(candidate, Math.min(best, budget))) continue;
        const d = editDistance(term, candidate, budget);
        if (d < best) {
          best = d;
          matches = [candidate];
        } else if (d === best) matches.push(candidate);
      }
    }
    return best <= budget ? matches.slice(0, 5) : [];
  }

  search(
    query: readonly QueryTerm[],
    options: { limit: number; accept?: (doc: number) => boolean },
  ): Bm25Hit[] {
    const { k1, fields } = this.options;
    const F = BM25_FIELDS.length;
    const averages = this.totals.map((total) => (this.count === 0 ? 1 : total / this.count || 1));
    const weights = BM25_FIELDS.map((f) => fields[f].weight);
    const bs = BM25_FIELDS.map((f) => fields[f].b);
    if (this.scratch.length < this.count) this.scratch = new Float64Array(this.count * 2);
    const scores = this.scratch;
    const touched: number[] = [];
    const used: { term: string; list: Postings }[] = [];
    for (const { term, weight } of query) {
      const list = this.postings.get(term);
      if (!list) continue;
      used.push({ term, list });
      const idf = this.idf(term) * weight;
      const docs = list.docs.data;
      const tfs = list.tfs.data;
      for (let p = 0; p < list.docs.length; p++) {
        const doc = docs[p]!;
        let tf = 0;
        for (let f = 0; f < F; f++) {
          const raw = tfs[p * F + f]!;
          if (raw === 0) continue;
          const b = bs[f]!;
          tf += (weights[f]! * raw) / (1 - b + (b * this.lengths[f]!.data[doc]!) / averages[f]!);
        }
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += (idf * tf * (k1 + 1)) / (k1 + tf);
      }
    }
    const best = topK(touched, scores, options.limit, options.accept);
    for (const doc of touched) scores[doc] = 0;
    return best.map(({ doc, score }) => ({
      doc,
      score,
      matched: used.filter(({ list }) => contains(list.docs, doc)).map(({ term }) => term),
    }));
  }
}

/** The `limit` best accepted documents, best first, ties by document number: a bounded min-heap. */
function topK(
  candidates: readonly number[],
  scores: Float64Array,
  limit: number,
  accept?: (doc: number) => boolean,
): { doc: number; score: number }[] {
  const heap: { doc: number; score: number }[] = [];
  const worse = (a: { doc: number; score: number }, b: { doc: number; score: number }) =>
    a.score < b.score || (a.score === b.score && a.doc > b.doc);
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (const doc of candidates) {
    const entry = { doc, score: scores[doc]! };
    if (heap.length === limit && !worse(heap[0]!, entry)) continue;
    if (accept && !accept(doc)) continue;
    if (heap.length < limit) {
      heap.push(entry);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else {
      heap[0] = entry;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => b.score - a.score || a.doc - b.doc);
}

/** Postings are in document order, so membership is a binary search. */
function contains(docs: Growable<Uint32Array>, doc: number): boolean {
  let lo = 0;
  let hi = docs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const value = docs.data[mid]!;
    if (value === doc) return true;
    if (value < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
