import { type DatabaseHandle, openDatabase } from "@db/console";
import { createEmbeddingProvider } from "@repo/embeddings";
import { createVectorStore } from "@repo/vectors";
import type { WorkflowDeps } from "../src/workflows/types";

let separateVectorDatabase: Promise<DatabaseHandle> | undefined;

/**
 * Real backends for workflow tests: the test database, the lexical embedder, and pgvector in that database.
 * A Postgres server without the vector extension (as in CI) keeps the relational data and gets its vectors
 * from pgvector in an in-memory PGlite instead: a separate vector service, as Pinecone is in production.
 */
export async function testDeps(handle: DatabaseHandle): Promise<WorkflowDeps> {
  const embeddings = createEmbeddingProvider({ kind: "lexical" });
  return {
    db: handle.db,
    embeddings,
    vectors: createVectorStore({
      kind: "pgvector",
      db: await vectorDatabaseFor(handle),
      dimension: embeddings.dimension,
    }),
  };
}

/** Where a test's pgvector store lives: the test database when it has the extension. */
export async function vectorDatabaseFor(handle: DatabaseHandle): Promise<DatabaseHandle["db"]> {
  if (await handle.supportsPgvector()) return handle.db;
  separateVectorDatabase ??= openDatabase({ dataDir: "memory://", role: "test-vectors" });
  return (await separateVectorDatabase).db;
}
