import { workflows } from "../workflows/registry";
import type { WorkflowDeps } from "../workflows/types";
import { toInngestFunction } from "./adapt";
import { inngest } from "./client";
import { outboxSweep } from "./functions/outbox-sweep";
import { reconcileVectorsCron } from "./functions/reconcile-vectors";

export { inngest };

/** Every Inngest function of the console, for the `/api/inngest` serve route. */
export function createInngestFunctions(getDeps: () => Promise<WorkflowDeps>) {
  return [
    ...workflows.map((workflow) => toInngestFunction(inngest, workflow, getDeps)),
    outboxSweep(inngest, getDeps),
    reconcileVectorsCron(inngest, getDeps),
  ];
}
