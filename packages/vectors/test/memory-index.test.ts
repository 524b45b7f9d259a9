import { describe, expect, it } from "vitest";
import { MemoryVectorIndex } from "../src/memory-index";

/** Deterministic Gaussian-ish numbers (sum of uniforms), so a failure reproduces. */
function generator(seed: number) {
  let a = seed;
  const uniform = () => {
    a = (a * 1664525 + 1013904223) >>> 0;
    return a / 4294967296;
  };
  return () => uniform() + uniform() + uniform() - 1.5;
}

/** Queries near the indexed rows, as questions are near what a workspace holds. */
function near(rows: number[][], count: number, seed: number): number[][] {
  const next = generator(seed);
  return Array.from({ length: count }, (_, i) =>
    rows[(i * 7919) % rows.length]!.map((v) => v + 0.5 * next()),
  );
}

/** Points around `centers` random centres: the shape embeddings of related texts have. */
function clustered(count: number, dimension: number, centers: number, seed = 7): number[][] {
  const next = generator(seed);
  const middles = Array.from({ length: centers }, () =>
    Array.from({ length: dimension }, () => next()),
  );
  return Array.from({ length: count }, (_, i) => {
    const middle = middles[i % centers]!;
    return middle.map((v) => v + 0.6 * next());
  });
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

function exactTop(rows: number[][], query: number[], k: number, accept = (_: number) => true) {
  return rows
    .map((row, key) => ({ key, score: cosine(row, query) }))
    .filter((m) => accept(m.key))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

function recall(found: { key: number }[], exact: { key: number }[]): number {
  const want = new Set(exact.map((m) => m.key));
  return found.filter((m) => want.has(m.key)).length / exact.length;
}

describe("in-memory vector index", () => {
  it("answers exactly (up to int8 rounding) while it is small", () => {
    const rows = clustered(1500, 48, 30);
    const index = new MemoryVectorIndex({ dimension: 48 });
    for (const [key, row] of rows.entries()) index.add(key, row);
    const queries = near(rows, 20, 99);
    for (const query of queries) {
      const exact = exactTop(rows, query, 10);
      const found = index.search(query, 10);
      expect(found).toHaveLength(10);
      expect(recall(found, exact)).toBeGreaterThanOrEqual(0.9);
      // The scores are cosines, close to the exact ones.
      for (const match of found) {
        expect(Math.abs(match.score - cosine(rows[match.key]!, query))).toBeLessThan(0.02);
      }
      expect(found.map((m) => m.score)).toEqual(
        [...found.map((m) => m.score)].sort((a, b) => b - a),
      );
    }
  });

  it("keeps recall high once its lists are learnt, loaded row by row or in bulk", () => {
    const dimension = 64;
    const rows = clustered(40_000, dimension, 400);
    const index = new MemoryVectorIndex({ dimension, minTrain: 2000 });
    for (const [key, row] of rows.entries()) index.add(key, row);
    const bulk = new MemoryVectorIndex({ dimension, minTrain: 2000, autoTrain: false });
    for (const [key, row] of rows.entries()) bulk.add(key, row);
    bulk.train();
    const queries = near(rows, 40, 1234);
    let total = 0;
    let totalBulk = 0;
    for (const query of queries) {
      const exact = exactTop(rows, query, 10);
      total += recall(index.search(query, 10), exact);
      totalBulk += recall(bulk.search(query, 10), exact);
    }
    expect(total / queries.length).toBeGreaterThanOrEqual(0.9);
    expect(totalBulk / queries.length).toBeGreaterThanOrEqual(0.9);
  });

  it("finds rows added after its lists were learnt", () => {
    const dimension = 32;
    const index = new MemoryVectorIndex({ dimension, minTrain: 1000 });
    const rows = clustered(3000, dimension, 50);
    for (const [key, row] of rows.entries()) index.add(key, row);
    const late = clustered(10, dimension, 10, 555).map((row) => row.map((v) => v * 3 + 1));
    for (const [i, row] of late.entries()) index.add(100_000 + i, row);
    for (const [i, row] of late.entries()) expect(index.search(row, 1)[0]?.key).toBe(100_000 + i);
  });

  it("keeps every row findable as it relearns and repacks its lists while growing", () => {
    const dimension = 24;
    const index = new MemoryVectorIndex({ dimension, minTrain: 1000 });
    const rows = clustered(14_000, dimension, 120, 31);
    for (const [key, row] of rows.entries()) index.add(key, row);
    expect(index.size).toBe(rows.length);
    for (let key = 0; key < rows.length; key += 97) {
      expect(index.search(rows[key]!, 1)[0]).toEqual({ key, score: expect.closeTo(1, 2) });
    }
  });

  it("filters by key and probes further until a selective filter has enough matches", () => {
    const dimension = 32;
    const rows = clustered(20_000, dimension, 200);
    const index = new MemoryVectorIndex({ dimension, minTrain: 2000 });
    for (const [key, row] of rows.entries()) index.add(key, row);
    // One row in a hundred passes: the nearest lists hold too few of them.
    const accept = (key: number) => key % 100 === 3;
    const queries = near(rows, 20, 77);
    let total = 0;
    for (const query of queries) {
      const found = index.search(query, 20, accept);
      expect(found).toHaveLength(20);
      expect(found.every((m) => accept(m.key))).toBe(true);
      total += recall(found, exactTop(rows, query, 20, accept));
    }
    expect(total / queries.length).toBeGreaterThanOrEqual(0.8);
  });

  it("refuses vectors of another dimension and answers nothing for an empty query", () => {
    const index = new MemoryVectorIndex({ dimension: 4 });
    expect(() => index.add(1, [1, 2, 3])).toThrow(/4 dimensions/);
    index.add(1, [1, 0, 0, 0]);
    index.add(2, [0, 0, 0, 0]);
    expect(() => index.search([1, 0], 3)).toThrow(/4 dimensions/);
    expect(index.search([0, 0, 0, 0], 3)).toEqual([]);
    expect(index.search([1, 0, 0, 0], 5).map((m) => m.key)).toEqual([1, 2]);
    expect(() => new MemoryVectorIndex({ dimension: 0 })).toThrow(/dimension/);
  });
});
