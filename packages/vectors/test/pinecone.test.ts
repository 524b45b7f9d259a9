import { createPineconeIndex } from "@vendor/pinecone";
import { afterAll, describe, expect, it } from "vitest";
import { createPineconeStore, PINECONE_BATCH_LIMITS, planUpsertBatches } from "../src/pinecone";
import type { VectorStore } from "../src/types";
import { describeVectorStoreContract } from "./contract";
import { type PineconeHttpDouble, startPineconeHttpDouble } from "./pinecone-http-double";

const doubles: PineconeHttpDouble[] = [];
afterAll(() => Promise.all(doubles.map((d) => d.close())));

/** The official SDK, pointed at a local test double of Pinecone's data-plane HTTP API. */
async function storeOnDouble(
  dimension: number,
): Promise<{ store: VectorStore; double: PineconeHttpDouble }> {
  const double = await startPineconeHttpDouble({ dimension });
  doubles.push(double);
  const index = createPineconeIndex({
    apiKey: double.apiKey,
    indexName: "test-index",
    host: double.url,
  });
  return { store: createPineconeStore({ index, dimension }), double };
}

describeVectorStoreContract(
  "Pinecone SDK against a local HTTP test double of Pinecone's API",
  async (dimension) => (await storeOnDouble(dimension)).store,
);

describe("Pinecone store over the SDK", () => {
  it("speaks the data-plane routes and headers the SDK really sends, never the control plane", async () => {
    const { store, double } = await storeOnDouble(4);
    await store.upsert("ws", [{ id: "a", values: [1, 0, 0, 0], metadata: { k: "v" } }]);
    await store.query("ws", { vector: [1, 0, 0, 0], topK: 1, filter: { k: "v" } });
    await store.fetch("ws", ["a", "b"]);
    await store.count("ws");
    await store.delete("ws", ["a"]);
    await store.deleteNamespace("ws");
    expect(double.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /vectors/upsert",
      "POST /query",
      "GET /vectors/fetch",
      "POST /describe_index_stats",
      "POST /vectors/delete",
      "POST /vectors/delete",
    ]);
    for (const r of double.requests) {
      expect(r.headers["api-key"]).toBe(double.apiKey);
      expect(r.headers["x-pinecone-api-version"]).toMatch(/^\d{4}-\d{2}/);
    }
    const [, query, fetch] = double.requests;
    expect(query?.body).toMatchObject({
      namespace: "ws",
      topK: 1,
      includeMetadata: true,
      filter: { k: "v" },
    });
    expect(fetch?.query.getAll("ids")).toEqual(["a", "b"]);
    expect(fetch?.query.get("namespace")).toBe("ws");
    // The last delete found the namespace empty (Pinecone answers 404) and still counts as done.
    expect(double.requests.at(-1)?.body).toMatchObject({ deleteAll: true, namespace: "ws" });
  });

  it("splits large upserts under 1000 records and 2 MB per request", async () => {
    const dimension = 384;
    const { store, double } = await storeOnDouble(dimension);
    const records = Array.from({ length: 2500 }, (_, i) => ({
      id: `r${i}`,
      values: Array.from({ length: dimension }, (_, d) => Math.sin(i * 31 + d) / 3),
      metadata: { i, tags: ["a", "b"] },
    }));
    await store.upsert("big", records);
    const upserts = double.requests.filter((r) => r.path === "/vectors/upsert");
    expect(upserts.length).toBeGreaterThan(2);
    for (const r of upserts) {
      expect(r.bodyBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
      expect((r.body as { vectors: unknown[] }).vectors.length).toBeLessThanOrEqual(1000);
    }
    expect(await store.count("big")).toBe(2500);
  });

  it("plans batches by count and by bytes, and refuses a record that can never fit", () => {
    const small = Array.from({ length: 2500 }, (_, i) => ({ id: `s${i}` }));
    expect(planUpsertBatches(small).map((b) => b.length)).toEqual([1000, 1000, 500]);
    const heavy = Array.from({ length: 5 }, (_, i) => ({ id: `h${i}`, pad: "x".repeat(400) }));
    expect(
      planUpsertBatches(heavy, { maxRecords: 1000, maxBytes: 1000 }).map((b) => b.length),
    ).toEqual([2, 2, 1]);
    expect(() =>
      planUpsertBatches([{ id: "huge", pad: "x".repeat(PINECONE_BATCH_LIMITS.maxBytes) }]),
    ).toThrow(/"huge" is .* bytes/);
  });

  it("surfaces server-side rejections", async () => {
    const { double } = await storeOnDouble(4);
    const index = createPineconeIndex({
      apiKey: "wrong",
      indexName: "test-index",
      host: double.url,
    });
    await expect(createPineconeStore({ index, dimension: 4 }).ping()).rejects.toThrow(
      /API key you provided was rejected/,
    );
  });
});
