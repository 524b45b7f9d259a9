import type { z } from "zod";
import { workflowsFor } from "../workflows/registry";
import {
  PermanentWorkflowError,
  type WorkflowDefinition,
  type WorkflowDeps,
  type WorkflowEvent,
  type WorkflowStep,
} from "../workflows/types";

/** Where memoised step results live between attempts (the outbox row's `step_state`). */
export interface StepMemory {
  get(key: string): { hit: true; value: unknown } | { hit: false };
  set(key: string, value: unknown): Promise<void>;
}

export interface RunOptions {
  deps: WorkflowDeps;
  memory: StepMemory;
  attempt: number;
  registry: readonly WorkflowDefinition[];
  /** Prefix of this run's step keys, so several workflows (and nested sends) share one row's memory. */
  scope?: string;
  /** Told how long each step that actually ran took (memoised ones are not), for timing figures. */
  onStep?: (workflowId: string, stepId: string, ms: number) => void;
}

function jsonRoundTrip(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/**
 * Runs one workflow for one event (or one batch of events) with Inngest's step semantics: a step that
 * finished in an earlier attempt is not run again, its recorded result is returned instead; a repeated step
 * id gets a counter suffix.
 */
export async function runWorkflow(
  workflow: WorkflowDefinition,
  input: WorkflowEvent | readonly WorkflowEvent[],
  options: RunOptions,
): Promise<unknown> {
  const events = (Array.isArray(input) ? input : [input]) as WorkflowEvent[];
  if (events.length === 0) throw new Error(`${workflow.id} was run without an event`);
  if (events.length > (workflow.batch?.maxSize ?? 1)) {
    throw new Error(`${workflow.id} takes at most ${workflow.batch?.maxSize ?? 1} events per run`);
  }
  const parsedEvents = events.map((event) => {
    const parsed = workflow.trigger.schema.safeParse(event.data);
    if (!parsed.success) {
      throw new PermanentWorkflowError(
        `event ${event.name} does not match its schema: ${parsed.error.message}`,
      );
    }
    return { ...event, data: parsed.data as z.infer<typeof workflow.trigger.schema> };
  });
  const scope = `${options.scope ?? ""}${workflow.id}:`;
  const seen = new Map<string, number>();
  const keyFor = (id: string) => {
    const n = seen.get(id) ?? 0;
    seen.set(id, n + 1);
    return `${scope}${n === 0 ? id : `${id}:${n}`}`;
  };

  const step: WorkflowStep = {
    run: async (id, fn) => {
      const key = keyFor(id);
      const memo = options.memory.get(key);
      if (memo.hit) return memo.value as never;
      const started = performance.now();
      const value = jsonRoundTrip(await fn());
      options.onStep?.(workflow.id, id, performance.now() - started);
      await options.memory.set(key, value);
      return value as never;
    },
    sendEvent: async (id, sent) => {
      const key = keyFor(id);
      if (options.memory.get(key).hit) return;
      const list = Array.isArray(sent) ? sent : [sent];
      for (const name of new Set(list.map((e) => e.name))) {
        const named = list.filter((e) => e.name === name);
        for (const listener of workflowsFor(name, options.registry)) {
          const size = listener.batch?.maxSize ?? 1;
          for (let i = 0; i < named.length; i += size) {
            await runWorkflow(listener, named.slice(i, i + size), {
              ...options,
              scope: `${key}>${i}>`,
            });
          }
        }
      }
      await options.memory.set(key, null);
    },
  };

  return workflow.handler({
    event: parsedEvents[0]!,
    events: parsedEvents,
    step,
    attempt: options.attempt,
    deps: options.deps,
  });
}
