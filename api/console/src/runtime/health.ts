import { countPayloadsByStatus, type OutboxCounts } from "@db/console";
import type { Runtime } from "./index";

export interface Health {
  status: "ok" | "degraded";
  database: "pglite" | "postgres";
  vectors: "pgvector" | "pinecone";
  embeddings: "use" | "lexical" | "openai";
  workflows: "in-process" | "inngest";
  details: {
    database: { ok: boolean; target: string; error?: string };
    vectors: { ok: boolean; dimension: number; error?: string };
    /** `backend` (e.g. `wasm-simd`) appears once a local model has loaded. */
    embeddings: { model: string; dimension: number; backend?: string };
    workflows: {
      outbox?: OutboxCounts;
      /** In-process runner only: runs and mean milliseconds of each workflow step since start. */
      steps?: Record<string, { runs: number; events: number; meanMs: number; msPerEvent: number }>;
    };
  };
}

async function check(fn: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await fn();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Which backend each part uses, and whether the ones that can fail answer right now. */
export async function getHealth(runtime: Runtime): Promise<Health> {
  let outbox: OutboxCounts | undefined;
  const [database, vectors] = await Promise.all([
    check(async () => {
      outbox = await countPayloadsByStatus(runtime.db);
    }),
    check(() => runtime.vectors.ping()),
  ]);
  return {
    status: database.ok && vectors.ok ? "ok" : "degraded",
    database: runtime.database.kind === "postgres" ? "postgres" : "pglite",
    vectors: runtime.vectors.kind,
    embeddings: runtime.embeddings.kind,
    workflows: runtime.workflows.kind,
    details: {
      database: { ...database, target: runtime.database.target },
      vectors: { ...vectors, dimension: runtime.vectors.dimension },
      embeddings: {
        model: runtime.embeddings.model,
        dimension: runtime.embeddings.dimension,
        ...(runtime.embeddings.backend ? { backend: runtime.embeddings.backend } : {}),
      },
      workflows: {
        outbox,
        ...(runtime.stepTimings
          ? {
              steps: Object.fromEntries(
                [...runtime.stepTimings].map(([step, t]) => [
                  step,
                  {
                    runs: t.runs,
                    events: t.events,
                    meanMs: Number((t.totalMs / t.runs).toFixed(2)),
                    msPerEvent: Number((t.totalMs / t.events).toFixed(3)),
                  },
                ]),
              ),
            }
          : {}),
      },
    },
  };
}
