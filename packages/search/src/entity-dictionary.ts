import { trigrams } from "./fuzzy";

/**
 * Every entity key a workspace has seen, with the documents that carry it, looked up exactly (case
 * folded), by file name, and fuzzily through a trigram index (so `paymnets-api-1f` finds `PAYMENTS-API-1F`).
 */
/** Appends to the list under a key, creating it: the shape of every index here. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export interface EntityEntry {
  category: string;
  key: string;
  docs: number[];
}

export interface EntityMatch {
  entry: EntityEntry;
  /** What in the query matched. */
  candidate: string;
  how: "exact" | "file" | "fuzzy";
  /** 1 for exact, lower for a file name or a fuzzy match. */
  strength: number;
}

/** Categories worth matching fuzzily: identifiers people type from memory and misspell. */
const FUZZY_CATEGORIES = new Set(["short_id", "error_type", "file", "function"]);
const FUZZY_MIN_SIMILARITY = 0.5;

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function withoutExtension(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

export class EntityDictionary {
  private readonly entries = new Map<string, EntityEntry>();
  private readonly exact = new Map<string, EntityEntry[]>();
  private readonly files = new Map<string, EntityEntry[]>();
  /** Fuzzy-matchable entries by number; postings hold those numbers, counted in a typed array. */
  private readonly fuzzyEntries: EntityEntry[] = [];
  private readonly gramCounts: number[] = [];
  private readonly grams = new Map<string, number[]>();
  private shared = new Int32Array(0);

  add(doc: number, entity: { category: string; key: string }): void {
    const id = `${entity.category}:${entity.key}`;
    let entry = this.entries.get(id);
    if (!entry) {
      entry = { category: entity.category, key: entity.key, docs: [] };
      this.entries.set(id, entry);
      push(this.exact, entity.key.toLowerCase(), entry);
      if (entity.category === "file") {
        const name = basename(entity.key).toLowerCase();
        push(this.files, name, entry);
        push(this.files, withoutExtension(name), entry);
      }
      if (FUZZY_CATEGORIES.has(entity.category)) {
        const target = entity.category === "file" ? basename(entity.key) : entity.key;
        const set = trigrams(target);
        const id = this.fuzzyEntries.push(entry) - 1;
        this.gramCounts.push(set.size);
        for (const gram of set) push(this.grams, gram, id);
      }
    }
    if (entry.docs.at(-1) !== doc) entry.docs.push(doc);
  }

  /** Entities of one category, e.g. every project. */
  ofCategory(category: string): EntityEntry[] {
    return [...this.entries.values()].filter((e) => e.category === category);
  }

  get(category: string, key: string): EntityEntry | undefined {
    return this.entries.get(`${category}:${key}`);
  }

  /**
   * Entities the candidates name: exact matches first; a candidate with none is tried as a file name and
   * then, if the caller thinks it worth it, fuzzily. Each entity is reported once, at its strongest match.
   */
  match(
    candidates: readonly string[],
    fuzzyWorthTrying: (candidate: string) => boolean = () => true,
  ): EntityMatch[] {
    const best = new Map<EntityEntry, EntityMatch>();
    const keep = (m: EntityMatch) => {
      const prior = best.get(m.entry);
      if (!prior || prior.strength < m.strength) best.set(m.entry, m);
    };
    for (const candidate of candidates) {
      const lower = candidate.toLowerCase();
      const exact = this.exact.get(lower) ?? [];
      for (const entry of exact) keep({ entry, candidate, how: "exact", strength: 1 });
      const files = this.files.get(lower) ?? [];
      for (const entry of files) keep({ entry, candidate, how: "file", strength: 0.9 });
      if (exact.length > 0 || files.length > 0 || candidate.length < 5) continue;
      if (!fuzzyWorthTrying(candidate)) continue;
      for (const m of this.fuzzy(candidate)) keep(m);
    }
    return [...best.values()].sort((a, b) => b.strength - a.strength);
  }

  /**
   * Entities whose trigram similarity to the candidate reaches FUZZY_MIN_SIMILARITY: shared trigrams are
   * counted per entity from the query's postings. The counts live in a typed array indexed by entry
   * number (reset through the list of entries touched): a workspace with thousands of ids sharing most
   * trigrams (`PRICING-DASHBOARD-*`) makes tens of thousands of increments per typo, cheap only this way.
   */
  private fuzzy(candidate: string): EntityMatch[] {
    const query = trigrams(candidate);
    if (this.shared.length < this.fuzzyEntries.length) {
      this.shared = new Int32Array(Math.max(1024, 2 * this.fuzzyEntries.length));
    }
    const shared = this.shared;
    const touched: number[] = [];
    for (const gram of query) {
      const posting = this.grams.get(gram);
      if (!posting) continue;
      for (let k = 0; k < posting.length; k++) {
        const id = posting[k]!;
        if (shared[id] === 0) touched.push(id);
        shared[id]!++;
      }
    }
    const out: EntityMatch[] = [];
    for (const id of touched) {
      const count = shared[id]!;
      shared[id] = 0;
      const similarity = count / (query.size + this.gramCounts[id]! - count);
      if (similarity < FUZZY_MIN_SIMILARITY) continue;
      out.push({
        entry: this.fuzzyEntries[id]!,
        candidate,
        how: "fuzzy",
        strength: 0.8 * similarity,
      });
    }
    return out;
  }
}
