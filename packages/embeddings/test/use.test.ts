import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUseEmbeddingProvider, loadUseModel } from "../src/use";
import { cosineSimilarity } from "../src/vector-math";

/*
 * Every outbound connection (fetch, http, https, node-fetch) ends in net.Socket#connect. Failing it for
 * this file proves the model, vocabulary and WASM binary all come from disk. Test files run in separate
 * workers, so the OpenAI tests' loopback server is unaffected.
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

describe("Universal Sentence Encoder provider", () => {
  it("loads offline, once", async () => {
    const [first, second] = await Promise.all([loadUseModel(), loadUseModel()]);
    expect(first).toBe(second);
    expect(await loadUseModel()).toBe(first);
    expect(connectAttempts).toEqual([]);
  });

  it("describes itself", () => {
    expect(provider.kind).toBe("use");
    expect(provider.model).toBe("use:universal-sentence-encoder@512");
    expect(provider.dimension).toBe(512);
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

  it("returns 512-d unit vectors, empty and very long texts included", async () => {
    const vectors = await provider.embed(["hello", "", "x".repeat(50_000)]);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toHaveLength(512);
      expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    }
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
});
