/** Ranking metrics of the search evaluation; pure, shared by the system's results and the BM25 baseline. */
import { z } from "zod";

export const CUTOFF = 10;

export interface Metrics {
  "ndcg@10": number;
  "recall@1": number;
  "recall@10": number;
  mrr: number;
}

export interface QueryScore extends Metrics {
  /** Best 1-based rank of each relevant item within the cutoff, null when it was not found there. */
  ranks: Record<string, number | null>;
}

export interface Summary extends Metrics {
  byKind: Record<string, Metrics>;
}

/** The parts of a `/v1/search` result that name what it is about. */
export interface ResultLike {
  entity?: { type?: string; id?: string } | null;
  references?: readonly { type?: string; id?: string }[] | null;
}

function keyOf(type: string | undefined, id: string | undefined): string | undefined {
  const clean = id?.trim();
  if (!clean) return undefined;
  if (type === "issue") return clean;
  if (type === "alert") return `alert:${clean}`;
  return undefined;
}

/** The issue shortIds and `alert:<id>`s a result is about: its entity first, then its references. */
export function resultKeys(result: ResultLike): string[] {
  const keys = new Set<string>();
  const own = keyOf(result.entity?.type, result.entity?.id);
  if (own) keys.add(own);
  for (const ref of result.references ?? []) {
    const key = keyOf(ref.type, ref.id);
    if (key) keys.add(key);
  }
  return [...keys];
}

const searchResponseSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      entity: z.looseObject({ type: z.string(), id: z.string() }).nullish(),
      references: z.array(z.looseObject({ type: z.string(), id: z.string() })).nullish(),
    }),
  ),
});

/** The keys of each of the first `CUTOFF` results of a `/v1/search` response; undefined if it is none. */
export function responseKeys(json: unknown): string[][] | undefined {
  const parsed = searchResponseSchema.safeParse(json);
  return parsed.success ? parsed.data.data.slice(0, CUTOFF).map(resultKeys) : undefined;
}

/**
 * Scores one query. `ranked[i]` holds the keys of the result at rank i + 1; only the first `CUTOFF` results
 * count. Each relevant item counts once, at the rank of the first result that names it.
 */
export function scoreQuery(relevant: readonly string[], ranked: readonly string[][]): QueryScore {
  const wanted = [...new Set(relevant.map((r) => r.trim()).filter(Boolean))];
  const best = new Map<string, number | null>(wanted.map((item) => [item, null]));
  ranked.slice(0, CUTOFF).forEach((keys, index) => {
    for (const key of keys) {
      const item = key.trim();
      if (best.has(item) && best.get(item) === null) best.set(item, index + 1);
    }
  });
  const ranks = Object.fromEntries(best);
  if (wanted.length === 0) return { "ndcg@10": 0, "recall@1": 0, "recall@10": 0, mrr: 0, ranks };

  const found = [...best.values()].filter((r): r is number => r !== null);
  const within = (k: number) => found.filter((r) => r <= k).length / wanted.length;
  const dcg = found.reduce((sum, r) => sum + 1 / Math.log2(r + 1), 0);
  let ideal = 0;
  for (let r = 1; r <= Math.min(wanted.length, CUTOFF); r++) ideal += 1 / Math.log2(r + 1);
  return {
    // One result may name two relevant issues (a comment mentioning another); both then gain at its rank,
    // which can push DCG past the ideal ordering of one item per rank.
    "ndcg@10": Math.min(1, dcg / ideal),
    "recall@1": within(1),
    "recall@10": within(CUTOFF),
    mrr: found.length > 0 ? 1 / Math.min(...found) : 0,
    ranks,
  };
}

function mean(scores: readonly Metrics[]): Metrics {
  const n = scores.length;
  const avg = (pick: (m: Metrics) => number) =>
    n === 0 ? 0 : scores.reduce((sum, m) => sum + pick(m), 0) / n;
  return {
    "ndcg@10": avg((m) => m["ndcg@10"]),
    "recall@1": avg((m) => m["recall@1"]),
    "recall@10": avg((m) => m["recall@10"]),
    mrr: avg((m) => m.mrr),
  };
}

/** Mean of each metric over all queries, and per query kind (kinds in order of first appearance). */
export function summarize(scores: readonly { kind: string; score: Metrics }[]): Summary {
  const byKind: Record<string, Metrics> = {};
  const kinds = [...new Set(scores.map((s) => s.kind))];
  for (const kind of kinds) {
    byKind[kind] = mean(scores.filter((s) => s.kind === kind).map((s) => s.score));
  }
  return { ...mean(scores.map((s) => s.score)), byKind };
}

/** Nearest-rank percentile (p in 0-100) of the values; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const round = (n: number, digits = 4) => Number(n.toFixed(digits));
export const roundMetrics = (m: Metrics): Metrics => ({
  "ndcg@10": round(m["ndcg@10"]),
  "recall@1": round(m["recall@1"]),
  "recall@10": round(m["recall@10"]),
  mrr: round(m.mrr),
});
export const roundSummary = (s: Summary): Summary => ({
  ...roundMetrics(s),
  byKind: Object.fromEntries(Object.entries(s.byKind).map(([k, m]) => [k, roundMetrics(m)])),
});

/** The report: each metric, system beside bm25, overall and per kind. */
export function table(system: Summary, bm25: Summary, counts: Record<string, number>): string {
  const columns: [keyof Metrics, string][] = [
    ["recall@1", "recall@1"],
    ["recall@10", "recall@10"],
    ["mrr", "MRR"],
    ["ndcg@10", "nDCG@10"],
  ];
  const cell = (s: string) => s.padEnd(17);
  const lines = [
    `${"kind".padEnd(12)}${"n".padStart(4)}  ${columns.map(([, name]) => cell(name)).join("")}`,
    `${"".padEnd(18)}${columns.map(() => cell("system  bm25")).join("")}`,
  ];
  const row = (kind: string, s: Metrics, b: Metrics) =>
    `${kind.padEnd(12)}${String(counts[kind]).padStart(4)}  ${columns
      .map(([key]) => cell(`${s[key].toFixed(3)}   ${b[key].toFixed(3)}`))
      .join("")}`;
  lines.push(row("all", system, bm25));
  for (const kind of Object.keys(system.byKind)) {
    lines.push(row(kind, system.byKind[kind]!, bm25.byKind[kind]!));
  }
  return lines.map((line) => line.trimEnd()).join("\n");
}
