import type { Inngest } from "@vendor/inngest";
import type { OutboxRunner } from "../outbox/runner";
import type { WorkflowEvent } from "./types";

export type WorkflowEngineKind = "inngest" | "in-process";

/**
 * Where a stored payload's event goes. `dispatch` never throws: the payload row is already stored, so a
 * failed hand-off leaves it pending for the in-process runner or the Inngest-mode sweeper.
 */
export interface WorkflowEngine {
  readonly kind: WorkflowEngineKind;
  dispatch(payload: { id: string; event: WorkflowEvent }): Promise<{ ok: boolean; error?: string }>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function inngestEngine(client: Inngest): WorkflowEngine {
  return {
    kind: "inngest",
    dispatch: async ({ event }) => {
      try {
        await client.send({ id: event.id, name: event.name, data: event.data });
        return { ok: true };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
    start: async () => {},
    stop: async () => {},
  };
}

export function inProcessEngine(runner: OutboxRunner): WorkflowEngine {
  return {
    kind: "in-process",
    dispatch: async () => {
      runner.kick();
      return { ok: true };
    },
    start: () => runner.start(),
    stop: () => runner.stop(),
  };
}
