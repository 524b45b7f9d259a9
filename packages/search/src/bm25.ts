import { allowedEdits, editDistance } from "./fuzzy";
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

interface Postings {
  docs: number[];
  /** Term frequency per field, three numbers per posting. */
  tfs: number[];
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
  private readonly lengths: number[][] = BM25_FIELDS.map(() => []);
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
      this.lengths[f]!.push(tokens.length);
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
        list = { docs: [], tfs: [] };
        this.postings.set(token, list);
      }
      list.docs.push(doc);
      list.tfs.push(...tf);
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
    for (let i = 0; i + 1 < base.length; i++) {
      for (const glue of ["", "-", "_", "."]) {
        const joined = `${base[i]}${glue}${base[i + 1]}`;
        if (this.postings.has(joined)) add({ term: joined, weight: 1 });
      }
    }
    return [...out.values()];
  }

  private corrections(term: string): string[] {
    const budget = allowedEdits(term.length);
    if (budget === 0) return [];
    let best = budget + 1;
    let matches: string[] = [];
    for (const candidate of this.postings.keys()) {
      if (Math.abs(candidate.length - term.length) > budget) continue;
      const d = editDistance(term, candidate, budget);
      if (d < best) {
        best = d;
        matches = [candidate];
      } else if (d === best) matches.push(candidate);
    }
    return best <= budget ? matches.slice(0, 5) : [];
  }

  search(
    query: readonly QueryTerm[],
    options: { limit: number; accept?: (doc: number) => boolean },
  ): Bm25Hit[] {
    const { k1, fields } = this.options;
    const averages = this.totals.map((total) => (this.count === 0 ? 1 : total / this.count || 1));
    const scores = new Map<number, { score: number; matched: string[] }>();
    for (const { term, weight } of query) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term) * weight;
      for (let p = 0; p < list.docs.length; p++) {
        const doc = list.docs[p]!;
        if (options.accept && !options.accept(doc)) continue;
        let tf = 0;
        BM25_FIELDS.forEach((field, f) => {
          const raw = list.tfs[p * BM25_FIELDS.length + f]!;
          if (raw === 0) return;
          const { weight: w, b } = fields[field];
          tf += (w * raw) / (1 - b + (b * this.lengths[f]![doc]!) / averages[f]!);
        });
        const contribution = (idf * tf * (k1 + 1)) / (k1 + tf);
        const entry = scores.get(doc);
        if (entry) {
          entry.score += contribution;
          entry.matched.push(term);
        } else scores.set(doc, { score: contribution, matched: [term] });
      }
    }
    return [...scores]
      .map(([doc, { score, matched }]) => ({ doc, score, matched }))
      .sort((a, b) => b.score - a.score || a.doc - b.doc)
      .slice(0, options.limit);
  }
}
