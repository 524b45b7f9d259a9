export type VectorStoreKind = "pinecone" | "pgvector";

export type MetadataValue = string | number | boolean | string[];
export type VectorMetadata = Record<string, MetadataValue>;

export interface VectorRecord {
  id: string;
  values: number[];
  metadata: VectorMetadata;
}

/** A Pinecone-compatible subset, so both stores read the same filters. */
export type VectorFilter = Record<
  string,
  MetadataValue | { $eq: MetadataValue } | { $in: (string | number)[] } | { $ne: MetadataValue }
>;

export interface VectorMatch {
  id: string;
  /** Cosine similarity in [-1, 1]; higher is closer. */
  score: number;
  metadata: VectorMetadata;
}

export interface VectorQuery {
  vector: number[];
  topK: number;
  filter?: VectorFilter;
  /**
   * Default true. False returns matches with empty metadata: a caller that only needs ids (search reads
   * the observation and view from the deterministic id) spares the store sending every record's metadata.
   */
  includeMetadata?: boolean;
}

/**
 * One interface over Pinecone and pgvector. A namespace is a workspace: every call names one, and nothing
 * crosses namespaces.
 */
export interface VectorStore {
  readonly kind: VectorStoreKind;
  readonly dimension: number;
  upsert(namespace: string, records: readonly VectorRecord[]): Promise<void>;
  query(namespace: string, query: VectorQuery): Promise<VectorMatch[]>;
  fetch(namespace: string, ids: readonly string[]): Promise<VectorRecord[]>;
  delete(namespace: string, ids: readonly string[]): Promise<void>;
  deleteNamespace(namespace: string): Promise<void>;
  count(namespace: string): Promise<number>;
  /** A cheap reachability check for /api/health. */
  ping(): Promise<void>;
  /**
   * A namespace's vectors in id order, a page at a time, for building an index elsewhere (search keeps
   * one in memory on the embedded default). Only stores that can list cheaply have it: pgvector.
   */
  scan?(
    namespace: string,
    page: { afterId?: string; limit: number },
  ): Promise<{ id: string; values: number[] }[]>;
  /**
   * Keeps the store's index fit for its size (pgvector on PGlite builds and rebuilds an IVFFlat index);
   * a no-op where the service manages its own. Run it from a timer: it may take seconds.
   */
  maintain?(): Promise<{ action: string; rows?: number; lists?: number; ms?: number }>;
}

export type VectorView = "title" | "content" | "summary";

/** Deterministic, so a retried upsert overwrites instead of duplicating. */
export function vectorId(view: VectorView, observationId: string): string {
  return `obs_${view}_${observationId}`;
}

const VECTOR_ID = /^obs_(title|content|summary)_(.+)$/;

/** The view and observation a vector id names; undefined for an id not made by `vectorId`. */
export function parseVectorId(id: string): { view: VectorView; observationId: string } | undefined {
  const match = VECTOR_ID.exec(id);
  return match ? { view: match[1] as VectorView, observationId: match[2]! } : undefined;
}
