import { afterEach, describe, expect, it, vi } from "vitest";

/** Each case loads the env modules afresh, since t3 env validates once, at import. */
async function load(vars: Record<string, string | undefined>) {
  vi.resetModules();
  for (const name of [
    "PINECONE_API_KEY",
    "PINECONE_INDEX",
    "PINECONE_HOST",
    "SKIP_ENV_VALIDATION",
  ]) {
    vi.stubEnv(name, vars[name]);
  }
  return import("../src/index");
}

const fakeDb = {} as Parameters<Awaited<ReturnType<typeof load>>["createVectorStore"]>[0]["db"];

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("vector store selection from the environment", () => {
  it("uses pgvector when Pinecone is not configured (empty strings count as unset)", async () => {
    const m = await load({ PINECONE_API_KEY: "", PINECONE_INDEX: "" });
    expect(m.configuredVectorStoreKind()).toBe("pgvector");
    expect(m.createVectorStore({ db: fakeDb, dimension: 384 }).kind).toBe("pgvector");
    expect(() => m.createVectorStore({ kind: "pinecone", db: fakeDb, dimension: 384 })).toThrow(
      /needs PINECONE_API_KEY and PINECONE_INDEX/,
    );
  });

  it("uses Pinecone when both PINECONE_API_KEY and PINECONE_INDEX are set", async () => {
    const m = await load({
      PINECONE_API_KEY: "pk-test",
      PINECONE_INDEX: "memories",
      PINECONE_HOST: "http://127.0.0.1:9",
    });
    expect(m.configuredVectorStoreKind()).toBe("pinecone");
    const store = m.createVectorStore({ db: fakeDb, dimension: 1536 });
    expect(store).toMatchObject({ kind: "pinecone", dimension: 1536 });
    expect(m.createVectorStore({ kind: "pgvector", db: fakeDb, dimension: 1536 }).kind).toBe(
      "pgvector",
    );
  });

  it("names the missing half when only one of key and index is set", async () => {
    await expect(load({ PINECONE_API_KEY: "pk-test" })).rejects.toThrow(
      /PINECONE_INDEX is missing: PINECONE_API_KEY is set/,
    );
    await expect(load({ PINECONE_INDEX: "memories" })).rejects.toThrow(
      /PINECONE_API_KEY is missing: PINECONE_INDEX is set/,
    );
  });

  it("names a malformed variable and what to set it to", async () => {
    await expect(
      load({ PINECONE_API_KEY: "k", PINECONE_INDEX: "memories", PINECONE_HOST: "not a url" }),
    ).rejects.toThrow(
      /Invalid environment variables:\n {2}PINECONE_HOST must be the index's data-plane URL/,
    );
    await expect(load({ PINECONE_API_KEY: "k", PINECONE_INDEX: "Bad_Name" })).rejects.toThrow(
      /PINECONE_INDEX must be an index name/,
    );
  });

  it("skips validation when SKIP_ENV_VALIDATION=1", async () => {
    const m = await load({ PINECONE_API_KEY: "pk-test", SKIP_ENV_VALIDATION: "1" });
    expect(m.configuredVectorStoreKind()).toBe("pgvector");
  });
});

describe("assertPgvectorAvailable", () => {
  it("explains what to do when the database has no vector extension", async () => {
    const m = await load({});
    const handle = { target: "127.0.0.1:5432/app", supportsPgvector: async () => false };
    await expect(m.assertPgvectorAvailable(handle)).rejects.toThrow(
      "the database at 127.0.0.1:5432/app has no pgvector extension; set PINECONE_API_KEY and PINECONE_INDEX, or use a Postgres with pgvector",
    );
    await expect(
      m.assertPgvectorAvailable({ ...handle, supportsPgvector: async () => true }),
    ).resolves.toBeUndefined();
  });
});
