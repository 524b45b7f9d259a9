import path from "node:path";
import { Worker } from "node:worker_threads";
import { workspaceRoot } from "@db/console";
import type { SearchCorpus } from "@repo/search";
import {
  parseVectorId,
  type VectorRecord,
  type VectorStore,
  type VectorView,
  vectorId,
} from "@repo/vectors";

export type VectorIndexRequest =
  | { type: "create"; name: string; dimension: number }
  | { type: "add"; name: string; keys: Int32Array; values: Float32Array }
  | { type: "train"; id: number; name: string }
  | { type: "drop"; name: string }
  | { type: "search"; id: number; name: string; vector: Float32Array; topK: number };

export type VectorIndexReply =
  | { type: "result"; id: number; keys: Int32Array; scores: Float64Array }
  | { type: "trained"; id: number; vectors: number }
  | { type: "error"; id: number; message: string };

export interface MemoryHit {
  doc: number;
  view: VectorView;
  score: number;
}

const VIEWS: readonly VectorView[] = ["title", "content", "summary"];
/** Below this many view vectors the store's exact scan is fast enough: no copy is kept. */
const MIN_VECTORS = 10_000;
/** Past this many (~0.5 KB each at 384 dimensions: int8 plus projection) the store answers alone. */
const MAX_VECTORS = 1_500_000;
const PAGE = 2000;
/** New documents a search waits for the copy to take in; past this it asks the store meanwhile. */
const CATCH_UP_INLINE = 1000;
/** A search the thread has not answered by then is asked of the store instead. */
const SEARCH_TIMEOUT_MS = 2000;
/** Learning lists takes seconds at a million vectors; the copy is used once they are learnt. */
const TRAIN_TIMEOUT_MS = 5 * 60_000;

export interface VectorMemoryOptions {
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Vectors a workspace needs before it gets a copy (default 10,000; tests use fewer). */
  minVectors?: number;
}

interface State {
  name: string;
  /** The query vectors' dimension, which every stored vector of the workspace shares. */
  dimension: number;
  generation: number;
  status: "loading" | "ready" | "failed";
  /** Corpus documents [0, synced) whose vectors were sent to the thread. */
  synced: number;
  loading?: Promise<void>;
  catchingUp?: Promise<void>;
}

/**
 * Search's copy of large workspaces' view vectors, held in a thread of its own (worker/vector-index-thread
 * .mjs) as an in-memory IVF index (@repo/vectors MemoryVectorIndex). On the embedded default pgvector runs
 * as WebAssembly and an IVFFlat probe at 100k observations takes ~30 ms; the copy answers in a few, and on
 * its own thread it neither blocks the webhook route nor waits behind the other search paths.
 *
 * The copy follows the workspace's search corpus: loaded once from the store (`scan`, in the background;
 * the store answers meanwhile), then topped up with the vectors of each document the corpus gains. Only the
 * store can apply filters during its scan, so filtered searches always go to the store. Stores that cannot
 * list (Pinecone, fast already) have no copy.
 */
export class VectorMemory {
  private worker: Worker | undefined;
  private generation = 0;
  private names = 0;
  private nextId = 1;
  private readonly states = new WeakMap<SearchCorpus, State>();
  private readonly waiting = new Map<number, (reply: VectorIndexReply | undefined) => void>();
  // A corpus dropped by the cache (least recently searched) frees its copy in the thread too.
  private readonly dropped = new FinalizationRegistry<{ name: string; generation: number }>(
    ({ name, generation }) => {
      if (generation === this.generation) this.post({ type: "drop", name });
    },
  );

  /** Searches the copy answered, and those it left to the store (small, huge or still loading). */
  readonly stats = { answered: 0, deferred: 0 };
  private readonly log: (message: string, fields?: Record<string, unknown>) => void;
  private readonly minVectors: number;

  private constructor(
    private readonly store: VectorStore,
    options: VectorMemoryOptions,
  ) {
    this.log =
      options.log ?? ((message, fields) => console.warn(`[search] ${message}`, fields ?? {}));
    this.minVectors = options.minVectors ?? MIN_VECTORS;
  }

  /** A copy for stores that can list their vectors; undefined for the others. */
  static for(store: VectorStore, options: VectorMemoryOptions = {}): VectorMemory | undefined {
    return store.scan ? new VectorMemory(store, options) : undefined;
  }

  /**
   * The nearest view vectors of the workspace, best first (`topK` rows, several views of one document
   * possible); undefined when the copy cannot answer (a small or huge workspace, the copy loading, the
   * thread gone): the caller asks the store.
   */
  async search(
    workspaceId: string,
    corpus: SearchCorpus,
    vector: readonly number[],
    topK: number,
  ): Promise<MemoryHit[] | undefined> {
    const answer = await this.answer(workspaceId, corpus, vector, topK);
    if (answer) this.stats.answered++;
    else this.stats.deferred++;
    return answer;
  }

  private async answer(
    workspaceId: string,
    corpus: SearchCorpus,
    vector: readonly number[],
    topK: number,
  ): Promise<MemoryHit[] | undefined> {
    const vectors = corpus.size * VIEWS.length;
    if (vectors < this.minVectors || vectors > MAX_VECTORS) return undefined;
    let state = this.states.get(corpus);
    if (!state || state.generation !== this.generation || state.status === "failed") {
      state = {
        name: `${workspaceId}#${++this.names}`,
        dimension: vector.length,
        generation: this.generation,
        status: "loading",
        synced: 0,
      };
      this.states.set(corpus, state);
      this.dropped.register(corpus, { name: state.name, generation: state.generation });
      state.loading = this.load(workspaceId, corpus, state);
      return undefined;
    }
    if (state.status !== "ready") return undefined;
    if (corpus.size > state.synced) {
      const behind = corpus.size - state.synced;
      state.catchingUp ??= this.catchUp(workspaceId, corpus, state)
        .catch((error: unknown) => {
          this.log("vector copy could not catch up; the store answers", { error: String(error) });
        })
        .finally(() => {
          state.catchingUp = undefined;
        });
      // A few new documents are fetched before answering; many (searches were rare while capture ran)
      // in the background, the store answering until the copy has them.
      if (behind > CATCH_UP_INLINE) return undefined;
      await state.catchingUp;
      if (corpus.size > state.synced) return undefined;
    }
    const id = this.nextId++;
    const reply = await this.request(id, {
      type: "search",
      id,
      name: state.name,
      vector: Float32Array.from(vector),
      topK,
    });
    if (reply?.type !== "result") return undefined;
    return Array.from(reply.keys, (key, i) => ({
      doc: key >> 2,
      view: VIEWS[key & 3]!,
      score: reply.scores[i]!,
    }));
  }

  /** Resolves once the corpus's copy has loaded (or failed to); at once when no load has started. */
  async loaded(corpus: SearchCorpus): Promise<boolean> {
    const state = this.states.get(corpus);
    await state?.loading;
    return state?.status === "ready";
  }

  /** Every vector the store holds for the corpus's documents, page by page; lists are learnt once. */
  private async load(workspaceId: string, corpus: SearchCorpus, state: State): Promise<void> {
    const started = performance.now();
    // Documents the corpus holds now; their vectors were stored before them, so the scan sees them all.
    // Later ones are fetched by `catchUp`.
    const target = corpus.size;
    try {
      this.post({ type: "create", name: state.name, dimension: state.dimension });
      let rows = 0;
      for (let afterId: string | undefined; ; ) {
        const page = await this.store.scan!(workspaceId, {
          limit: PAGE,
          ...(afterId === undefined ? {} : { afterId }),
        });
        rows += this.send(state, corpus, target, page);
        if (page.length < PAGE) break;
        afterId = page.at(-1)!.id;
      }
      const id = this.nextId++;
      const trained = await this.request(
        id,
        { type: "train", id, name: state.name },
        TRAIN_TIMEOUT_MS,
      );
      if (trained?.type !== "trained")
        throw new Error("the vector index thread did not learn its lists");
      state.synced = target;
      state.status = "ready";
      this.log("vector copy loaded", {
        workspace: workspaceId,
        vectors: rows,
        ms: Math.round(performance.now() - started),
      });
    } catch (error) {
      state.status = "failed";
      this.log("vector copy failed to load; the store answers", { error: String(error) });
    }
  }

  private async catchUp(workspaceId: string, corpus: SearchCorpus, state: State): Promise<void> {
    const to = corpus.size;
    const ids: string[] = [];
    for (let doc = state.synced; doc < to; doc++) {
      for (const view of VIEWS) ids.push(vectorId(view, corpus.docs[doc]!.id));
    }
    this.send(state, corpus, to, await this.store.fetch(workspaceId, ids));
    state.synced = Math.max(state.synced, to);
  }

  /** Posts the records of documents below `target` to the thread; returns how many were sent. */
  private send(
    state: State,
    corpus: SearchCorpus,
    target: number,
    records: readonly Pick<VectorRecord, "id" | "values">[],
  ): number {
    const { dimension } = state;
    const keys: number[] = [];
    const values = new Float32Array(records.length * dimension);
    for (const record of records) {
      const named = parseVectorId(record.id);
      const doc = named ? corpus.indexOf(named.observationId) : undefined;
      if (!named || doc === undefined || doc >= target || record.values.length !== dimension)
        continue;
      values.set(record.values, keys.length * dimension);
      keys.push(doc * 4 + VIEWS.indexOf(named.view));
    }
    if (keys.length === 0) return 0;
    const packed = values.slice(0, keys.length * dimension);
    this.post({ type: "add", name: state.name, keys: Int32Array.from(keys), values: packed }, [
      packed.buffer,
    ]);
    return keys.length;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const file = path.join(
      /*turbopackIgnore: true*/ workspaceRoot(),
      "api",
      "console",
      "worker",
      "vector-index-thread.mjs",
    );
    const worker = new Worker(/*turbopackIgnore: true*/ file);
    // Searching must never keep a process alive (the CLI, tests, benchmarks end when their work does).
    worker.unref();
    worker.on("message", (reply: VectorIndexReply) => {
      this.waiting.get(reply.id)?.(reply);
    });
    const gone = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      // Copies lived in the thread: every corpus loads anew into the next one.
      this.generation++;
      for (const resolve of this.waiting.values()) resolve(undefined);
      this.log("vector index thread stopped; the store answers until it is loaded again", {
        reason,
      });
    };
    worker.on("error", (error) => gone(String(error)));
    worker.on("exit", (code) => gone(`exit ${code}`));
    this.worker = worker;
    return worker;
  }

  private post(request: VectorIndexRequest, transfer: ArrayBuffer[] = []): void {
    this.thread().postMessage(request, transfer);
  }

  private request(
    id: number,
    request: VectorIndexRequest,
    timeoutMs = SEARCH_TIMEOUT_MS,
  ): Promise<VectorIndexReply | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const finish = (reply: VectorIndexReply | undefined) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(reply);
      };
      this.waiting.set(id, finish);
      this.post(request);
    });
  }
}
