import { cron, type Inngest } from "@vendor/inngest";
import { reconcileVectors } from "../../workflows/capture/reconcile";
import type { WorkflowDeps } from "../../workflows/types";

/**
 * Observations whose vectors went missing are re-embedded (see `reconcileVectors`), then the vector store
 * tunes its index to its size (a no-op for Pinecone and HNSW).
 */
export function reconcileVectorsCron(client: Inngest, getDeps: () => Promise<WorkflowDeps>) {
  return client.createFunction(
    { id: "reconcile-vectors", retries: 2, triggers: [cron("17 * * * *")] },
    async ({ step }) => {
      const repaired = await step.run("reconcile-vectors", async () =>
        reconcileVectors(await getDeps()),
      );
      const index = await step.run(
        "maintain-vector-index",
        async () => (await (await getDeps()).vectors.maintain?.()) ?? { action: "none" },
      );
      return { ...repaired, index };
    },
  );
}
