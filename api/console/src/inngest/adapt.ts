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
      // The data is validated below, as the in-process runner does, so both engines fail alike.
      triggers: [eventType(workflow.trigger.name)],
      ...(workflow.concurrencyKey
        ? { concurrency: [{ key: workflow.concurrencyKey, limit: workflow.concurrencyLimit ?? 1 }] }
        : {}),
    },
    async ({ event, step, attempt }) => {
      try {
        const parsed = workflow.trigger.schema.safeParse(event.data);
        if (!parsed.success) {
          throw new PermanentWorkflowError(
            `event ${event.name} does not match its schema: ${parsed.error.message}`,
          );
        }
        return await workflow.handler({
          event: { id: event.id, name: event.name, data: parsed.data as never },
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
