import path from "node:path";
import { Worker } from "node:worker_threads";
import { workspaceRoot } from "@db/console";
import type { StepTiming } from "../outbox/runner";
import type { WorkflowEngine } from "../workflows/engine";

export type WorkflowThreadRequest =
  | { type: "kick" }
  | { type: "backfill"; backfillId: string }
  | { type: "stop" };
export type WorkflowThreadMessage =
  | { type: "ready"; embeddings: string }
  | { type: "failed"; message: string }
  | { type: "timings"; timings: Record<string, StepTiming> }
  | { type: "stopped"; timings: Record<string, StepTiming> };

export interface WorkflowThread extends WorkflowEngine {
  /** The runner's step timings, as last reported by the thread. */
  readonly stepTimings: ReadonlyMap<string, StepTiming>;
  /** Hands a stored backfill to the thread (once it is ready); false once it is stopping. */
  runBackfill(backfillId: string): boolean;
}

const RESTART_AFTER_MS = 1000;

/**
 * The in-process engine on a thread of its own. Capture is CPU work (parsing, scoring, embedding, building
 * SQL) that would otherwise share one thread with every webhook the console acknowledges; on its own
 * thread the route's latency does not depend on how much is being captured. The outbox stays the contract:
 * a delivery is stored first, then the thread is kicked, and a kick lost to a restart only delays the row
 * until the next poll. A thread that dies is started again.
 */
export function workflowThread(options: {
  log: (message: string, fields?: Record<string, unknown>) => void;
}): WorkflowThread {
  const file = path.join(
    /*turbopackIgnore: true*/ workspaceRoot(),
    "api",
    "console",
    "worker",
    "workflow-thread.mjs",
  );
  const stepTimings = new Map<string, StepTiming>();
  let worker: Worker | undefined;
  let stopping = false;
  let started = false;
  const waiting = new Set<string>();
  const backfillRequest = (backfillId: string) =>
    ({ type: "backfill", backfillId }) satisfies WorkflowThreadRequest;

  const spawn = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const thread = new Worker(/*turbopackIgnore: true*/ file);
      worker = thread;
      thread.on("message", (message: WorkflowThreadMessage) => {
        switch (message.type) {
          case "ready":
            started = true;
            for (const backfillId of waiting) thread.postMessage(backfillRequest(backfillId));
            waiting.clear();
            resolve();
            return;
          case "failed":
            reject(new Error(`workflow thread did not start: ${message.message}`));
            return;
          case "timings":
          case "stopped":
            for (const [key, timing] of Object.entries(message.timings))
              stepTimings.set(key, timing);
            return;
          default: {
            const never: never = message;
            options.log("unknown workflow thread message", { message: never });
          }
        }
      });
      thread.once("error", (error) => {
        options.log("workflow thread failed", { error: String(error) });
        reject(error);
      });
      thread.once("exit", (code) => {
        // A thread that never started failed the console's start instead (its env, its database).
        if (stopping || !started) return;
        options.log("workflow thread exited; starting it again", { code });
        setTimeout(() => void spawn().catch(() => {}), RESTART_AFTER_MS).unref();
      });
    });

  return {
    kind: "in-process",
    stepTimings,
    dispatch: async () => {
      worker?.postMessage({ type: "kick" } satisfies WorkflowThreadRequest);
      return { ok: true };
    },
    runBackfill: (backfillId) => {
      if (stopping) return false;
      // A thread (re)starting gets it once ready; one that dies mid-backfill resumes it at its start.
      if (worker && started) worker.postMessage(backfillRequest(backfillId));
      else waiting.add(backfillId);
      return true;
    },
    start: () => spawn(),
    stop: async () => {
      stopping = true;
      const thread = worker;
      if (!thread) return;
      const stopped = new Promise<void>((resolve) => {
        thread.on("message", (m: WorkflowThreadMessage) => m.type === "stopped" && resolve());
        thread.once("exit", () => resolve());
      });
      thread.postMessage({ type: "stop" } satisfies WorkflowThreadRequest);
      await Promise.race([stopped, new Promise((r) => setTimeout(r, 10_000))]);
      await thread.terminate();
    },
  };
}
