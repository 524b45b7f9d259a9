export type EmbeddingKind = "openai" | "use" | "lexical";

/** What a query or a document is embedded as; some models embed the two differently. */
export type EmbeddingInput = "document" | "query";

/**
 * One interface over every embedding backend. `model` and `dimension` are recorded per workspace so that
 * vectors written by one model are never compared with vectors from another.
 */
export interface EmbeddingProvider {
  readonly kind: EmbeddingKind;
  /** A stable identifier, e.g. `openai:text-embedding-3-small@1536`, `use:universal-sentence-encoder@512`. */
  readonly model: string;
  readonly dimension: number;
  /** What computes the vectors where that varies, e.g. `wasm-simd` for USE; for details and health. */
  readonly backend?: string | undefined;
  /** One vector per text, in order; each vector has `dimension` numbers and unit length. */
  embed(texts: readonly string[], input?: EmbeddingInput): Promise<number[][]>;
}
