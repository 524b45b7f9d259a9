import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import type { EmbeddingInput, EmbeddingProvider } from "./types";
import type { UseBackend, UseBackendRequest } from "./use-engine.mjs";
import { usePaths } from "./use-paths";
import { startUseRuntime, type UseRuntime } from "./use-pool";
import { UseTokenizer, type UseVocabulary } from "./use-tokenizer";
import { normalize } from "./vector-math";

export type { UseBackend, UseBackendRequest } from "./use-engine.mjs";
export type { UseRuntime } from "./use-pool";

/*
 * USE Lite is a 2-layer Transformer (not the DAN variant): a text costs time in proportion to its tokens,
 * plus attention's square, and the graph itself reads at most 128 of them. On one core the wasm-simd
 * backend manages ~2,500 tokens/s, so ~20 texts/s of 1,000 characters; throughput comes from several
 * cores (worker threads), sorting texts by length so that short ones are not padded to long ones, and
 * never tokenizing past what the graph reads.
 */
export const USE_MODEL_ID = "use:universal-sentence-encoder@512";
export const USE_DIMENSION = 512;
/** The graph keeps the first 128 tokens of each text (its ClipToMaxLength step) and drops the rest. */
export const USE_MAX_TOKENS = 128;
/*
 * Tokens read per document by default. Cost is about linear in tokens, and a Sentry observation's three
 * views hold ~160 tokens at 64 against ~125 at 48 (each view opens with the title, ~31 tokens). On the
 * dev world nDCG@10 was 0.801 at 64, 0.798 at 48 and 0.806 at 32, differences within what 60 queries can
 * tell apart: the view's opening (the error and where it happened) carries what the vector path matches
 * on; stack frames and dates past it are noise to a sentence encoder and are matched exactly by the entity
 * and lexical paths instead. 48 buys capture ~20% over 64 and keeps a little more of the body than 32.
 * Vectors keep the model id: truncation moves a document within the same space, so a workspace indexed at
 * another cap still compares correctly.
 */
export const USE_DEFAULT_TOKENS = 48;

export interface UseEmbeddingOptions {
  /**
   * Texts per forward pass. Past ~8 long texts a larger pass gains little (it is 1-2% faster per text at
   * 32 than at 16) and holds more memory, while smaller passes let a call's texts spread over the threads.
   */
  batchSize?: number | undefined;
  /**
   * Characters tokenized per text. The encoder reads only its first 128 tokens (~500-600 characters of
   * prose; a piece is at most 16 characters), so 2,000 keeps every token it would read in practice and
   * only bounds the tokenizer's work on huge inputs. Long documents should be chunked before they get here.
   */
  maxChars?: number | undefined;
  /**
   * Tokens kept per text, at most 128 (what the graph reads anyway); default 48 (USE_DEFAULT_TOKENS).
   * Fewer trade meaning for speed, about in proportion for long texts.
   */
  maxTokens?: number | undefined;
  /**
   * Worker threads, each running one encoder in parallel and keeping the caller's event loop free;
   * 0 runs it in the calling thread. Default: the cores available, at most 4 (~150 MB each).
   */
  threads?: number | undefined;
  /** `auto`: WebAssembly (SIMD when the CPU has it), else the pure-JS `cpu` backend. */
  backend?: UseBackendRequest | undefined;
}

export interface UseEmbeddingProvider extends EmbeddingProvider {
  readonly kind: "use";
  /** What runs the encoder, once loaded (undefined before the first call or `loadUseModel`). */
  readonly backend: UseBackend | undefined;
  /** Worker threads embedding in parallel, once loaded; 0 when it runs in the calling thread. */
  readonly threads: number | undefined;
  /** Texts the encoder ran on, and texts answered with another text's vector of the same call. */
  readonly stats: { encoded: number; reused: number };
}

const DEFAULT_BATCH_SIZE = 16;
const DEFAULT_MAX_CHARS = 2000;
const MAX_DEFAULT_THREADS = 4;

function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_THREADS));
}

/*
 * One runtime per (backend, threads) per process, shared by every provider that asks for it: each worker
 * holds its own 28 MB graph. A failed start, a closed pool or one whose workers all died is forgotten,
 * so a later call starts afresh.
 */
const runtimes = new Map<string, Promise<UseRuntime>>();
const started = new Map<string, UseRuntime>();

function runtimeKey(backend: UseBackendRequest, threads: number): string {
  return `${backend}:${threads}`;
}

function loadRuntime(backend: UseBackendRequest, threads: number): Promise<UseRuntime> {
  const key = runtimeKey(backend, threads);
  if (started.get(key)?.alive === false) {
    runtimes.delete(key);
    started.delete(key);
  }
  let runtime = runtimes.get(key);
  if (!runtime) {
    runtime = startUseRuntime({ backend, threads }).then(
      (ready) => {
        started.set(key, ready);
        return ready;
      },
      (error: unknown) => {
        runtimes.delete(key);
        const detail = error instanceof Error ? error.message : String(error);
        throw new Error(`Could not load the Universal Sentence Encoder: ${detail}`, {
          cause: error,
        });
      },
    );
    runtimes.set(key, runtime);
  }
  return runtime;
}

/** The default runtime (auto backend, default threads), loaded once per process. */
export function loadUseModel(options: Pick<UseEmbeddingOptions, "backend" | "threads"> = {}) {
  return loadRuntime(options.backend ?? "auto", options.threads ?? defaultThreads());
}

let tokenizer: Promise<UseTokenizer> | undefined;

function loadTokenizer(): Promise<UseTokenizer> {
  if (!tokenizer) {
    const file = path.join(/*turbopackIgnore: true*/ usePaths().modelDir, "vocab.json");
    tokenizer = readFile(file, "utf8").then(
      (text) => new UseTokenizer(JSON.parse(text) as UseVocabulary),
    );
    tokenizer.catch(() => {
      tokenizer = undefined;
    });
  }
  return tokenizer;
}

function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = maxChars;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

function tokenize(
  tokens: UseTokenizer,
  text: string,
  maxChars: number,
  maxTokens: number,
): number[] {
  const ids = tokens.encode(truncate(text, maxChars));
  // A text with no tokens would leave its row out of the sparse batch and shift every row after it.
  if (ids.length === 0) return tokens.encode(" ").slice(0, maxTokens);
  return ids.length > maxTokens ? ids.slice(0, maxTokens) : ids;
}

/*
 * Splits texts, sorted by token count, into forward passes. A pass pads every text to its longest, so
 * a new pass starts where the length more than doubles (a title never waits on a 128-token body);
 * passes hold at most batchSize texts, evenly spread. The split depends only on the texts, never on the
 * thread count, so a call gives the same numbers in the calling thread and on any number of workers.
 */
function passes(
  order: readonly number[],
  lengths: readonly number[],
  batchSize: number,
): number[][] {
  const groups: number[][] = [];
  let shortest = 0;
  for (const i of order) {
    const length = lengths[i]!;
    const group = groups.at(-1);
    if (group && length <= 2 * shortest + 8) group.push(i);
    else {
      groups.push([i]);
      shortest = length;
    }
  }
  return groups.flatMap((group) => {
    const size = Math.ceil(group.length / Math.ceil(group.length / batchSize));
    const out: number[][] = [];
    for (let start = 0; start < group.length; start += size)
      out.push(group.slice(start, start + size));
    return out;
  });
}

function positiveInteger(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`USE ${name} must be a whole number from 1 to ${max}, got ${value}`);
  }
  return value;
}

/** Semantic embeddings that run offline on CPU: the default when no OpenAI key is configured. */
export function createUseEmbeddingProvider(
  options: UseEmbeddingOptions = {},
): UseEmbeddingProvider {
  const batchSize = positiveInteger("batch size", options.batchSize ?? DEFAULT_BATCH_SIZE);
  const maxChars = positiveInteger("max characters", options.maxChars ?? DEFAULT_MAX_CHARS);
  const maxTokens = positiveInteger(
    "max tokens",
    options.maxTokens ?? USE_DEFAULT_TOKENS,
    USE_MAX_TOKENS,
  );
  const threads = options.threads ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 0) {
    throw new Error(`USE threads must be a whole number, 0 or more, got ${threads}`);
  }
  const backend = options.backend ?? "auto";
  const key = runtimeKey(backend, threads);
  const stats = { encoded: 0, reused: 0 };

  return {
    kind: "use",
    model: USE_MODEL_ID,
    dimension: USE_DIMENSION,
    get backend() {
      return started.get(key)?.backend;
    },
    get threads() {
      return started.get(key)?.threads;
    },
    stats,
    // USE Lite has a single encoder; queries and documents share it.
    async embed(texts: readonly string[], _input?: EmbeddingInput): Promise<number[][]> {
      if (texts.length === 0) return [];
      const [runtime, tokens] = await Promise.all([loadRuntime(backend, threads), loadTokenizer()]);
      const ids = texts.map((text) => tokenize(tokens, text, maxChars, maxTokens));
      const keys = ids.map((tokens) => tokens.join(" "));
      const out = new Array<number[]>(texts.length);
      /*
       * One text per distinct token sequence is encoded, and its repeats get a copy: the encoder is the
       * whole cost of capture with this model, a batch often holds several events of one issue (one title),
       * and texts that differ only past the token cap read the same.
       */
      const firstOf = new Map<string, number>();
      const misses: number[] = [];
      keys.forEach((key, i) => {
        if (!firstOf.has(key)) {
          firstOf.set(key, i);
          misses.push(i);
        }
      });
      // Sorting by length keeps padding small; the index breaks ties so a call's batches never vary.
      const lengths = ids.map((tokens) => tokens.length);
      const order = misses.sort((a, b) => lengths[a]! - lengths[b]! || a - b);
      await Promise.all(
        passes(order, lengths, batchSize).map(async (members) => {
          const offsets = new Int32Array(members.length + 1);
          for (let k = 0; k < members.length; k++)
            offsets[k + 1] = offsets[k]! + lengths[members[k]!]!;
          const flat = new Int32Array(offsets[members.length]!);
          for (let k = 0; k < members.length; k++) flat.set(ids[members[k]!]!, offsets[k]!);
          const vectors = await runtime.embed(flat, offsets);
          if (vectors.length !== members.length * USE_DIMENSION) {
            throw new Error(`USE returned ${vectors.length} numbers for ${members.length} texts`);
          }
          members.forEach((i, k) => {
            // The encoder's output is only approximately unit length; callers rely on exact unit vectors.
            out[i] = normalize(vectors.subarray(k * USE_DIMENSION, (k + 1) * USE_DIMENSION));
          });
        }),
      );
      stats.encoded += misses.length;
      stats.reused += texts.length - misses.length;
      keys.forEach((key, i) => {
        if (!out[i]) out[i] = out[firstOf.get(key)!]!.slice();
      });
      return out;
    },
  };
}
