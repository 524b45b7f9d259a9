import { captureObservation } from "./capture";
import type { WorkflowDefinition } from "./types";

/**
 * Every event-triggered workflow, run by Inngest when it is configured and by the in-process outbox runner
 * otherwise. A workflow added here runs on both engines.
 */
export const workflows: WorkflowDefinition[] = [captureObservation as WorkflowDefinition];

export function workflowsFor(
  eventName: string,
  registry: readonly WorkflowDefinition[] = workflows,
): WorkflowDefinition[] {
  return registry.filter((w) => w.trigger.name === eventName);
}
