import type { DatabaseHandle } from "@db/console";
import {
  createPineconeIndex,
  type PineconeIndex,
  type PineconeIndexOptions,
} from "@vendor/pinecone";
import { env } from "./env";
import { createPgvectorStore, PGVECTOR_MISSING_HINT, type PgvectorDatabase } from "./pgvector";
import { createPineconeStore } from "./pinecone";
import type { VectorStore, VectorStoreKind } from "./types";

export { type MemoryIndexOptions, type MemoryMatch, MemoryVectorIndex } from "./memory-index";
export {
  createPgvectorStore,
  PGVECTOR_MISSING_HINT,
  type PgvectorDatabase,
  type PgvectorIndexMode,
  type PgvectorStoreOptions,
  pgvectorTableName,
} from "./pgvector";
export {
  createPineconeStore,
  PINECONE_BATCH_LIMITS,
  type PineconeBatchLimits,
  type PineconeStoreOptions,
  planUpsertBatches,
} from "./pinecone";
export { rememberRecentWrites } from "./recent-writes";
export * from "./types";

export interface CreateVectorStoreOptions {
  /** Forces a backend; by default Pinecone when it is configured, else pgvector. */
  kind?: VectorStoreKind;
  /** Used by pgvector; ignored when the store is Pinecone. */
  db: PgvectorDatabase;
  dimension: number;
  /** An index handle or connection options; by default PINECONE_API_KEY/PINECONE_INDEX/PINECONE_HOST. */
  pinecone?: PineconeIndex | PineconeIndexOptions;
}

function pineconeFromEnv(): PineconeIndexOptions | undefined {
  if (!env.PINECONE_API_KEY || !env.PINECONE_INDEX) return undefined;
  return { apiKey: env.PINECONE_API_KEY, indexName: env.PINECONE_INDEX, host: env.PINECONE_HOST };
}

/** Which backend `createVectorStore` picks without an explicit `kind`. */
export function configuredVectorStoreKind(): VectorStoreKind {
  return pineconeFromEnv() ? "pinecone" : "pgvector";
}

function isIndexOptions(
  value: PineconeIndex | PineconeIndexOptions,
): value is PineconeIndexOptions {
  return typeof (value as PineconeIndexOptions).apiKey === "string";
}

export function createVectorStore(options: CreateVectorStoreOptions): VectorStore {
  const pinecone = options.pinecone ?? pineconeFromEnv();
  const kind = options.kind ?? (pinecone ? "pinecone" : "pgvector");
  if (kind === "pgvector") {
    return createPgvectorStore({ db: options.db, dimension: options.dimension });
  }
  if (!pinecone) {
    throw new Error(
      "the Pinecone vector store needs PINECONE_API_KEY and PINECONE_INDEX (PINECONE_HOST optional)",
    );
  }
  const index = isIndexOptions(pinecone) ? createPineconeIndex(pinecone) : pinecone;
  return createPineconeStore({ index, dimension: options.dimension });
}

/**
 * For startup checks: pgvector is the default store, and a plain Postgres server may not have it. Fails
 * with what to do instead of a SQL error on the first upsert.
 */
export async function assertPgvectorAvailable(
  handle: Pick<DatabaseHandle, "target" | "supportsPgvector">,
): Promise<void> {
  if (!(await handle.supportsPgvector())) {
    throw new Error(
      `the database at ${handle.target} has no pgvector extension; ${PGVECTOR_MISSING_HINT}`,
    );
  }
}
