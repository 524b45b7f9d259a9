import type { Database } from "@db/console";
import type { EmbeddingProvider } from "@repo/embeddings";
import type { VectorStore } from "@repo/vectors";
import type { z } from "zod";

/** What a workflow works with; the runtime provides it on either engine. */
export interface WorkflowDeps {
  db: Database;
  vectors: VectorStore;
  embeddings: EmbeddingProvider;
}

/** An event as both engines carry it. `id` is the idempotency key (Inngest dedupes by it for 24 h). */
export interface WorkflowEvent<TData = Record<string, unknown>> {
  id?: string;
  name: string;
  data: TData;
}

/**
 * The part of Inngest's `step` tools a workflow may use. Both engines provide it: Inngest's own steps, or
 * the in-process runner's, which memoise results on the outbox row. Results cross a JSON boundary in both
 * (dates come back as strings), so the workflow behaves the same on either.
 */
export interface WorkflowStep {
  run<T>(id: string, fn: () => Promise<T> | T): Promise<Awaited<T>>;
  sendEvent(id: string, events: WorkflowEvent | WorkflowEvent[]): Promise<void>;
}

export interface WorkflowContext<TData> {
  /** The first (or only) event of the run. */
  event: WorkflowEvent<TData>;
  /** Every event of the run: one, or up to `batch.maxSize` for a batch workflow (Inngest's `events`). */
  events: WorkflowEvent<TData>[];
  step: WorkflowStep;
  /** Zero-based attempt number. */
  attempt: number;
  deps: WorkflowDeps;
}

export interface EventDefinition<
  TName extends string = string,
  TSchema extends z.ZodType = z.ZodType,
> {
  name: TName;
  schema: TSchema;
}

export function defineEvent<TName extends string, TSchema extends z.ZodType>(
  name: TName,
  schema: TSchema,
): EventDefinition<TName, TSchema> {
  return { name, schema };
}

export interface WorkflowDefinition<TEvent extends EventDefinition = EventDefinition> {
  /** Stable function id; Inngest keys runs and history by it. */
  id: string;
  trigger: TEvent;
  /** Retries after the first attempt (Inngest semantics: 3 means up to 4 attempts). */
  retries: number;
  /** Runs with the same key never execute at once, e.g. `event.data.workspaceId`. */
  concurrencyKey?: `event.data.${string}`;
  concurrencyLimit?: number;
  /**
   * Inngest's `batchEvents`: one run handles up to `maxSize` events with the same key. Inngest waits up to
   * `timeout` to fill a batch; the in-process runner never waits, it takes whatever is already due.
   */
  batch?: { maxSize: number; timeout: `${number}s`; key?: `event.data.${string}` };
  handler(ctx: WorkflowContext<z.infer<TEvent["schema"]>>): Promise<unknown>;
}

export function defineWorkflow<TEvent extends EventDefinition>(
  definition: WorkflowDefinition<TEvent>,
): WorkflowDefinition<TEvent> {
  return definition;
}

/** Thrown for a failure no retry can fix (bad data); both engines stop retrying at once. */
export class PermanentWorkflowError extends Error {
  override name = "PermanentWorkflowError";
}
