import { embeddingKindFromEnv, env } from "./env";
import { createLexicalEmbeddingProvider } from "./lexical";
import { createOpenAIEmbeddingProvider } from "./openai";
import type { EmbeddingKind, EmbeddingProvider } from "./types";
import { createUseEmbeddingProvider } from "./use";

export { embeddingKindFromEnv } from "./env";
export {
  createLexicalEmbeddingProvider,
  DEFAULT_LEXICAL_DIMENSION,
  embedLexical,
  type LexicalEmbeddingOptions,
} from "./lexical";
export {
  createOpenAIEmbeddingProvider,
  DEFAULT_OPENAI_EMBEDDING_DIMENSION,
  DEFAULT_OPENAI_EMBEDDING_MODEL,
  OPENAI_MAX_INPUTS_PER_REQUEST,
  OpenAIEmbeddingError,
  type OpenAIEmbeddingOptions,
} from "./openai";
export type { RetryPolicy } from "./retry";
export type { EmbeddingInput, EmbeddingKind, EmbeddingProvider } from "./types";
export {
  createUseEmbeddingProvider,
  loadUseModel,
  USE_DEFAULT_TOKENS,
  USE_DIMENSION,
  USE_MAX_TOKENS,
  USE_MODEL_ID,
  type UseBackend,
  type UseBackendRequest,
  type UseEmbeddingOptions,
  type UseEmbeddingProvider,
  type UseRuntime,
} from "./use";
export { cosineSimilarity, normalize } from "./vector-math";

export interface EmbeddingProviderConfig {
  kind?: EmbeddingKind | undefined;
  openai?:
    | {
        apiKey: string;
        baseURL?: string | undefined;
        model?: string | undefined;
        dimensions?: number | undefined;
      }
    | undefined;
  lexicalDimension?: number | undefined;
}

function optionalNumber(value: number | string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

/**
 * Explicit config first, then the environment. Passing `openai` options without a `kind` means OpenAI:
 * handing over a key and then getting another backend would be surprising. Missing OpenAI fields fall
 * back to the OPENAI_* variables.
 */
export function createEmbeddingProvider(config: EmbeddingProviderConfig = {}): EmbeddingProvider {
  const kind = config.kind ?? (config.openai ? "openai" : embeddingKindFromEnv());
  switch (kind) {
    case "openai": {
      const apiKey = config.openai?.apiKey ?? env.OPENAI_API_KEY;
      if (!apiKey) {
        throw new Error(
          "OpenAI embeddings need an API key: set OPENAI_API_KEY (or choose EMBEDDINGS=use or lexical)",
        );
      }
      return createOpenAIEmbeddingProvider({
        apiKey,
        baseURL: config.openai?.baseURL ?? env.OPENAI_BASE_URL,
        model: config.openai?.model ?? env.OPENAI_EMBEDDING_MODEL,
        // Number(): with SKIP_ENV_VALIDATION=1 t3 hands back the raw string instead of the coerced number.
        dimensions: config.openai?.dimensions ?? optionalNumber(env.OPENAI_EMBEDDING_DIMENSIONS),
      });
    }
    case "use":
      return createUseEmbeddingProvider({ maxTokens: optionalNumber(env.USE_MAX_TOKENS) });
    case "lexical":
      return createLexicalEmbeddingProvider({ dimension: config.lexicalDimension });
    default: {
      const unknown: never = kind;
      throw new Error(`Unknown embedding kind ${String(unknown)}: use openai, use or lexical`);
    }
  }
}

/** The provider the environment asks for: EMBEDDINGS, else OpenAI when OPENAI_API_KEY is set, else USE. */
export function embeddingProviderFromEnv(): EmbeddingProvider {
  return createEmbeddingProvider();
}

export interface EmbeddingDescription {
  kind: EmbeddingKind;
  model: string;
  dimension: number;
  /** Present once known, e.g. `wasm-simd` after USE has loaded. */
  backend?: string;
}

/** What the health endpoint reports; never anything secret such as the key or the base URL. */
export function describeEmbeddings(provider: EmbeddingProvider): EmbeddingDescription {
  const { kind, model, dimension, backend } = provider;
  return backend ? { kind, model, dimension, backend } : { kind, model, dimension };
}
