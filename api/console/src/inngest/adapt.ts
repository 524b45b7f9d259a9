import { eventType, type Inngest, NonRetriableError } from "@vendor/inngest";
import {
  PermanentWorkflowError,
  type WorkflowDefinition,
  type WorkflowDeps,
  type WorkflowEvent,
} from "../workflows/types";

type InngestRetries = Parameters<Inngest["createFunction"]>[0] extends { retries?: infer R }
  ? R
  : never;

/** Wraps an engine-neutral workflow as an Inngest function; the workflow code itself is unchanged. */
export function toInngestFunction(
  client: Inngest,
  workflow: WorkflowDefinition,
  getDeps: () => Promise<WorkflowDeps>,
) {
  return client.createFunction(
    {
      id: workflow.id,
      retries: workflow.retries as InngestRetries,
      triggers: [eventType(workflow.trigger.name, { schema: workflow.trigger.schema })],
      ...(workflow.concurrencyKey
        ? { concurrency: [{ key: workflow.concurrencyKey, limit: workflow.concurrencyLimit ?? 1 }] }
        : {}),
    },
    async ({ event, step, attempt }) => {
      try {
        return await workflow.handler({
          event: { id: event.id, name: event.name, data: event.data as never },
          attempt,
          deps: await getDeps(),
          step: {
            run: (id, fn) => step.run(id, fn) as never,
            sendEvent: async (id, events: WorkflowEvent | WorkflowEvent[]) => {
              await step.sendEvent(id, events as never);
            },
          },
        });
      } catch (error) {
        if (error instanceof PermanentWorkflowError) {
          throw new NonRetriableError(error.message, { cause: error });
        }
        throw error;
      }
    },
  );
}
