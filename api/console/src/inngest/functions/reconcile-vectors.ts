import { cron, type Inngest } from "@vendor/inngest";
import { reconcileVectors } from "../../workflows/capture/reconcile";
import type { WorkflowDeps } from "../../workflows/types";

/** Observations whose vectors went missing are re-embedded; see `reconcileVectors`. */
export function reconcileVectorsCron(client: Inngest, getDeps: () => Promise<WorkflowDeps>) {
  return client.createFunction(
    { id: "reconcile-vectors", retries: 2, triggers: [cron("17 * * * *")] },
    async ({ step }) =>
      step.run("reconcile-vectors", async () => reconcileVectors(await getDeps())),
  );
}
