import { readFileSync } from "node:fs";
import path from "node:path";
import { observationCaptureEvent, type SourceEvent } from "@repo/schemas";
import { runWorkflow, type StepMemory } from "../src/outbox/run-workflow";
import { captureObservation } from "../src/workflows/capture";
import { workflows } from "../src/workflows/registry";
import type { WorkflowDefinition, WorkflowDeps } from "../src/workflows/types";
import { sourceEventOf } from "./sentry-fixtures";

export const devWorldDir = path.resolve(import.meta.dirname, "../../../../shared/eval/dev");

/** The deliveries of a labelled world (../shared/eval/<name>) as SourceEvents, in delivery order. */
export function worldEvents(dir = devWorldDir, limit = Number.POSITIVE_INFINITY): SourceEvent[] {
  return (
    readFileSync(path.join(dir, "webhooks.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { resource: string; body: string; timestamp?: number })
      .filter((d) => d.resource !== "installation")
      // Received when the world says it was delivered: events without their own time take that one.
      .flatMap((d) => sourceEventOf(d, receivedAtOf(d.timestamp)) ?? [])
      .slice(0, limit)
  );
}

function receivedAtOf(timestamp: number | undefined): Date | undefined {
  return timestamp === undefined ? undefined : new Date(timestamp * 1000);
}

export interface WorldQuery {
  id: string;
  query: string;
  kind: string;
  relevant: string[];
}

export function worldQueries(dir = devWorldDir): WorldQuery[] {
  return readFileSync(path.join(dir, "queries.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as WorldQuery);
}

const memory = (): StepMemory => {
  const store = new Map<string, unknown>();
  return {
    get: (key) => (store.has(key) ? { hit: true, value: store.get(key) } : { hit: false }),
    set: async (key, value) => void store.set(key, value),
  };
};

/** Runs the real capture workflow over events, `batchSize` at a time, as the outbox runner would. */
export async function captureEvents(
  deps: WorkflowDeps,
  workspaceId: string,
  events: readonly SourceEvent[],
  batchSize = 64,
): Promise<{ outcome: string }[]> {
  const results: { outcome: string }[] = [];
  for (let i = 0; i < events.length; i += batchSize) {
    const batch = events.slice(i, i + batchSize).map((sourceEvent, j) => ({
      name: observationCaptureEvent.name,
      data: {
        workspaceId,
        payloadId: `pl_${workspaceId}_${i + j}`,
        ingestionSource: "webhook" as const,
        sourceEvent,
      },
    }));
    results.push(
      ...((await runWorkflow(captureObservation as WorkflowDefinition, batch, {
        deps,
        memory: memory(),
        attempt: 0,
        registry: workflows,
      })) as { outcome: string }[]),
    );
  }
  return results;
}
