import { parentPort } from "node:worker_threads";
import type { StepTiming } from "../outbox/runner";
import { createRuntime } from "./index";
import type { WorkflowThreadMessage, WorkflowThreadRequest } from "./workflow-thread";

/**
 * Body of the workflow thread: a runtime of its own (a loopback connection to the database the console's
 * main thread serves, its own embedder and vector store) whose in-process runner polls the outbox. The main
 * thread only kicks it when a delivery is stored; timings come back once a second for the health route.
 */
const port = parentPort;
if (!port) throw new Error("workflow-thread-main runs only as a worker thread");
const post = (message: WorkflowThreadMessage) => port.postMessage(message);

try {
  const runtime = await createRuntime({
    role: "workflows",
    startWorkflows: true,
    engine: "in-process",
  });
  const timings = () =>
    Object.fromEntries(runtime.runner?.stepTimings ?? new Map<string, StepTiming>());
  const report = setInterval(() => post({ type: "timings", timings: timings() }), 1000);
  port.on("message", (request: WorkflowThreadRequest) => {
    switch (request.type) {
      case "kick":
        runtime.runner?.kick();
        return;
      case "backfill":
        if (!runtime.runBackfill(request.backfillId)) {
          console.warn("[sentry] backfill not started: Sentry is not configured on this thread", {
            backfill: request.backfillId,
          });
        }
        return;
      case "stop":
        clearInterval(report);
        void runtime.close().then(() => post({ type: "stopped", timings: timings() }));
        return;
      default: {
        const never: never = request;
        throw new Error(`unknown request ${JSON.stringify(never)}`);
      }
    }
  });
  post({ type: "ready", embeddings: runtime.embeddings.model });
} catch (error) {
  post({ type: "failed", message: error instanceof Error ? error.message : String(error) });
}
