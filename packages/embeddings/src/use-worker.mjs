// One worker thread running the encoder (./use-engine.mjs) for the pool in use-pool.ts. TF.js's wasm
// backend computes on the thread that calls it, so each worker is one core's worth of embedding, and the
// caller's event loop stays free while it runs. Messages: in `{ id, ids, offsets }`, out `{ id, vectors }`
// or `{ id, error }`; first out `{ type: "ready", backend }` or `{ type: "failed", error }`.
import { parentPort, workerData } from "node:worker_threads";
import { createUseEngine } from "./use-engine.mjs";

if (!parentPort) throw new Error("use-worker.mjs runs only as a worker thread");
const port = parentPort;

function message(error) {
  return error instanceof Error ? error.message : String(error);
}

try {
  const engine = await createUseEngine(workerData);
  port.on("message", async ({ id, ids, offsets }) => {
    try {
      const result = await engine.embed(ids, offsets);
      // Only a buffer of its own can be handed over; a view into a larger one is copied first.
      const whole = result.byteOffset === 0 && result.buffer.byteLength === result.byteLength;
      const vectors = whole ? result : result.slice();
      port.postMessage({ id, vectors }, [vectors.buffer]);
    } catch (error) {
      port.postMessage({ id, error: message(error) });
    }
  });
  port.postMessage({ type: "ready", backend: engine.backend });
} catch (error) {
  port.postMessage({ type: "failed", error: message(error) });
}
