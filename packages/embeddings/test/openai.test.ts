import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOpenAIEmbeddingProvider, OpenAIEmbeddingError } from "../src/openai";
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter } from "../src/retry";
import { normalize } from "../src/vector-math";
import { doubleVector, type OpenAIHttpDouble, startOpenAIHttpDouble } from "./openai-http-double";

let double: OpenAIHttpDouble;

beforeAll(async () => {
  double = await startOpenAIHttpDouble();
});
afterAll(async () => {
  await double.close();
});
beforeEach(() => {
  double.reset();
});

const fastRetry = { baseDelayMs: 1, maxDelayMs: 2_000 };

function provider(options: Partial<Parameters<typeof createOpenAIEmbeddingProvider>[0]> = {}) {
  return createOpenAIEmbeddingProvider({
    apiKey: "sk-test",
    baseURL: double.baseURL,
    retry: fastRetry,
    ...options,
  });
}

function expectVectorsFor(texts: string[], vectors: number[][], dimension: number, digits = 6) {
  expect(vectors).toHaveLength(texts.length);
  texts.forEach((text, i) => {
    const expected = normalize(doubleVector(text, dimension));
    const actual = vectors[i]!;
    expect(actual).toHaveLength(dimension);
    for (let j = 0; j < dimension; j++) expect(actual[j]).toBeCloseTo(expected[j]!, digits);
  });
}

describe("OpenAI embedding provider against an HTTP test double", () => {
  it("names its model with the dimension and sends model, dimensions and the key", async () => {
    const p = provider({ dimensions: 256 });
    expect(p.kind).toBe("openai");
    expect(p.model).toBe("openai:text-embedding-3-small@256");
    expect(p.dimension).toBe(256);
    await p.embed(["hello"]);
    expect(double.requests).toHaveLength(1);
    const [request] = double.requests;
    expect(request?.authorization).toBe("Bearer sk-test");
    expect(request?.body.model).toBe("text-embedding-3-small");
    expect(request?.body.dimensions).toBe(256);
  });

  it("defaults to 1536 dimensions and sends them for text-embedding-3 models", async () => {
    const p = provider();
    const [vector] = await p.embed(["default size"]);
    expect(vector).toHaveLength(1536);
    expect(double.requests[0]?.body.dimensions).toBe(1536);
  });

  it("returns unit vectors in input order although the server answers in reverse", async () => {
    const texts = ["alpha", "beta", "gamma", "delta"];
    const vectors = await provider({ dimensions: 16 }).embed(texts);
    expectVectorsFor(texts, vectors, 16);
    for (const v of vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 10);
  });

  it("decodes base64 as little-endian float32, tiny pooled buffers included", async () => {
    const texts = Array.from({ length: 9 }, (_, i) => `text ${i}`);
    const vectors = await provider({ dimensions: 3, encodingFormat: "base64" }).embed(texts);
    expect(double.requests[0]?.body.encoding_format).toBe("base64");
    // float32 on the wire: agreement to ~6 digits, not bit-exact with the float64 original.
    expectVectorsFor(texts, vectors, 3, 5);
  });

  it("asks for and decodes float encoding when configured", async () => {
    const texts = ["one", "two"];
    const vectors = await provider({ dimensions: 8, encodingFormat: "float" }).embed(texts);
    expect(double.requests[0]?.body.encoding_format).toBe("float");
    expectVectorsFor(texts, vectors, 8, 12);
  });

  it("splits batches by input count and keeps the overall order", async () => {
    const texts = Array.from({ length: 5 }, (_, i) => `item ${i}`);
    const vectors = await provider({ dimensions: 4, maxBatchSize: 2 }).embed(texts);
    expect(double.requests.map((r) => r.body.input)).toEqual([
      ["item 0", "item 1"],
      ["item 2", "item 3"],
      ["item 4"],
    ]);
    expectVectorsFor(texts, vectors, 4);
  });

  it("never sends more than 2048 inputs in one request", async () => {
    const texts = Array.from({ length: 2050 }, (_, i) => `t${i}`);
    const vectors = await provider({ dimensions: 2, maxBatchSize: 10_000 }).embed(texts);
    expect(double.requests.map((r) => r.body.input.length)).toEqual([2048, 2]);
    expect(vectors).toHaveLength(2050);
    expectVectorsFor([texts[2049]!], [vectors[2049]!], 2, 5);
  });

  it("splits batches by the approximate token budget", async () => {
    const long = "word ".repeat(60); // 300 ASCII characters: ~100 estimated tokens each
    const texts = [long, long, long, "short"];
    await provider({ dimensions: 2, maxTokensPerRequest: 250 }).embed(texts);
    expect(double.requests.map((r) => r.body.input.length)).toEqual([2, 2]);
  });

  it("retries a 429, honouring retry-after-ms, then succeeds", async () => {
    double.script({
      status: 429,
      headers: { "retry-after-ms": "250" },
      error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" },
    });
    const started = performance.now();
    const vectors = await provider({ dimensions: 4 }).embed(["retry me"]);
    const elapsed = performance.now() - started;
    expect(double.requests).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(240);
    expectVectorsFor(["retry me"], vectors, 4);
  });

  it("retries 5xx and dropped connections", async () => {
    double.script({ status: 503, error: { message: "overloaded" } }, { drop: true });
    const vectors = await provider({ dimensions: 4 }).embed(["flaky"]);
    expect(double.requests).toHaveLength(3);
    expectVectorsFor(["flaky"], vectors, 4);
  });

  it("gives a clear error after exhausting its attempts", async () => {
    double.script(
      ...Array.from({ length: 10 }, () => ({ status: 500, error: { message: "boom" } })),
    );
    const error = await provider({ dimensions: 4 })
      .embed(["doomed"])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAIEmbeddingError);
    expect(double.requests).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts);
    const failure = error as OpenAIEmbeddingError;
    expect(failure.status).toBe(500);
    expect(failure.attempts).toBe(4);
    expect(failure.message).toMatch(/failed after 4 attempts/);
    expect(failure.message).toMatch(/boom/);
  });

  it("does not retry client errors or an exhausted quota", async () => {
    double.script({
      status: 401,
      error: { message: "Incorrect API key provided", type: "invalid_request_error" },
    });
    await expect(provider().embed(["x"])).rejects.toThrow(/after 1 attempt.*OPENAI_API_KEY/s);
    expect(double.requests).toHaveLength(1);

    double.reset();
    double.script({
      status: 429,
      error: {
        message: "You exceeded your current quota",
        type: "insufficient_quota",
        code: "insufficient_quota",
      },
    });
    await expect(provider().embed(["x"])).rejects.toThrow(/quota/);
    expect(double.requests).toHaveLength(1);
  });

  it("names the fix when the model returns another dimension", async () => {
    double.script({ wrongDimension: 768 });
    await expect(provider({ model: "nomic-embed-text" }).embed(["x"])).rejects.toThrow(
      /768-d vectors but 1536 were configured: set OPENAI_EMBEDDING_DIMENSIONS=768/,
    );
    // Not a text-embedding-3 model and no explicit size: the field is left out for compatibility.
    expect(double.requests[0]?.body.dimensions).toBeUndefined();
  });

  it("sends no request for no texts and replaces empty strings, which the API rejects", async () => {
    const p = provider({ dimensions: 4 });
    expect(await p.embed([])).toEqual([]);
    expect(double.requests).toHaveLength(0);
    await p.embed(["", "x"]);
    expect(double.requests[0]?.body.input).toEqual([" ", "x"]);
  });

  it("truncates inputs past the per-input token limit", async () => {
    await provider({ dimensions: 2 }).embed(["a".repeat(100_000)]);
    const sent = double.requests[0]?.body.input[0] ?? "";
    expect(sent.length).toBeLessThan(100_000);
    expect(sent.length).toBeGreaterThan(20_000);
  });
});

describe("retry timing", () => {
  it("parses retry-after-ms, retry-after seconds and HTTP dates", () => {
    const headers = (values: Record<string, string>) => new Headers(values);
    expect(parseRetryAfter(headers({ "retry-after-ms": "1500" }))).toBe(1500);
    expect(parseRetryAfter(headers({ "retry-after": "2" }))).toBe(2000);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter(headers({ "retry-after": "Wed, 01 Jan 2025 00:00:03 GMT" }), now)).toBe(
      3000,
    );
    expect(parseRetryAfter(headers({}))).toBeUndefined();
    expect(parseRetryAfter(headers({ "retry-after": "soon" }))).toBeUndefined();
  });

  it("backs off exponentially with jitter and caps the wait", () => {
    const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, policy, undefined, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, undefined, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, undefined, () => 1)).toBe(400);
    expect(backoffDelay(10, policy, undefined, () => 1)).toBe(1000);
    expect(backoffDelay(1, policy, 60_000)).toBe(1000);
    expect(backoffDelay(1, policy, 5)).toBe(5);
  });
});
