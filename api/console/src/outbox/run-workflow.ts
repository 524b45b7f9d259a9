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
 * Runs one workflow for one event with Inngest's step semantics: a step that finished in an earlier attempt
 * is not run again, its recorded result is returned instead; a repeated step id gets a counter suffix.
 */
export async function runWorkflow(
  workflow: WorkflowDefinition,
  event: WorkflowEvent,
  options: RunOptions,
): Promise<unknown> {
  const parsed = workflow.trigger.schema.safeParse(event.data);
  if (!parsed.success) {
    throw new PermanentWorkflowError(
      `event ${event.name} does not match its schema: ${parsed.error.message}`,
    );
  }
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
    sendEvent: async (id, events) => {
      const key = keyFor(id);
      if (options.memory.get(key).hit) return;
      for (const next of Array.isArray(events) ? events : [events]) {
        for (const listener of workflowsFor(next.name, options.registry)) {
          await runWorkflow(listener, next, { ...options, scope: `${key}>` });
        }
      }
      await options.memory.set(key, null);
    },
  };

  return workflow.handler({
    event: { ...event, data: parsed.data as z.infer<typeof workflow.trigger.schema> },
    step,
    attempt: options.attempt,
    deps: options.deps,
  });
}
