import { Worker } from "node:worker_threads";
import type { UseBackend, UseBackendRequest, UseEngine } from "./use-engine.mjs";
import { usePaths } from "./use-paths";

/** Where the encoder runs: `threads` workers in parallel, or 0 for the calling thread. */
export interface UseRuntime {
  readonly backend: UseBackend;
  readonly threads: number;
  /** False once closed, or once every worker has died: the next load starts a new runtime. */
  readonly alive: boolean;
  /** Text i is ids[offsets[i]] .. ids[offsets[i + 1]]; texts x 512 floats back. */
  embed(ids: Int32Array, offsets: Int32Array): Promise<Float32Array>;
  close(): Promise<void>;
}

export interface UseRuntimeOptions {
  backend: UseBackendRequest;
  threads: number;
}

/*
 * In the calling thread TF.js has one global backend and computes synchronously, so there is one engine
 * per thread and its calls are queued: overlapping them would gain nothing and hold more tensors at once.
 */
let local: { request: UseBackendRequest; engine: Promise<UseEngine> } | undefined;
let localQueue: Promise<unknown> = Promise.resolve();

async function startInProcess(request: UseBackendRequest): Promise<UseRuntime> {
  if (local && local.request !== request) {
    throw new Error(
      `USE already runs in this thread with backend ${local.request}; TF.js has one backend per thread, ` +
        `so backend ${request} needs threads >= 1`,
    );
  }
  if (!local) {
    const { modelDir, wasmDir } = usePaths();
    // Imported on demand: processes using the lexical or OpenAI providers never load TF.js.
    const engine = import("./use-engine.mjs").then(({ createUseEngine }) =>
      createUseEngine({ modelDir, wasmDir, backend: request }),
    );
    local = { request, engine };
    engine.catch(() => {
      local = undefined;
    });
  }
  const engine = await local.engine;
  return {
    backend: engine.backend,
    threads: 0,
    alive: true,
    embed(ids, offsets) {
      const run = localQueue.then(
        () => engine.embed(ids, offsets),
        () => engine.embed(ids, offsets),
      );
      localQueue = run.catch(() => undefined);
      return run;
    },
    // The engine stays: it is shared by every in-process runtime of this thread.
    close: async () => {},
  };
}

interface Task {
  ids: Int32Array;
  offsets: Int32Array;
  resolve(vectors: Float32Array): void;
  reject(error: Error): void;
}

interface PoolWorker {
  worker: Worker;
  task?: Task | undefined;
}

type WorkerMessage =
  | { type: "ready"; backend: UseBackend }
  | { type: "failed"; error: string }
  | { id: number; vectors: Float32Array }
  | { id: number; error: string };

function startWorker(options: UseRuntimeOptions): Promise<{ worker: Worker; backend: UseBackend }> {
  const { modelDir, wasmDir, workerFile } = usePaths();
  const worker = new Worker(/*turbopackIgnore: true*/ workerFile, {
    workerData: { modelDir, wasmDir, backend: options.backend },
  });
  return new Promise((resolve, reject) => {
    // Only our own listeners come off: Worker keeps internal ones that deliver its messages.
    const settle = () => {
      worker.off("message", onMessage);
      worker.off("error", fail);
      worker.off("exit", onExit);
    };
    const fail = (error: Error) => {
      settle();
      void worker.terminate();
      reject(error);
    };
    const onMessage = (message: WorkerMessage) => {
      if (!("type" in message) || message.type !== "ready") {
        fail(new Error(`USE worker did not start: ${"error" in message ? message.error : "?"}`));
        return;
      }
      settle();
      resolve({ worker, backend: message.backend });
    };
    const onExit = (code: number) =>
      fail(new Error(`USE worker exited with code ${code} while starting`));
    worker.on("message", onMessage);
    worker.once("error", fail);
    worker.once("exit", onExit);
  });
}

async function startPool(options: UseRuntimeOptions): Promise<UseRuntime> {
  const started = await Promise.allSettled(
    Array.from({ length: options.threads }, () => startWorker(options)),
  );
  const failure = started.find((result) => result.status === "rejected");
  if (failure) {
    for (const result of started)
      if (result.status === "fulfilled") void result.value.worker.terminate();
    throw failure.reason;
  }
  const ready = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const backend = ready[0]!.backend;

  const workers: PoolWorker[] = [];
  const queue: Task[] = [];
  let nextId = 0;
  let closed = false;

  // An idle worker must not keep the process alive (the CLI and tests would never exit); a busy one must,
  // or a script awaiting its answer would end first.
  const dispatch = () => {
    for (const slot of workers) {
      if (slot.task) continue;
      const task = queue.shift();
      if (!task) break;
      slot.task = task;
      slot.worker.ref();
      const id = nextId++;
      // Handed over, not copied: the caller built both arrays for this message alone.
      const transfer = [task.ids.buffer as ArrayBuffer, task.offsets.buffer as ArrayBuffer];
      slot.worker.postMessage({ id, ids: task.ids, offsets: task.offsets }, transfer);
    }
  };

  const finish = (slot: PoolWorker) => {
    slot.task = undefined;
    slot.worker.unref();
    dispatch();
  };

  const drop = (slot: PoolWorker, error: Error) => {
    const index = workers.indexOf(slot);
    if (index < 0) return;
    workers.splice(index, 1);
    slot.task?.reject(error);
    if (workers.length === 0) {
      closed = true;
      for (const task of queue.splice(0)) task.reject(error);
    }
  };

  for (const { worker } of ready) {
    const slot: PoolWorker = { worker };
    workers.push(slot);
    worker.unref();
    worker.on("message", (message: WorkerMessage) => {
      const task = slot.task;
      if (!task || "type" in message) return;
      if ("vectors" in message) task.resolve(message.vectors);
      else task.reject(new Error(`USE worker: ${message.error}`));
      finish(slot);
    });
    worker.on("error", (error) => drop(slot, error));
    worker.on("exit", (code) => drop(slot, new Error(`USE worker exited with code ${code}`)));
  }

  return {
    backend,
    get threads() {
      return workers.length;
    },
    get alive() {
      return !closed;
    },
    embed(ids, offsets) {
      if (closed) return Promise.reject(new Error("the USE worker pool is closed"));
      return new Promise<Float32Array>((resolve, reject) => {
        queue.push({ ids, offsets, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      const error = new Error("the USE worker pool is closed");
      for (const task of queue.splice(0)) task.reject(error);
      const stopping = workers.splice(0);
      for (const slot of stopping) slot.task?.reject(error);
      await Promise.all(stopping.map((slot) => slot.worker.terminate()));
    },
  };
}

/**
 * Worker threads when asked for, else the calling thread. A pool that cannot start (no worker file next to
 * the sources, say, in an unusual deployment) is reported and replaced by the calling thread, as slower
 * embeddings beat none.
 */
export async function startUseRuntime(options: UseRuntimeOptions): Promise<UseRuntime> {
  if (options.threads < 1) return startInProcess(options.backend);
  try {
    return await startPool(options);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    console.warn(
      `[embeddings] USE worker threads unavailable (${detail}); embedding in this thread`,
    );
    return startInProcess(options.backend);
  }
}
