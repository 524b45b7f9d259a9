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
      ...(workflow.batch
        ? {
            batchEvents: {
              maxSize: workflow.batch.maxSize,
              timeout: workflow.batch.timeout,
              ...(workflow.batch.key ? { key: workflow.batch.key } : {}),
            },
          }
        : {}),
    },
    async ({ event, events, step, attempt, logger }) => {
      try {
        const valid = [];
        for (const received of events?.length ? events : [event]) {
          const parsed = workflow.trigger.schema.safeParse(received.data);
          if (parsed.success) {
            valid.push({ id: received.id, name: received.name, data: parsed.data as never });
            continue;
          }
          const message = `event ${received.name} does not match its schema: ${parsed.error.message}`;
          // In a batch, one malformed event must not sink the others: it is dropped and reported.
          if (workflow.batch) logger.error(message, { eventId: received.id });
          else throw new PermanentWorkflowError(message);
        }
        if (valid.length === 0) throw new PermanentWorkflowError("no event of the batch is valid");
        return await workflow.handler({
          event: valid[0]!,
          events: valid,
          attempt,
          deps: await getDeps(),
          step: {
            run: (id, fn) => step.run(id, fn) as never,
            sendEvent: async (id, sent: WorkflowEvent | WorkflowEvent[]) => {
              await step.sendEvent(id, sent as never);
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
