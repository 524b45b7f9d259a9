import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { VectorMetadata, VectorRecord, VectorStore } from "../src/types";

/** Small on purpose: the contract is about behaviour, and the pgvector table is per dimension. */
export const CONTRACT_DIMENSION = 8;

/** A vector with the given leading components, zero-padded to the contract dimension. */
export function vec(...components: number[]): number[] {
  return Array.from({ length: CONTRACT_DIMENSION }, (_, i) => components[i] ?? 0);
}

function rec(id: string, values: number[], metadata: VectorMetadata = {}): VectorRecord {
  return { id, values, metadata };
}

/**
 * One behavioural contract for every VectorStore. Each test works in fresh namespaces, so a store can be
 * shared across tests (and across runs, on a server database) without tests seeing each other's records.
 */
export function describeVectorStoreContract(
  name: string,
  factory: (dimension: number) => Promise<VectorStore>,
): void {
  describe(`VectorStore contract: ${name}`, () => {
    let store: VectorStore;
    const ns = () => `ns-${randomUUID()}`;

    beforeAll(async () => {
      store = await factory(CONTRACT_DIMENSION);
      expect(store.dimension).toBe(CONTRACT_DIMENSION);
    });

    it("answers a ping", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it("returns the nearest records first, with scores in descending order", async () => {
      const space = ns();
      await store.upsert(space, [
        rec("far", vec(-1, 0)),
        rec("exact", vec(1, 0)),
        rec("orthogonal", vec(0, 1)),
        rec("close", vec(0.9, 0.2)),
      ]);
      const matches = await store.query(space, { vector: vec(1, 0), topK: 3 });
      expect(matches.map((m) => m.id)).toEqual(["exact", "close", "orthogonal"]);
      const scores = matches.map((m) => m.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(scores[0]).toBeCloseTo(1, 5);
      expect(scores[2]).toBeCloseTo(0, 5);
      const all = await store.query(space, { vector: vec(1, 0), topK: 10 });
      expect(all.at(-1)).toMatchObject({ id: "far" });
      expect(all.at(-1)?.score).toBeCloseTo(-1, 5);
    });

    it("leaves metadata out when asked, with the same ids and scores", async () => {
      const space = ns();
      await store.upsert(space, [
        rec("a", vec(1, 0), { view: "title" }),
        rec("b", vec(0.6, 0.8), { view: "body" }),
      ]);
      const full = await store.query(space, { vector: vec(1, 0), topK: 2 });
      const bare = await store.query(space, { vector: vec(1, 0), topK: 2, includeMetadata: false });
      expect(bare.map((m) => [m.id, m.score])).toEqual(full.map((m) => [m.id, m.score]));
      expect(Object.keys(full[0]!.metadata).length).toBeGreaterThan(0);
      expect(bare.every((m) => Object.keys(m.metadata).length === 0)).toBe(true);
    });

    it("upserts idempotently by id: a repeat overwrites, never duplicates", async () => {
      const space = ns();
      await store.upsert(space, [rec("a", vec(1, 0), { version: 1 }), rec("b", vec(0, 1))]);
      await store.upsert(space, [rec("a", vec(0, 0, 1), { version: 2 })]);
      // A repeated id inside one call keeps the last, as sequential upserts would.
      await store.upsert(space, [rec("b", vec(1, 1)), rec("b", vec(0, 1), { version: 3 })]);
      expect(await store.count(space)).toBe(2);
      const [a] = await store.fetch(space, ["a"]);
      expect(a?.metadata).toEqual({ version: 2 });
      expect(a?.values[2]).toBeCloseTo(1, 5);
      const matches = await store.query(space, { vector: vec(0, 0, 1), topK: 10 });
      expect(matches.map((m) => m.id).sort()).toEqual(["a", "b"]);
      expect(matches[0]).toMatchObject({ id: "a", metadata: { version: 2 } });
      expect((await store.fetch(space, ["b"]))[0]?.metadata).toEqual({ version: 3 });
    });

    it("isolates namespaces: query, fetch and count never cross them", async () => {
      const [a, b] = [ns(), ns()];
      await store.upsert(a, [
        rec("shared-id", vec(1, 0), { owner: "a" }),
        rec("only-a", vec(1, 1)),
      ]);
      expect(await store.query(b, { vector: vec(1, 0), topK: 5 })).toEqual([]);
      expect(await store.fetch(b, ["shared-id", "only-a"])).toEqual([]);
      expect(await store.count(b)).toBe(0);

      await store.upsert(b, [rec("shared-id", vec(0, 1), { owner: "b" })]);
      expect((await store.fetch(a, ["shared-id"]))[0]?.metadata).toEqual({ owner: "a" });
      expect(await store.count(a)).toBe(2);
      expect(await store.count(b)).toBe(1);
      const inB = await store.query(b, { vector: vec(1, 0), topK: 5 });
      expect(inB.map((m) => [m.id, m.metadata.owner])).toEqual([["shared-id", "b"]]);

      await store.deleteNamespace(b);
      expect(await store.count(b)).toBe(0);
      expect(await store.count(a)).toBe(2);
      await store.delete(a, ["shared-id"]);
      expect(await store.count(a)).toBe(1);
    });

    describe("metadata filters", () => {
      let space: string;
      const ids = async (filter: Parameters<VectorStore["query"]>[1]["filter"]) =>
        (await store.query(space, { vector: vec(1, 0), topK: 10, filter })).map((m) => m.id).sort();

      beforeAll(async () => {
        space = ns();
        await store.upsert(space, [
          rec("n1", vec(1, 0), { kind: "note", year: 2024, pinned: true, tags: ["red", "blue"] }),
          rec("n2", vec(0.8, 0.2), { kind: "note", year: 2025, pinned: false, tags: ["green"] }),
          rec("t1", vec(0.5, 0.5), { kind: "task", year: 2024, tags: ["blue"] }),
          rec("d1", vec(0, 1), { kind: "doc" }),
        ]);
      });

      it("matches plain equality and $eq on strings, numbers and booleans", async () => {
        expect(await ids({ kind: "note" })).toEqual(["n1", "n2"]);
        expect(await ids({ kind: { $eq: "task" } })).toEqual(["t1"]);
        expect(await ids({ year: 2024 })).toEqual(["n1", "t1"]);
        expect(await ids({ pinned: { $eq: true } })).toEqual(["n1"]);
        expect(await ids({ kind: "note", year: { $eq: 2025 } })).toEqual(["n2"]);
        expect(await ids({ kind: "nothing" })).toEqual([]);
      });

      it("matches $in on strings and numbers", async () => {
        expect(await ids({ kind: { $in: ["task", "doc"] } })).toEqual(["d1", "t1"]);
        expect(await ids({ year: { $in: [2025, 1999] } })).toEqual(["n2"]);
        expect(await ids({ kind: { $in: [] } })).toEqual([]);
      });

      it("matches $ne, including records without the field", async () => {
        expect(await ids({ kind: { $ne: "note" } })).toEqual(["d1", "t1"]);
        expect(await ids({ year: { $ne: 2024 } })).toEqual(["d1", "n2"]);
      });

      it("treats string-list metadata as 'contains' for $eq, $in and $ne", async () => {
        expect(await ids({ tags: "blue" })).toEqual(["n1", "t1"]);
        expect(await ids({ tags: { $eq: "green" } })).toEqual(["n2"]);
        expect(await ids({ tags: { $in: ["green", "red"] } })).toEqual(["n1", "n2"]);
        expect(await ids({ tags: { $ne: "blue" } })).toEqual(["d1", "n2"]);
      });

      it("rejects filters outside the supported subset before querying", async () => {
        await expect(ids({ $or: "x" } as never)).rejects.toThrow(/not supported/);
        await expect(ids({ year: { $gt: 1 } } as never)).rejects.toThrow(/\$eq, \$ne or \$in/);
        await expect(ids({ tags: ["a", "b"] })).rejects.toThrow(/use \$in/);
      });
    });

    it("fetches values and metadata in the order asked, skipping unknown ids", async () => {
      const space = ns();
      await store.upsert(space, [
        rec("x", vec(0.25, -0.5, 0.125), { title: "X", tags: ["a"], n: 1.5, ok: false }),
        rec("y", vec(0, 0, 0, 1)),
      ]);
      const got = await store.fetch(space, ["y", "missing", "x"]);
      expect(got.map((r) => r.id)).toEqual(["y", "x"]);
      const x = got[1]!;
      expect(x.values).toHaveLength(CONTRACT_DIMENSION);
      x.values.forEach((v, i) => {
        expect(v).toBeCloseTo(vec(0.25, -0.5, 0.125)[i]!, 5);
      });
      expect(x.metadata).toEqual({ title: "X", tags: ["a"], n: 1.5, ok: false });
      expect(got[0]?.metadata).toEqual({});
      expect(await store.fetch(space, [])).toEqual([]);
    });

    it("deletes by id and by namespace, and counts what is left", async () => {
      const space = ns();
      const records = Array.from({ length: 25 }, (_, i) => rec(`r${i}`, vec(1, i / 25)));
      await store.upsert(space, records);
      expect(await store.count(space)).toBe(25);
      await store.delete(space, ["r0", "r1", "not-there"]);
      expect(await store.count(space)).toBe(23);
      expect(await store.fetch(space, ["r0", "r2"])).toHaveLength(1);
      const top = await store.query(space, { vector: vec(1, 0), topK: 1 });
      expect(top[0]?.id).toBe("r2");
      await store.deleteNamespace(space);
      expect(await store.count(space)).toBe(0);
      expect(await store.query(space, { vector: vec(1, 0), topK: 3 })).toEqual([]);
      // Deleting again, or from a namespace that never existed, is not an error.
      await store.deleteNamespace(space);
      await store.delete(ns(), ["ghost"]);
    });

    it("rejects vectors of the wrong dimension with a clear error", async () => {
      const space = ns();
      await expect(store.upsert(space, [rec("short", [1, 0, 0])])).rejects.toThrow(
        /dimension mismatch: record "short" has 3 values.*8-dimensional/,
      );
      await expect(store.query(space, { vector: vec(1).concat(1), topK: 1 })).rejects.toThrow(
        /dimension mismatch: the query vector has 9 values/,
      );
      expect(await store.count(space)).toBe(0);
    });

    it("requires a namespace", async () => {
      await expect(store.count("")).rejects.toThrow(/namespace/);
      await expect(store.upsert("", [rec("a", vec(1))])).rejects.toThrow(/namespace/);
    });
  });
}
