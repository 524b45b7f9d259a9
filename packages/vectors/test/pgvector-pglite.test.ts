import { type DatabaseHandle, openDatabase, rowsOf } from "@db/console";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgvectorStore, nearestSql, pgvectorTableName } from "../src/pgvector";
import { rememberRecentWrites } from "../src/recent-writes";
import type { VectorRecord, VectorStore } from "../src/types";
import { describeVectorStoreContract } from "./contract";

// One PGlite per file: opening one costs ~2.5 s.
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openDatabase({ dataDir: "memory://" });
});
afterAll(() => handle?.close());

describeVectorStoreContract("pgvector on PGlite", async (dimension) =>
  createPgvectorStore({ db: handle.db, dimension }),
);

describe("pgvector store on PGlite", () => {
  it("searches exactly on PGlite by default while a table is small: no HNSW index, a namespace index", async () => {
    const store = createPgvectorStore({ db: handle.db, dimension: 5 });
    await store.ping();
    const result = await handle.db.execute(
      sql`select indexdef from pg_indexes where tablename = ${pgvectorTableName(5)} order by indexname`,
    );
    const defs = rowsOf<{ indexdef: string }>(result).map((r) => r.indexdef);
    expect(defs.some((d) => /USING hnsw/.test(d))).toBe(false);
    expect(defs.some((d) => /USING btree \(namespace\)/.test(d))).toBe(true);
  });

  it("creates its own table, HNSW cosine index and namespace index on first use", async () => {
    const store = createPgvectorStore({ db: handle.db, dimension: 3, index: "hnsw" });
    await store.ping();
    const result = await handle.db.execute(
      sql`select indexdef from pg_indexes where tablename = ${pgvectorTableName(3)} order by indexname`,
    );
    const defs = rowsOf<{ indexdef: string }>(result).map((r) => r.indexdef);
    expect(defs.some((d) => /USING hnsw \(embedding vector_cosine_ops\)/.test(d))).toBe(true);
    expect(defs.some((d) => /USING btree \(namespace\)/.test(d))).toBe(true);
    expect(defs.some((d) => /UNIQUE.*\(namespace, id\)/.test(d))).toBe(true);
  });

  it("builds an IVFFlat index once the table is large enough, rebuilds it after fourfold growth, and still finds each namespace's nearest", async () => {
    // A dimension of its own: the IVFFlat index must not change other tests' plans.
    const dimension = 24;
    const store = createPgvectorStore({ db: handle.db, dimension, ivfflatMinRows: 300 });
    let seed = 7;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32 - 0.5;
    };
    // Clustered, as embeddings are: 20 centres with noise around each.
    const centres = Array.from({ length: 20 }, () => Array.from({ length: dimension }, rand));
    const near = (i: number) => centres[i % 20]!.map((x) => x + rand() * 0.2);
    const records = (ns: string, from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: `${ns}-${from + i}`,
        values: near(from + i),
        metadata: {},
      }));
    await store.upsert("ivf-a", records("a", 0, 250));
    await store.upsert("ivf-b", records("b", 0, 60));
    const indexes = async () =>
      rowsOf<{ indexdef: string }>(
        await handle.db.execute(
          sql`select indexdef from pg_indexes where tablename = ${pgvectorTableName(dimension)}`,
        ),
      ).map((r) => r.indexdef);

    expect(await store.maintain!()).toMatchObject({ action: "built", rows: 310, lists: 50 });
    expect(
      (await indexes()).some((d) => /USING ivfflat \(embedding vector_cosine_ops\)/.test(d)),
    ).toBe(true);
    expect(await store.maintain!()).toMatchObject({ action: "none" });

    // A stored vector is its own nearest neighbour, in the big namespace and in the small one.
    for (const [ns, id] of [
      ["ivf-a", "a-17"],
      ["ivf-b", "b-42"],
    ] as const) {
      const [target] = await store.fetch(ns, [id]);
      const matches = await store.query(ns, { vector: target!.values, topK: 5 });
      expect(matches[0]?.id).toBe(id);
      expect(matches).toHaveLength(5);
      expect(matches.every((m) => m.id.startsWith(ns.slice(-1)))).toBe(true);
    }

    await store.upsert("ivf-a", records("a", 250, 1000));
    expect(await store.maintain!()).toMatchObject({ action: "rebuilt", rows: 1310 });
    const [target] = await store.fetch("ivf-a", ["a-1100"]);
    expect((await store.query("ivf-a", { vector: target!.values, topK: 1 }))[0]?.id).toBe("a-1100");
  });

  it("keeps filter values out of the SQL text", async () => {
    const store = createPgvectorStore({ db: handle.db, dimension: 3 });
    const evil = `x'); drop table ${pgvectorTableName(3)}; --`;
    await store.upsert("inj", [{ id: evil, values: [1, 0, 0], metadata: { [evil]: evil } }]);
    const matches = await store.query("inj", {
      vector: [1, 0, 0],
      topK: 1,
      filter: { [evil]: { $in: [evil] } },
    });
    expect(matches.map((m) => m.id)).toEqual([evil]);
    expect(await store.count("inj")).toBe(1);
  });

  it("upserts more records than one INSERT batch", async () => {
    const store = createPgvectorStore({ db: handle.db, dimension: 3 });
    const records = Array.from({ length: 450 }, (_, i) => ({
      id: `b${i}`,
      values: [1, i, 0],
      metadata: { i },
    }));
    await store.upsert("batches", records);
    await store.upsert("batches", records);
    expect(await store.count("batches")).toBe(450);
    expect(await store.fetch("batches", ["b449"])).toHaveLength(1);
  });

  it("lists a namespace's vectors page by page in id order, and no other namespace's", async () => {
    const store = createPgvectorStore({ db: handle.db, dimension: 2 });
    const records = Array.from({ length: 7 }, (_, i) => ({
      id: `v${i}`,
      values: [1, i / 10],
      metadata: {},
    }));
    await store.upsert("scan-a", [...records].reverse());
    await store.upsert("scan-b", [{ id: "v0", values: [0, 1], metadata: {} }]);
    const seen: { id: string; values: number[] }[] = [];
    for (let afterId: string | undefined; ; ) {
      const page = await store.scan!("scan-a", { limit: 3, ...(afterId ? { afterId } : {}) });
      seen.push(...page);
      if (page.length < 3) break;
      afterId = page.at(-1)!.id;
    }
    expect(seen.map((r) => r.id)).toEqual(records.map((r) => r.id));
    seen.forEach((r, i) => {
      expect(r.values[0]).toBeCloseTo(1, 6);
      expect(r.values[1]).toBeCloseTo(i / 10, 6);
    });
    expect(await store.scan!("scan-b", { limit: 10 })).toHaveLength(1);
  });

  it("rejects a dimension HNSW cannot index", () => {
    expect(() => createPgvectorStore({ db: handle.db, dimension: 4096 })).toThrow(/1 to 2000/);
  });
});

/** Deterministic pseudo-random numbers, so the HNSW graph (and the test) is the same on every run. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 2 ** 32;
    return s / 2 ** 32 - 0.5;
  };
}

describe("filtered HNSW search on pgvector", () => {
  const dimension = 16;
  const space = "hnsw-filter";
  const query = Array.from({ length: dimension }, (_, i) => (i === 0 ? 1 : 0));
  let store: VectorStore;

  beforeAll(async () => {
    const random = rng(42);
    // 290 distractors close to the query, 10 matching records far from it: a plain HNSW scan fills its
    // ef_search candidate list with distractors and then filters every one of them away.
    const records: VectorRecord[] = Array.from({ length: 300 }, (_, i) => {
      const match = i % 30 === 0;
      const values = Array.from({ length: dimension }, () => random() * 0.3);
      values[0] = match ? -1 : 1;
      return { id: `v${i}`, values, metadata: { group: match ? "rare" : "common" } };
    });
    store = createPgvectorStore({ db: handle.db, dimension, index: "hnsw" });
    await store.upsert(space, records);
    // At 300 rows the planner would rather read the namespace's rows through a btree and sort them (exact,
    // and no HNSW involved). PGlite is a single session, so disabling sorts here steers it onto HNSW.
    await handle.db.execute(sql`analyze ${sql.identifier(pgvectorTableName(dimension))}`);
    await handle.db.execute(sql`set enable_sort = off`);
  });
  afterAll(() => handle.db.execute(sql`reset enable_sort`));

  it("plans the store's query on the HNSW index", async () => {
    const plan = await handle.db.execute(
      sql`explain ${nearestSql(dimension, space, { vector: query, topK: 5, filter: { group: "rare" } })}`,
    );
    expect(JSON.stringify(rowsOf(plan))).toMatch(
      /Index Scan using vector_records_16_fx_embedding_hnsw/,
    );
  });

  it("without iterative scan, the same query starves topK (the failure being guarded)", async () => {
    const rows = await handle.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('hnsw.iterative_scan', 'off', true)`);
      return rowsOf(
        await tx.execute(
          nearestSql(dimension, space, { vector: query, topK: 5, filter: { group: "rare" } }),
        ),
      );
    });
    expect(rows.length).toBeLessThan(5);
  });

  it("returns topK matches when only 10 of 300 vectors pass the filter", async () => {
    const matches = await store.query(space, { vector: query, topK: 5, filter: { group: "rare" } });
    expect(matches).toHaveLength(5);
    expect(matches.every((m) => m.metadata.group === "rare")).toBe(true);
    const scores = matches.map((m) => m.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const all = await store.query(space, { vector: query, topK: 50, filter: { group: "rare" } });
    expect(all).toHaveLength(10);
  });
});

describeVectorStoreContract("pgvector on PGlite, remembering recent writes", async (dimension) =>
  rememberRecentWrites(createPgvectorStore({ db: handle.db, dimension })),
);

describe("a store that remembers recent writes", () => {
  it("answers fetches of what it just wrote without reading the store, and reads the rest", async () => {
    const inner = createPgvectorStore({ db: handle.db, dimension: 3 });
    const asked: string[][] = [];
    const counted: VectorStore = {
      ...inner,
      fetch: (namespace, ids) => {
        asked.push([...ids]);
        return inner.fetch(namespace, ids);
      },
    };
    const store = rememberRecentWrites(counted, 2);
    const record = (id: string, x: number): VectorRecord => ({
      id,
      values: [x, 1, 0],
      metadata: { id },
    });
    await store.upsert("recent", [record("a", 1), record("b", 2), record("c", 3)]);
    // Capacity 2: "a" was written first and is forgotten; it comes from the store.
    const got = await store.fetch("recent", ["c", "a", "b", "missing"]);
    expect(got.map((r) => r.id)).toEqual(["c", "a", "b"]);
    expect(got[1]!.values[0]).toBeCloseTo(1, 6);
    expect(asked).toEqual([["a", "missing"]]);
    await store.delete("recent", ["c"]);
    expect(await store.fetch("recent", ["c"])).toEqual([]);
  });
});
