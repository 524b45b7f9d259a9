import {
  captureStats,
  createWorkspace,
  type DatabaseHandle,
  insertWebhookPayload,
} from "@db/console";
import { openTestDatabase } from "@db/console/testing";
import { InngestTestEngine } from "@inngest/test";
import { observationCapturedEvent, observationCaptureEvent } from "@repo/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { toInngestFunction } from "../src/inngest/adapt";
import { inngest } from "../src/inngest/client";
import { outboxSweep, SWEEP_STALE_AFTER_MS } from "../src/inngest/functions/outbox-sweep";
import { captureObservation } from "../src/workflows/capture";
import {
  defineEvent,
  defineWorkflow,
  PermanentWorkflowError,
  type WorkflowDefinition,
  type WorkflowDeps,
} from "../src/workflows/types";
import { testDeps } from "./deps";
import { loadFixtures, sourceEventOf } from "./sentry-fixtures";

let handle: DatabaseHandle;
let deps: WorkflowDeps;
beforeAll(async () => {
  handle = await openTestDatabase();
  deps = await testDeps(handle);
});
afterAll(() => handle.close());

const requested = defineEvent("test/inngest.requested", z.object({ text: z.string() }));

describe("engine-neutral workflows as Inngest functions", () => {
  it("runs the same handler through Inngest's steps", async () => {
    const wf = defineWorkflow({
      id: "embed-text",
      trigger: requested,
      retries: 3,
      handler: async ({ event, step, deps: d }) => {
        const vector = await step.run(
          "embed",
          async () => (await d.embeddings.embed([event.data.text]))[0]!,
        );
        return { dimension: vector.length };
      },
    });
    const t = new InngestTestEngine({
      function: toInngestFunction(inngest, wf, async () => deps),
      events: [{ name: requested.name, data: { text: "checkout fails" } }],
    });
    const { result, error } = await t.execute();
    expect(error).toBeUndefined();
    expect(result).toEqual({ dimension: deps.embeddings.dimension });
  });

  it("turns a permanent workflow error into Inngest's non-retriable error", async () => {
    const wf = defineWorkflow({
      id: "reject",
      trigger: requested,
      retries: 3,
      handler: async () => {
        throw new PermanentWorkflowError("unusable payload");
      },
    });
    const t = new InngestTestEngine({
      function: toInngestFunction(inngest, wf, async () => deps),
      events: [{ name: requested.name, data: { text: "x" } }],
    });
    const { error } = await t.execute();
    expect(error).toMatchObject({ name: "NonRetriableError", message: "unusable payload" });
  });
});

describe("outbox sweep (Inngest cron)", () => {
  it("re-sends the events of payloads stuck pending, with their original ids", async () => {
    const ws = await createWorkspace(handle.db, { name: "Sweep" });
    const base = {
      workspaceId: ws.id,
      source: "test",
      resource: "issue",
      action: "created",
      receivedAt: new Date(Date.now() - SWEEP_STALE_AFTER_MS - 60_000),
    };
    await insertWebhookPayload(handle.db, {
      ...base,
      body: '{"stale":1}',
      event: { id: "evt-stale", name: requested.name, data: { text: "stale" } },
    });
    await insertWebhookPayload(handle.db, {
      ...base,
      receivedAt: new Date(),
      body: '{"fresh":1}',
      event: { id: "evt-fresh", name: requested.name, data: { text: "fresh" } },
    });
    await insertWebhookPayload(handle.db, {
      ...base,
      body: '{"done":1}',
      status: "done",
      event: { id: "evt-done", name: requested.name, data: { text: "done" } },
    });

    // Sending is Inngest's side of the boundary: the step is mocked, what it was asked to send is asserted.
    const t = new InngestTestEngine({
      function: outboxSweep(inngest, async () => deps),
      steps: [{ id: "redrive-stale-payloads", handler: () => ({ ids: ["evt-stale"] }) }],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ redriven: 1 });
    const sent = (ctx.step.sendEvent as unknown as { mock: { calls: unknown[][] } }).mock.calls;
    expect(sent).toHaveLength(1);
    expect(sent[0]?.[1]).toEqual([
      { id: "evt-stale", name: requested.name, data: { text: "stale" } },
    ]);
  });
});

describe("capture workflow as an Inngest function", () => {
  it("captures a batch of Sentry events through Inngest's steps and emits observation.captured", async () => {
    const ws = await createWorkspace(handle.db, { name: "Inngest capture" });
    const files = ["issue.created.json", "comment.created.json"];
    const events = [];
    for (const file of files) {
      const fixture = loadFixtures().find((f) => f.file === file)!;
      const sourceEvent = sourceEventOf(fixture, new Date());
      if (!sourceEvent) throw new Error(`${file} is not captured`);
      const { payload } = await insertWebhookPayload(handle.db, {
        workspaceId: ws.id,
        source: "sentry",
        resource: file.split(".")[0]!,
        action: "created",
        body: fixture.body,
      });
      events.push({
        name: observationCaptureEvent.name,
        data: {
          workspaceId: ws.id,
          payloadId: payload.id,
          ingestionSource: "webhook",
          sourceEvent,
        },
      });
    }
    const fn = toInngestFunction(
      inngest,
      captureObservation as WorkflowDefinition,
      async () => deps,
    );
    // The batch key is what keeps one workspace's events together on Inngest.
    expect((fn as unknown as { opts: { batchEvents?: unknown } }).opts.batchEvents).toEqual({
      maxSize: 64,
      timeout: "1s",
      key: "event.data.workspaceId",
    });
    const t = new InngestTestEngine({
      function: fn,
      events: events as [(typeof events)[number], ...(typeof events)[number][]],
      // Sending is Inngest's side of the boundary: the step is mocked, what it was asked to send is asserted.
      steps: [{ id: "emit-captured", handler: () => ({ ids: ["a", "b"] }) }],
    });
    const { result, error, ctx } = await t.execute();
    expect(error).toBeUndefined();
    expect(result).toMatchObject([
      { workspaceId: ws.id, outcome: "captured" },
      { workspaceId: ws.id, outcome: "captured" },
    ]);
    const stats = await captureStats(handle.db, { workspaceId: ws.id });
    expect(stats.observations).toBe(2);
    expect(stats.payloads.done).toBe(2);
    expect(await deps.vectors.count(ws.id)).toBe(6);
    const sent = (ctx.step.sendEvent as unknown as { mock: { calls: unknown[][] } }).mock.calls;
    expect(sent).toHaveLength(1);
    expect((sent[0]![1] as { name: string }[]).map((e) => e.name)).toEqual([
      observationCapturedEvent.name,
      observationCapturedEvent.name,
    ]);
  });
});
