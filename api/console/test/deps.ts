import type { DatabaseHandle } from "@db/console";
import { createEmbeddingProvider } from "@repo/embeddings";
import { createVectorStore } from "@repo/vectors";
import type { WorkflowDeps } from "../src/workflows/types";

/** Real backends for workflow tests: the test database, the lexical embedder, pgvector in that database. */
export function testDeps(handle: DatabaseHandle): WorkflowDeps {
  const embeddings = createEmbeddingProvider({ kind: "lexical" });
  return {
    db: handle.db,
    embeddings,
    vectors: createVectorStore({
      kind: "pgvector",
      db: handle.db,
      dimension: embeddings.dimension,
    }),
  };
}
