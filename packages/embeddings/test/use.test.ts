import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEmbeddings } from "../src/index";
import { createUseEmbeddingProvider, loadUseModel, USE_MAX_TOKENS } from "../src/use";
import { cosineSimilarity } from "../src/vector-math";

/*
 * Every outbound connection (fetch, http, https, node-fetch) ends in net.Socket#connect. Failing it for
 * this file proves the model, vocabulary and WASM binary all come from disk: in this thread directly
 * (the `threads: 0` provider), and for the worker threads, which run the same engine code, through the
 * parity with it. Test files run in separate processes, so the OpenAI tests' loopback server is unaffected.
 */
const connectAttempts: unknown[] = [];
const originalConnect = net.Socket.prototype.connect;

beforeAll(() => {
  net.Socket.prototype.connect = function blocked(this: net.Socket, ...args: unknown[]) {
    connectAttempts.push(args[0]);
    throw new Error("network access is blocked in the USE tests");
  } as typeof originalConnect;
});
afterAll(() => {
  net.Socket.prototype.connect = originalConnect;
});

const provider = createUseEmbeddingProvider();
const inThread = createUseEmbeddingProvider({ threads: 0 });

/** Vectors of the pipeline this one replaced (@energetic-ai/embeddings 0.2.0), each text embedded alone. */
const reference = JSON.parse(
  readFileSync(path.join(import.meta.dirname, "fixtures", "use-vectors.json"), "utf8"),
) as { cases: [string, number[]][] };

describe("Universal Sentence Encoder provider", () => {
  it("loads offline, once", async () => {
    const [first, second] = await Promise.all([loadUseModel(), loadUseModel()]);
    expect(first).toBe(second);
    expect(await loadUseModel()).toBe(first);
    await inThread.embed(["warm up"]);
    expect(inThread.threads).toBe(0);
    expect(connectAttempts).toEqual([]);
  });

  it("describes itself, backend included once loaded", async () => {
    expect(provider.kind).toBe("use");
    expect(provider.model).toBe("use:universal-sentence-encoder@512");
    expect(provider.dimension).toBe(512);
    await provider.embed(["warm up"]);
    // Node 20's V8 has WebAssembly SIMD, so the fast backend must be the one that runs.
    expect(provider.backend).toBe("wasm-simd");
    expect(inThread.backend).toBe("wasm-simd");
    expect(provider.threads).toBeGreaterThanOrEqual(1);
    expect(describeEmbeddings(provider)).toEqual({
      kind: "use",
      model: "use:universal-sentence-encoder@512",
      dimension: 512,
      backend: "wasm-simd",
    });
  });

  it("ranks a paraphrase above an unrelated text", async () => {
    const [query, paraphrase, unrelated] = await provider.embed(
      [
        "checkout payment fails with card declined",
        "Stripe card error during purchase",
        "the quarterly team offsite is in Lisbon this year",
      ],
      "query",
    );
    const close = cosineSimilarity(query!, paraphrase!);
    const far = cosineSimilarity(query!, unrelated!);
    expect(close).toBeGreaterThan(far + 0.2);
    expect(connectAttempts).toEqual([]);
  });

  it("matches the vectors of the pipeline it replaced, so stored vectors stay comparable", async () => {
    // The reference read all 128 tokens; at that cap every text must come out the same.
    const full = { maxTokens: USE_MAX_TOKENS };
    const texts = reference.cases.map(([text]) => text);
    const [workers, calling] = [
      createUseEmbeddingProvider(full),
      createUseEmbeddingProvider({ ...full, threads: 0 }),
    ];
    for (const vectors of [await workers.embed(texts), await calling.embed(texts)]) {
      vectors.forEach((vector, i) => {
        expect(cosineSimilarity(vector, reference.cases[i]![1])).toBeGreaterThan(0.99999);
      });
    }
  });

  it("agrees with TF.js's pure-JS cpu backend (cosine > 0.99)", async () => {
    // The cpu backend is ~30x slower: short texts only, in a worker of its own (one backend per thread).
    const cpu = createUseEmbeddingProvider({ backend: "cpu", threads: 1 });
    const texts = ["card declined at checkout", "database connection timeout in eu-west"];
    const [fromCpu, fromWasm] = await Promise.all([cpu.embed(texts), provider.embed(texts)]);
    expect(cpu.backend).toBe("cpu");
    fromCpu.forEach((vector, i) => {
      expect(cosineSimilarity(vector, fromWasm[i]!)).toBeGreaterThan(0.99);
    });
    await (await loadUseModel({ backend: "cpu", threads: 1 })).close();
  });

  it("returns 512-d unit vectors, empty and very long texts included", async () => {
    const vectors = await provider.embed(["hello", "", "x".repeat(50_000)]);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toHaveLength(512);
      expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    }
  });

  it("reads at most 128 tokens: what follows them does not change the vector", async () => {
    const long = "payment card declined at checkout for the customer account ".repeat(30);
    const full = createUseEmbeddingProvider({ maxTokens: USE_MAX_TOKENS });
    const [a, b] = await full.embed([long, `${long} the quarterly offsite is in Lisbon`]);
    expect(cosineSimilarity(a!, b!)).toBeGreaterThan(0.99999);
    const [short] = await createUseEmbeddingProvider({ maxTokens: 8 }).embed([long]);
    expect(cosineSimilarity(a!, short!)).toBeLessThan(0.999);
  });

  it("reads USE_DEFAULT_TOKENS by default: a different ending past them leaves the vector alone", async () => {
    // ~10 tokens per repeat: the default cap falls inside the shared opening, the full one past it.
    const opening = "payment card declined at checkout for the customer account ".repeat(8);
    const texts = [`${opening} refund issued`, `${opening} the database index is corrupt again`];
    const [a, b] = await provider.embed(texts);
    expect(cosineSimilarity(a!, b!)).toBeGreaterThan(0.99999);
    const [fa, fb] = await createUseEmbeddingProvider({ maxTokens: USE_MAX_TOKENS }).embed(texts);
    expect(cosineSimilarity(fa!, fb!)).toBeLessThan(0.999);
  });

  it("is deterministic: the same call gives the same numbers, in this thread or in workers", async () => {
    const texts = ["deploy failed in region us-east", "timeout", "a".repeat(400), "refund issued"];
    const workers = createUseEmbeddingProvider();
    const first = await workers.embed(texts);
    expect(await workers.embed(texts)).toEqual(first);
    expect(await inThread.embed(texts)).toEqual(first);
    // Nothing is remembered between calls: both ran the encoder on every text.
    expect(workers.stats).toEqual({ encoded: 8, reused: 0 });
  });

  it("encodes each token sequence of a call once: repeats, and texts alike up to the cap, share it", async () => {
    const opening = "payment card declined at checkout for the customer account ".repeat(8);
    const texts = [
      "checkout failed",
      "refund issued",
      "checkout failed",
      `${opening} refund issued`,
      `${opening} the index is corrupt`,
    ];
    const shared = createUseEmbeddingProvider();
    const [a, b, a2, long1, long2] = await shared.embed(texts);
    expect(shared.stats).toEqual({ encoded: 3, reused: 2 });
    expect(a2).toEqual(a);
    expect(a2).not.toBe(a);
    expect(long2).toEqual(long1);
    // The same vectors as each text encoded in a call of its own.
    const alone = await Promise.all(texts.map((t) => shared.embed([t])));
    [a, b, a2, long1, long2].forEach((v, i) => {
      expect(cosineSimilarity(v!, alone[i]![0]!)).toBeGreaterThan(0.99999);
    });
  });

  it("preserves order across batches", async () => {
    const texts = Array.from({ length: 7 }, (_, i) => `note number ${i} about topic ${i % 3}`);
    const batched = await createUseEmbeddingProvider({ batchSize: 3 }).embed(texts);
    const single = await createUseEmbeddingProvider({ batchSize: 16 }).embed(texts);
    expect(batched).toHaveLength(7);
    batched.forEach((vector, i) => {
      // Padding differs between batch shapes, so compare by similarity, not bit equality.
      expect(cosineSimilarity(vector, single[i]!)).toBeGreaterThan(0.999);
      if (i > 0) expect(cosineSimilarity(vector, single[i - 1]!)).toBeLessThan(0.999);
    });
  });

  it("serves concurrent callers without mixing up their results", async () => {
    const [a, b] = await Promise.all([
      provider.embed(["apples and pears"]),
      provider.embed(["tax return deadline"]),
    ]);
    const [a2, b2] = await provider.embed(["apples and pears", "tax return deadline"]);
    expect(cosineSimilarity(a![0]!, a2!)).toBeGreaterThan(0.999);
    expect(cosineSimilarity(b![0]!, b2!)).toBeGreaterThan(0.999);
  });

  it("rejects options it cannot honour", () => {
    expect(() => createUseEmbeddingProvider({ maxTokens: 129 })).toThrow(/max tokens/);
    expect(() => createUseEmbeddingProvider({ batchSize: 0 })).toThrow(/batch size/);
    expect(() => createUseEmbeddingProvider({ threads: -1 })).toThrow(/threads/);
  });
});
