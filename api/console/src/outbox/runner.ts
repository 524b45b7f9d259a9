import {
  type ClaimedPayload,
  claimDuePayloads,
  completePayloads,
  type Database,
  failPayloadAttempts,
  releaseLeases,
  saveStepResult,
} from "@db/console";
import { workflowsFor } from "../workflows/registry";
import {
  PermanentWorkflowError,
  type WorkflowDefinition,
  type WorkflowDeps,
} from "../workflows/types";
import { runWorkflow, type StepMemory } from "./run-workflow";

export interface OutboxRunnerOptions {
  deps: WorkflowDeps & { db: Database };
  registry: readonly WorkflowDefinition[];
  pollMs?: number;
  /** Rows processed at once; rows of one workspace always run one after another. */
  concurrency?: number;
  leaseMs?: number;
  /** Delay before attempt `attempt + 1` (attempt is 1-based). */
  backoff?: (attempt: number) => number;
  /** Only the process that owns an embedded database may release leases it finds on start. */
  releaseLeasesOnStart?: boolean;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** Inngest's shape: exponential from one second, capped at ten minutes, with jitter. */
export function defaultBackoff(attempt: number): number {
  const base = Math.min(1000 * 2 ** (attempt - 1), 10 * 60_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * The embedded workflow engine: the stored payload row is the outbox. Rows are leased, their workflows run
 * with memoised steps, failures come back after a backoff until the retry budget is spent, and a lease that
 * lapses (a crash) makes the row due again, so a restart resumes whatever was left unfinished.
 */
export interface StepTiming {
  /** Times the step ran (a batch's step runs once for all its events). */
  runs: number;
  /** Events those runs handled. */
  events: number;
  totalMs: number;
}

export class OutboxRunner {
  /** Time spent in each workflow step since start, keyed `<workflow id>/<step id>`. */
  readonly stepTimings = new Map<string, StepTiming>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly options: OutboxRunnerOptions) {}

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.options.releaseLeasesOnStart) await releaseLeases(this.options.deps.db);
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Process due rows now instead of at the next poll (called right after a delivery is stored). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Runs passes until no row is due; for tests, the CLI and shutdown. */
  async drain(now?: () => Date): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.pass(now?.());
      total += n;
      if (n === 0) return total;
    }
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.running) return;
    try {
      this.running = this.pass();
      const processed = await this.running;
      if (processed > 0) this.again = true;
    } catch (error) {
      this.options.log?.("outbox pass failed", { error: String(error) });
    } finally {
      this.running = undefined;
    }
    if (this.stopped) return;
    const again = this.again;
    this.again = false;
    this.schedule(again ? 0 : (this.options.pollMs ?? 500));
  }

  private async pass(now?: Date): Promise<number> {
    const { db } = this.options.deps;
    const concurrency = this.options.concurrency ?? 4;
    const rows = await claimDuePayloads(db, {
      limit: concurrency * Math.max(8, this.maxBatch),
      leaseMs: this.options.leaseMs ?? 5 * 60_000,
      now,
      eventNames: [...new Set(this.options.registry.map((w) => w.trigger.name))],
    });
    const lanes = new Map<string, ClaimedPayload[]>();
    for (const row of rows) {
      const lane = row.workspaceId ?? row.id;
      lanes.set(lane, [...(lanes.get(lane) ?? []), row]);
    }
    const queue = [...lanes.values()];
    const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) {
        for (const unit of this.unitsOf(lane)) await this.process(unit);
      }
    });
    await Promise.all(workers);
    return rows.length;
  }

  private get maxBatch(): number {
    return Math.max(1, ...this.options.registry.map((w) => w.batch?.maxSize ?? 1));
  }

  /**
   * Splits one workspace's rows, in order, into runs: consecutive first attempts of an event whose every
   * listener takes batches go together; anything else runs alone. A retried row always runs alone, so one
   * poisonous event fails by itself instead of taking its batch down with it on every attempt.
   */
  private unitsOf(lane: ClaimedPayload[]): ClaimedPayload[][] {
    const units: ClaimedPayload[][] = [];
    for (const row of lane) {
      const size = row.event ? this.batchSizeOf(row.event.name) : 1;
      const last = units.at(-1);
      const joinable =
        size > 1 &&
        row.attempts === 1 &&
        last !== undefined &&
        last.length < size &&
        last[0]!.attempts === 1 &&
        last[0]!.event?.name === row.event?.name;
      if (joinable) last.push(row);
      else units.push([row]);
    }
    return units;
  }

  private batchSizeOf(eventName: string): number {
    const listeners = workflowsFor(eventName, this.options.registry);
    return listeners.length === 0 ? 1 : Math.min(...listeners.map((w) => w.batch?.maxSize ?? 1));
  }

  /**
   * Runs one row, or one batch of first-attempt rows. A lone row journals each step on itself, so a retry
   * resumes after the steps that finished. A batch memoises its steps in memory only: if it fails or the
   * process dies, each of its rows is retried alone, and re-running the steps the batch had finished is
   * safe because every step of a workflow is idempotent (that is what the journal-less batch relies on).
   */
  private async process(unit: ClaimedPayload[]): Promise<void> {
    const { db } = this.options.deps;
    const first = unit[0]!;
    const events = unit.flatMap((row) => (row.event ? [row.event] : []));
    if (events.length === 0) return;
    const listeners = workflowsFor(first.event!.name, this.options.registry);
    const state: Record<string, unknown> = unit.length === 1 ? { ...first.stepState } : {};
    const memory: StepMemory = {
      get: (key) => (key in state ? { hit: true, value: state[key] } : { hit: false }),
      set: async (key, value) => {
        state[key] = value;
        if (unit.length === 1)
          await saveStepResult(db, { payloadId: first.id, stepId: key, result: value });
      },
    };
    const ids = unit.map((row) => row.id);
    try {
      for (const workflow of listeners) {
        await runWorkflow(workflow, events, {
          deps: this.options.deps,
          memory,
          attempt: first.attempts - 1,
          registry: this.options.registry,
          onStep: (workflowId, stepId, ms) => {
            const key = `${workflowId}/${stepId}`;
            const timing = this.stepTimings.get(key) ?? { runs: 0, totalMs: 0, events: 0 };
            timing.runs++;
            timing.events += events.length;
            timing.totalMs += ms;
            this.stepTimings.set(key, timing);
          },
        });
      }
      await completePayloads(db, { payloadIds: ids });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const budget = Math.min(...listeners.map((w) => w.retries)) + 1;
      const permanent = error instanceof PermanentWorkflowError && unit.length === 1;
      const retryAt =
        permanent || first.attempts >= budget
          ? null
          : new Date(Date.now() + (this.options.backoff ?? defaultBackoff)(first.attempts));
      await failPayloadAttempts(db, { payloadIds: ids, error: message.slice(0, 2000), retryAt });
      this.options.log?.("workflow attempt failed", {
        payloadIds: ids,
        attempt: first.attempts,
        final: retryAt === null,
        error: message,
      });
    }
  }
}
