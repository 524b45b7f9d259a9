import OpenAI from "openai";

export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  OpenAIError,
  RateLimitError,
} from "openai";
export type {
  CreateEmbeddingResponse,
  Embedding,
  EmbeddingCreateParams,
  EmbeddingModel,
} from "openai/resources/embeddings";
export { openaiConfigured } from "./env";

export type OpenAIClient = OpenAI;

export interface OpenAIOptions {
  apiKey: string;
  /** An OpenAI-compatible endpoint (a proxy, a local server, a test double), including the `/v1` suffix. */
  baseURL?: string | undefined;
  /**
   * The SDK retries twice on its own by default. Callers that run their own retry policy set 0 here,
   * otherwise the two policies multiply and a failing request is sent up to 12 times.
   */
  maxRetries?: number | undefined;
  /** Per-request timeout in milliseconds; the SDK's default is ten minutes, far too long for a request path. */
  timeout?: number | undefined;
}

const OPENAI_API_URL = "https://api.openai.com/v1";

/**
 * Options in, SDK client out. The SDK falls back to OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID and
 * friends in process.env for anything left undefined, which would let the environment override what the
 * caller chose; passing explicit values keeps env.ts the only reader of the environment.
 */
export function createOpenAI(options: OpenAIOptions): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? OPENAI_API_URL,
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: options.maxRetries,
    timeout: options.timeout,
  });
}
