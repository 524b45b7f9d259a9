import { type Index, Pinecone, type RecordMetadata } from "@pinecone-database/pinecone";

export type {
  IndexStatsDescription,
  PineconeRecord,
  QueryResponse,
  RecordMetadata,
  RecordMetadataValue,
} from "@pinecone-database/pinecone";
export { pineconeConfigured } from "./env";

export type PineconeIndex = Index<RecordMetadata>;

export interface PineconeIndexOptions {
  apiKey: string;
  indexName: string;
  /**
   * The index's data-plane host. When set, the SDK talks to it directly and never calls the control
   * plane to resolve the host (which also lets tests point it at a local double).
   */
  host?: string;
}

/** Options in, SDK index out: this wrapper reads no environment, so callers decide where config comes from. */
export function createPineconeIndex(options: PineconeIndexOptions): PineconeIndex {
  const client = new Pinecone({ apiKey: options.apiKey });
  return client.index<RecordMetadata>({ name: options.indexName, host: options.host });
}

/**
 * Serverless Pinecone answers 404 when deleting from a namespace that holds no records; for callers that
 * delete idempotently that is success, so they need to recognise it without importing the SDK's errors.
 */
export function isPineconeNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === "PineconeNotFoundError";
}
