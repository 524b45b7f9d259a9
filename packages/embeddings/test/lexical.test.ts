import { describe, expect, it } from "vitest";
import { createLexicalEmbeddingProvider, embedLexical } from "../src/lexical";
import { cosineSimilarity } from "../src/vector-math";

const provider = createLexicalEmbeddingProvider();

async function similarity(a: string, b: string, p = provider): Promise<number> {
  const [x, y] = await p.embed([a, b]);
  return cosineSimilarity(x!, y!);
}

describe("lexical embedding provider", () => {
  it("describes itself with the default dimension", () => {
    expect(provider.kind).toBe("lexical");
    expect(provider.dimension).toBe(384);
    expect(provider.model).toBe("lexical:hashed-ngrams@384");
  });

  it("honours a custom dimension and rejects nonsense ones", async () => {
    const p = createLexicalEmbeddingProvider({ dimension: 1024 });
    expect(p.model).toBe("lexical:hashed-ngrams@1024");
    const [v] = await p.embed(["some text"]);
    expect(v).toHaveLength(1024);
    expect(() => createLexicalEmbeddingProvider({ dimension: 0 })).toThrow(/dimension/);
    expect(() => createLexicalEmbeddingProvider({ dimension: 12.5 })).toThrow(/dimension/);
  });

  it("is deterministic, also across provider instances", async () => {
    const text = "Checkout fails when the card is declined by Stripe";
    const [a] = await provider.embed([text]);
    const [b] = await createLexicalEmbeddingProvider().embed([text]);
    expect(a).toEqual(b);
    // Pinned values: a change here means stored lexical vectors silently stopped matching new ones.
    expect(embedLexical("hello world", 8).map((x) => Number(x.toFixed(6)))).toMatchInlineSnapshot(`
      [
        -0.213201,
        -0.213201,
        0.852803,
        0.213201,
        0.213201,
        0.213201,
        0,
        0.213201,
      ]
    `);
  });

  it("returns unit vectors of the right size, even for empty and symbol-only text", async () => {
    const vectors = await provider.embed([
      "hello",
      "",
      "!!! ???",
      "a much longer text ".repeat(500),
    ]);
    expect(vectors).toHaveLength(4);
    for (const v of vectors) {
      expect(v).toHaveLength(384);
      expect(Math.hypot(...v)).toBeCloseTo(1, 10);
      expect(v.every(Number.isFinite)).toBe(true);
    }
  });

  it("keeps input order", async () => {
    const texts = ["first", "second", "third"];
    const together = await provider.embed(texts);
    const separately = await Promise.all(texts.map(async (t) => (await provider.embed([t]))[0]));
    expect(together).toEqual(separately);
  });

  it("places similar texts closer than unrelated ones", async () => {
    const query = "payment failed because the credit card was declined";
    const similar = "the credit card payment was declined and failed";
    const unrelated = "deploy the kubernetes cluster to a new region";
    expect(await similarity(query, similar)).toBeGreaterThan(
      (await similarity(query, unrelated)) + 0.3,
    );
  });

  it("still overlaps on typos and partial identifiers", async () => {
    const unrelated = await similarity("authentication", "spreadsheet");
    expect(await similarity("authentication", "authentcation")).toBeGreaterThan(unrelated + 0.2);
    expect(await similarity("getUserById", "user id")).toBeGreaterThan(
      await similarity("getUserById", "render chart"),
    );
    expect(await similarity("embedding_provider", "embeddings")).toBeGreaterThan(
      await similarity("embedding_provider", "database"),
    );
  });

  it("ignores case and punctuation between words", async () => {
    expect(await similarity("User.ID", "user id")).toBeCloseTo(1, 6);
  });
});
