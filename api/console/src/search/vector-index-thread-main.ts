import { parentPort } from "node:worker_threads";
import { MemoryVectorIndex } from "@repo/vectors";
import type { VectorIndexReply, VectorIndexRequest } from "./vector-memory";

/**
 * Body of the vector-index thread: named indexes, each filled with batches of (key, vector) rows and
 * searched by query. Messages are handled in order, so a search sees every batch posted before it. The
 * thread holds no data of its own beyond what the main thread sends; if it dies, search falls back to
 * the vector store and the next search starts it again.
 */
const port = parentPort;
if (!port) throw new Error("vector-index-thread-main runs only as a worker thread");

const indexes = new Map<string, MemoryVectorIndex>();

port.on("message", (request: VectorIndexRequest) => {
  const reply = (message: VectorIndexReply) => port.postMessage(message);
  try {
    switch (request.type) {
      case "create":
        indexes.set(
          request.name,
          new MemoryVectorIndex({ dimension: request.dimension, autoTrain: false }),
        );
        return;
      case "add": {
        const index = indexes.get(request.name);
        if (!index) return;
        const { dimension } = index;
        for (let i = 0; i < request.keys.length; i++) {
          index.add(request.keys[i]!, request.values.subarray(i * dimension, (i + 1) * dimension));
        }
        return;
      }
      case "train": {
        const index = indexes.get(request.name);
        index?.train();
        reply({ type: "trained", id: request.id, vectors: index?.size ?? 0 });
        return;
      }
      case "drop":
        indexes.delete(request.name);
        return;
      case "search": {
        const index = indexes.get(request.name);
        const matches = index ? index.search(request.vector, request.topK) : [];
        reply({
          type: "result",
          id: request.id,
          keys: Int32Array.from(matches, (m) => m.key),
          scores: Float64Array.from(matches, (m) => m.score),
        });
        return;
      }
      default: {
        const never: never = request;
        throw new Error(`unknown request ${JSON.stringify(never)}`);
      }
    }
  } catch (error) {
    if (request.type === "search" || request.type === "train") {
      reply({ type: "error", id: request.id, message: String(error) });
    }
  }
});
