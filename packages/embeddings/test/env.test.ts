import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type OpenAIHttpDouble, startOpenAIHttpDouble } from "./openai-http-double";

const VARS = [
  "EMBEDDINGS",
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "OPENAI_EMBEDDING_MODEL",
  "OPENAI_EMBEDDING_DIMENSIONS",
  "USE_MAX_TOKENS",
  "SKIP_ENV_VALIDATION",
] as const;

/** Env modules validate at import, so each scenario gets fresh modules under a controlled environment. */
async function load(vars: Partial<Record<(typeof VARS)[number], string>>) {
  for (const name of VARS) vi.stubEnv(name, vars[name]);
  vi.resetModules();
  return import("../src/index");
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("choosing a provider from the environment", () => {
  it("uses the offline encoder when nothing is configured", async () => {
    const { embeddingProviderFromEnv, describeEmbeddings } = await load({});
    expect(describeEmbeddings(embeddingProviderFromEnv())).toEqual({
      kind: "use",
      model: "use:universal-sentence-encoder@512",
      dimension: 512,
    });
  });

  it("uses OpenAI when a key is set, with model and dimensions from the environment", async () => {
    const { embeddingProviderFromEnv, embeddingKindFromEnv } = await load({
      OPENAI_API_KEY: "sk-x",
    });
    expect(embeddingKindFromEnv()).toBe("openai");
    expect(embeddingProviderFromEnv().model).toBe("openai:text-embedding-3-small@1536");

    const configured = await load({
      OPENAI_API_KEY: "sk-x",
      OPENAI_EMBEDDING_MODEL: "text-embedding-3-large",
      OPENAI_EMBEDDING_DIMENSIONS: "1024",
    });
    const provider = configured.embeddingProviderFromEnv();
    expect(provider.model).toBe("openai:text-embedding-3-large@1024");
    expect(provider.dimension).toBe(1024);
  });

  it("lets EMBEDDINGS override the automatic choice", async () => {
    const { embeddingProviderFromEnv } = await load({
      EMBEDDINGS: "lexical",
      OPENAI_API_KEY: "sk-x",
    });
    expect(embeddingProviderFromEnv().model).toBe("lexical:hashed-ngrams@384");
  });

  it("treats empty variables as unset", async () => {
    const { embeddingProviderFromEnv } = await load({ EMBEDDINGS: "", OPENAI_API_KEY: "" });
    expect(embeddingProviderFromEnv().kind).toBe("use");
  });

  it("refuses EMBEDDINGS=openai without a key, naming OPENAI_API_KEY", async () => {
    await expect(load({ EMBEDDINGS: "openai" })).rejects.toThrow(/OPENAI_API_KEY is missing/);
  });

  it("names the variable and the fix for invalid values", async () => {
    await expect(load({ EMBEDDINGS: "bert" })).rejects.toThrow(
      /EMBEDDINGS must be openai, use .* or lexical/,
    );
    await expect(load({ OPENAI_EMBEDDING_DIMENSIONS: "wide" })).rejects.toThrow(
      /OPENAI_EMBEDDING_DIMENSIONS must be a whole number/,
    );
    await expect(load({ OPENAI_EMBEDDING_DIMENSIONS: "-3" })).rejects.toThrow(
      /OPENAI_EMBEDDING_DIMENSIONS must be a positive/,
    );
    await expect(load({ USE_MAX_TOKENS: "200" })).rejects.toThrow(
      /USE_MAX_TOKENS can be at most 128/,
    );
    await expect(load({ USE_MAX_TOKENS: "many" })).rejects.toThrow(
      /USE_MAX_TOKENS must be a whole number of tokens/,
    );
    await expect(load({ OPENAI_BASE_URL: "localhost:4000" })).rejects.toThrow(
      /OPENAI_BASE_URL must be an http\(s\) URL/,
    );
  });
});

describe("explicit configuration", () => {
  it("wins over the environment", async () => {
    const { createEmbeddingProvider } = await load({ EMBEDDINGS: "use", OPENAI_API_KEY: "sk-x" });
    expect(createEmbeddingProvider({ kind: "lexical", lexicalDimension: 128 }).model).toBe(
      "lexical:hashed-ngrams@128",
    );
    expect(createEmbeddingProvider({ openai: { apiKey: "sk-y", dimensions: 256 } }).model).toBe(
      "openai:text-embedding-3-small@256",
    );
  });

  it("asks for OPENAI_API_KEY when OpenAI is chosen without any key", async () => {
    const { createEmbeddingProvider } = await load({});
    expect(() => createEmbeddingProvider({ kind: "openai" })).toThrow(/OPENAI_API_KEY/);
  });

  it("reports only kind, model and dimension for the health endpoint", async () => {
    const { createEmbeddingProvider, describeEmbeddings } = await load({});
    const description = describeEmbeddings(
      createEmbeddingProvider({ openai: { apiKey: "sk-secret" } }),
    );
    expect(description).toEqual({
      kind: "openai",
      model: "openai:text-embedding-3-small@1536",
      dimension: 1536,
    });
    expect(JSON.stringify(description)).not.toContain("sk-secret");
  });
});

describe("environment plumbing end to end", () => {
  let double: OpenAIHttpDouble;
  beforeAll(async () => {
    double = await startOpenAIHttpDouble();
  });
  afterAll(async () => {
    await double.close();
  });

  it("sends requests to OPENAI_BASE_URL with OPENAI_API_KEY and the configured model", async () => {
    const { embeddingProviderFromEnv } = await load({
      OPENAI_API_KEY: "sk-from-env",
      OPENAI_BASE_URL: double.baseURL,
      OPENAI_EMBEDDING_MODEL: "text-embedding-3-large",
      OPENAI_EMBEDDING_DIMENSIONS: "64",
    });
    const [vector] = await embeddingProviderFromEnv().embed(["through the environment"]);
    expect(vector).toHaveLength(64);
    expect(double.requests).toHaveLength(1);
    expect(double.requests[0]?.authorization).toBe("Bearer sk-from-env");
    expect(double.requests[0]?.body).toMatchObject({
      model: "text-embedding-3-large",
      dimensions: 64,
    });
  });
});
