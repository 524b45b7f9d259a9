import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  createOpenAI,
  type OpenAIClient,
} from "@vendor/openai";
import { DEFAULT_MAX_TOKENS_PER_REQUEST, fitInput, planBatches } from "./openai-batching";
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  type RetryPolicy,
  sleep,
} from "./retry";
import type { EmbeddingInput, EmbeddingProvider } from "./types";
import { normalize } from "./vector-math";

export const DEFAULT_OPENAI_EMBEDDING_MODEL = "text-embedding-3-small";
export const DEFAULT_OPENAI_EMBEDDING_DIMENSION = 1536;
/** The API rejects requests with more inputs than this. */
export const OPENAI_MAX_INPUTS_PER_REQUEST = 2048;

export interface OpenAIEmbeddingOptions {
  apiKey: string;
  /** An OpenAI-compatible endpoint including `/v1`; defaults to OpenAI itself. */
  baseURL?: string | undefined;
  model?: string | undefined;
  /** Output size; text-embedding-3 models shorten their vectors to it server-side. Default 1536. */
  dimensions?: number | undefined;
  /** Inputs per request, at most 2048 (the API's limit). */
  maxBatchSize?: number | undefined;
  /**
   * Estimated tokens per request. The API refuses requests over 300,000 tokens in total; the estimate
   * is deliberately pessimistic, so the default leaves room without a tokenizer dependency.
   */
  maxTokensPerRequest?: number | undefined;
  /**
   * `base64` is a quarter of the bytes of `float` on the wire. Either way the response is decoded here
   * and both shapes are accepted, because some OpenAI-compatible servers ignore the parameter.
   */
  encodingFormat?: "base64" | "float" | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number | undefined;
}

/**
 * Little-endian float32s, as OpenAI encodes them. Read through a DataView, which pins the byte order
 * whatever the host's, and unlike a Float32Array view does not depend on the Buffer (often a slice of
 * Node's shared pool) starting at a 4-byte-aligned offset.
 */
function decodeBase64Floats(encoded: string): number[] {
  const bytes = Buffer.from(encoded, "base64");
  if (bytes.byteLength % 4 !== 0) {
    throw new Error(
      `base64 embedding has ${bytes.byteLength} bytes, not a whole number of float32s`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<number>(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export class OpenAIEmbeddingError extends Error {
  override readonly name = "OpenAIEmbeddingError";
  constructor(
    message: string,
    /** HTTP status of the last failure, if the server answered at all. */
    readonly status: number | undefined,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface Classified {
  retryable: boolean;
  status: number | undefined;
  retryAfterMs: number | undefined;
  detail: string;
}

function classify(error: unknown): Classified {
  if (error instanceof APIUserAbortError) {
    return { retryable: false, status: undefined, retryAfterMs: undefined, detail: error.message };
  }
  // Refused connections, resets and timeouts: the request may never have arrived, so try again.
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
    return {
      retryable: true,
      status: undefined,
      retryAfterMs: undefined,
      detail: error.message + cause,
    };
  }
  if (error instanceof APIError) {
    const status = error.status;
    const headers = error.headers;
    const serverSays = headers?.get("x-should-retry");
    // A 429 for an exhausted quota never clears by waiting; retrying only delays the real message.
    const quota = error.code === "insufficient_quota" || error.type === "insufficient_quota";
    let retryable =
      status !== undefined && (status === 408 || status === 409 || status === 429 || status >= 500);
    if (quota) retryable = false;
    if (serverSays === "true") retryable = true;
    if (serverSays === "false") retryable = false;
    return { retryable, status, retryAfterMs: parseRetryAfter(headers), detail: error.message };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { retryable: false, status: undefined, retryAfterMs: undefined, detail };
}

function hintFor(status: number | undefined): string {
  if (status === 401) return " Check OPENAI_API_KEY.";
  if (status === 404) return " Check OPENAI_EMBEDDING_MODEL and OPENAI_BASE_URL.";
  if (status === 429) return " The account is rate limited or out of quota.";
  return "";
}

export function createOpenAIEmbeddingProvider(options: OpenAIEmbeddingOptions): EmbeddingProvider {
  const model = options.model ?? DEFAULT_OPENAI_EMBEDDING_MODEL;
  const dimension = options.dimensions ?? DEFAULT_OPENAI_EMBEDDING_DIMENSION;
  const maxInputs = Math.min(
    options.maxBatchSize ?? OPENAI_MAX_INPUTS_PER_REQUEST,
    OPENAI_MAX_INPUTS_PER_REQUEST,
  );
  const maxTokens = options.maxTokensPerRequest ?? DEFAULT_MAX_TOKENS_PER_REQUEST;
  const encodingFormat = options.encodingFormat ?? "base64";
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  if (!options.apiKey) {
    throw new Error("The OpenAI embedding provider needs an API key: set OPENAI_API_KEY");
  }
  if (!Number.isInteger(dimension) || dimension <= 0) {
    throw new Error(
      `OpenAI embedding dimensions must be a positive whole number, got ${dimension}`,
    );
  }
  if (!Number.isInteger(maxInputs) || maxInputs < 1 || !(maxTokens > 0)) {
    throw new Error("OpenAI embedding batches need at least one input and a positive token budget");
  }
  // Only text-embedding-3 and later accept `dimensions`; older or third-party models reject the field,
  // so it is sent to them only when the caller asked for a size explicitly.
  const sendDimensions = model.startsWith("text-embedding-3") || options.dimensions !== undefined;
  if (model === "text-embedding-ada-002" && dimension !== 1536) {
    throw new Error(
      "text-embedding-ada-002 only produces 1536 dimensions: set OPENAI_EMBEDDING_DIMENSIONS=1536",
    );
  }
  // The SDK's own retries are off: this provider retries with its own policy and error messages.
  const client: OpenAIClient = createOpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 60_000,
  });

  async function requestOnce(input: string[]): Promise<number[][]> {
    const response = await client.embeddings.create({
      model,
      input,
      encoding_format: encodingFormat,
      ...(sendDimensions ? { dimensions: dimension } : {}),
    });
    // Filled, not sparse: indexOf skips the holes of a `new Array(n)`, and would miss gaps.
    const vectors = new Array<number[] | undefined>(input.length).fill(undefined);
    for (const item of response.data) {
      const raw: unknown = item.embedding;
      const index = item.index;
      if (!Number.isInteger(index) || index < 0 || index >= input.length || vectors[index]) {
        throw new Error(
          `response has an invalid or repeated index ${index} for ${input.length} inputs`,
        );
      }
      const values =
        typeof raw === "string"
          ? decodeBase64Floats(raw)
          : Array.isArray(raw)
            ? (raw as number[])
            : undefined;
      if (!values) throw new Error(`response item ${index} has no embedding`);
      if (values.length !== dimension) {
        throw new Error(
          `model ${model} returned ${values.length}-d vectors but ${dimension} were configured: set OPENAI_EMBEDDING_DIMENSIONS=${values.length}`,
        );
      }
      vectors[index] = normalize(values);
    }
    const missing = vectors.indexOf(undefined);
    if (missing !== -1) throw new Error(`response is missing the embedding for input ${missing}`);
    return vectors as number[][];
  }

  async function requestWithRetry(input: string[]): Promise<number[][]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await requestOnce(input);
      } catch (error) {
        const failure = classify(error);
        if (failure.retryable && attempt < policy.maxAttempts) {
          await sleep(backoffDelay(attempt, policy, failure.retryAfterMs));
          continue;
        }
        const tries = `${attempt} attempt${attempt === 1 ? "" : "s"}`;
        throw new OpenAIEmbeddingError(
          `OpenAI embeddings request to ${model} failed after ${tries}: ${failure.detail.replace(/\.$/, "")}.${hintFor(failure.status)}`,
          failure.status,
          attempt,
          { cause: error },
        );
      }
    }
  }

  return {
    kind: "openai",
    model: `openai:${model}@${dimension}`,
    dimension,
    // OpenAI's embedding models take no query/document distinction.
    async embed(texts: readonly string[], _input?: EmbeddingInput): Promise<number[][]> {
      const inputs = texts.map(fitInput);
      const out: number[][] = [];
      // Sequential on purpose: parallel batches would multiply the rate-limit pressure being retried.
      for (const [start, end] of planBatches(inputs, maxInputs, maxTokens)) {
        out.push(...(await requestWithRetry(inputs.slice(start, end))));
      }
      return out;
    },
  };
}
