import {
  createWorkspace,
  type DatabaseHandle,
  getWebhookPayload,
  insertWebhookPayload,
} from "@db/console";
import { openTestDatabase, testDatabaseTarget } from "@db/console/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { OutboxRunner } from "../src/outbox/runner";
import {
  defineEvent,
  defineWorkflow,
  PermanentWorkflowError,
  type WorkflowDefinition,
  type WorkflowDeps,
} from "../src/workflows/types";
import { testDeps } from "./deps";

let handle: DatabaseHandle;
let deps: WorkflowDeps;
let workspaceId: string;

beforeAll(async () => {
  handle = await openTestDatabase();
  deps = await testDeps(handle);
  workspaceId = (await createWorkspace(handle.db, { name: "Runner" })).id;
});
afterAll(() => handle.close());

const testEvent = defineEvent("test/work.requested", z.object({ key: z.string() }));
const followUp = defineEvent("test/work.done", z.object({ key: z.string() }));

let seq = 0;
async function enqueue(
  name: string = testEvent.name,
  data: Record<string, unknown> = { key: `k${seq}` },
) {
  const body = JSON.stringify({ seq: seq++, data });
  const { payload } = await insertWebhookPayload(handle.db, {
    workspaceId,
    source: "test",
    resource: "work",
    action: "requested",
    body,
    event: { id: `evt-${seq}`, name, data },
  });
  return payload.id;
}

function runner(registry: WorkflowDefinition[]) {
  return new OutboxRunner({ deps, registry, backoff: () => 0, concurrency: 2 });
}

describe(`in-process outbox runner (${testDatabaseTarget()})`, () => {
  it("runs the workflow for a stored payload and marks it done", async () => {
    const seen: string[] = [];
    const wf = defineWorkflow({
      id: "record",
      trigger: testEvent,
      retries: 3,
      handler: async ({ event, step }) => {
        await step.run("record", () => seen.push(event.data.key));
      },
    });
    const id = await enqueue();
    expect(await runner([wf]).drain()).toBeGreaterThanOrEqual(1);
    expect(seen).toHaveLength(1);
    expect((await getWebhookPayload(handle.db, { payloadId: id }))?.status).toBe("done");
  });

  it("retries a failing step and does not re-run steps that already finished", async () => {
    const calls = { first: 0, flaky: 0 };
    const wf = defineWorkflow({
      id: "flaky",
      trigger: testEvent,
      retries: 3,
      handler: async ({ step }) => {
        const a = await step.run("first", () => {
          calls.first++;
          return { at: new Date("2026-01-01T00:00:00Z") };
        });
        // Memoised results cross a JSON boundary on both engines.
        expect(typeof a.at).toBe("string");
        await step.run("flaky", () => {
          calls.flaky++;
          if (calls.flaky < 3) throw new Error(`transient ${calls.flaky}`);
        });
      },
    });
    const id = await enqueue();
    await runner([wf]).drain();
    const row = await getWebhookPayload(handle.db, { payloadId: id });
    expect(row).toMatchObject({ status: "done", attempts: 3 });
    expect(calls).toEqual({ first: 1, flaky: 3 });
  });

  it("gives up after the retry budget and keeps the last error", async () => {
    let runs = 0;
    const wf = defineWorkflow({
      id: "broken",
      trigger: testEvent,
      retries: 2,
      handler: async () => {
        runs++;
        throw new Error("always broken");
      },
    });
    const id = await enqueue();
    await runner([wf]).drain();
    const row = await getWebhookPayload(handle.db, { payloadId: id });
    expect(row).toMatchObject({ status: "failed", attempts: 3, lastError: "always broken" });
    expect(runs).toBe(3);
  });

  it("stops at once on a permanent error or an event that fails its schema", async () => {
    const wf = defineWorkflow({
      id: "permanent",
      trigger: testEvent,
      retries: 5,
      handler: async () => {
        throw new PermanentWorkflowError("bad data");
      },
    });
    const permanent = await enqueue();
    const invalid = await enqueue(testEvent.name, { key: 42 });
    await runner([wf]).drain();
    expect(await getWebhookPayload(handle.db, { payloadId: permanent })).toMatchObject({
      status: "failed",
      attempts: 1,
    });
    const bad = await getWebhookPayload(handle.db, { payloadId: invalid });
    expect(bad).toMatchObject({ status: "failed", attempts: 1 });
    expect(bad?.lastError).toContain("does not match its schema");
  });

  it("delivers step.sendEvent to the workflows that listen to it", async () => {
    const done: string[] = [];
    const first = defineWorkflow({
      id: "first",
      trigger: testEvent,
      retries: 1,
      handler: async ({ event, step }) => {
        await step.sendEvent("announce", { name: followUp.name, data: { key: event.data.key } });
      },
    });
    const second = defineWorkflow({
      id: "second",
      trigger: followUp,
      retries: 1,
      handler: async ({ event }) => {
        done.push(event.data.key);
      },
    });
    await enqueue(testEvent.name, { key: "chained" });
    await runner([first, second]).drain();
    expect(done).toEqual(["chained"]);
  });

  it("leaves a payload nobody listens to pending for a workflow added later", async () => {
    const name = "test/later.handled";
    const id = await enqueue(name, { key: "later" });
    expect(await runner([]).drain()).toBe(0);
    expect((await getWebhookPayload(handle.db, { payloadId: id }))?.status).toBe("pending");

    const seen: string[] = [];
    const later = defineWorkflow({
      id: "later",
      trigger: defineEvent(name, z.object({ key: z.string() })),
      retries: 1,
      handler: async ({ event }) => {
        seen.push(event.data.key);
      },
    });
    await runner([later]).drain();
    expect(seen).toEqual(["later"]);
    expect((await getWebhookPayload(handle.db, { payloadId: id }))?.status).toBe("done");
  });

  it("resumes work a crashed runner left leased", async () => {
    const seen: string[] = [];
    const wf = defineWorkflow({
      id: "resume",
      trigger: testEvent,
      retries: 1,
      handler: async ({ event }) => {
        seen.push(event.data.key);
      },
    });
    const id = await enqueue(testEvent.name, { key: "leased" });
    // A runner that died mid-run leaves the row processing with a lease; after the lease lapses it is due.
    const { claimDuePayloads } = await import("@db/console");
    await claimDuePayloads(handle.db, { limit: 100, leaseMs: 1000 });
    const later = () => new Date(Date.now() + 5000);
    await runner([wf]).drain(later);
    expect(seen).toEqual(["leased"]);
    expect((await getWebhookPayload(handle.db, { payloadId: id }))?.status).toBe("done");
  });

  it("polls by itself once started, and a kick runs new work without waiting", async () => {
    const seen: string[] = [];
    const wf = defineWorkflow({
      id: "polled",
      trigger: testEvent,
      retries: 1,
      handler: async ({ event }) => {
        seen.push(event.data.key);
      },
    });
    const r = new OutboxRunner({ deps, registry: [wf], pollMs: 60_000, backoff: () => 0 });
    await r.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const id = await enqueue(testEvent.name, { key: "kicked" });
    r.kick();
    for (let i = 0; i < 100 && !seen.includes("kicked"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await r.stop();
    expect(seen).toContain("kicked");
    expect((await getWebhookPayload(handle.db, { payloadId: id }))?.status).toBe("done");
  });

  it("runs a batch workflow on one workspace's due rows at once, and retries a failed batch row by row", async () => {
    const batchEvent = defineEvent("test/batch.requested", z.object({ key: z.string() }));
    const runs: { keys: string[]; attempt: number }[] = [];
    const wf = defineWorkflow({
      id: "batched",
      trigger: batchEvent,
      retries: 2,
      batch: { maxSize: 4, timeout: "1s" },
      handler: async ({ events, step, attempt }) => {
        const keys = events.map((e) => e.data.key);
        runs.push({ keys, attempt });
        await step.run("check", () => {
          if (keys.includes("poison")) throw new Error("poisoned batch");
          return keys.length;
        });
      },
    });
    const other = (await createWorkspace(handle.db, { name: "Runner, other workspace" })).id;
    const ids: string[] = [];
    for (const key of ["a", "b", "poison", "c", "d", "e"])
      ids.push(await enqueue(batchEvent.name, { key }));
    const { payload: foreign } = await insertWebhookPayload(handle.db, {
      workspaceId: other,
      source: "test",
      resource: "work",
      action: "requested",
      body: JSON.stringify({ seq: seq++, foreign: true }),
      event: { id: "evt-foreign", name: batchEvent.name, data: { key: "foreign" } },
    });
    await runner([wf]).drain();

    // First attempts: batches of at most four, never mixing workspaces.
    const firsts = runs.filter((r) => r.attempt === 0);
    expect(firsts.map((r) => r.keys)).toEqual(
      expect.arrayContaining([["a", "b", "poison", "c"], ["d", "e"], ["foreign"]]),
    );
    // The poisoned batch's rows came back one by one: the healthy ones passed, the poison alone failed
    // until its budget (1 + 2 retries) was spent.
    const retries = runs.filter((r) => r.attempt > 0);
    expect(retries.every((r) => r.keys.length === 1)).toBe(true);
    expect(retries.filter((r) => r.keys[0] === "poison").map((r) => r.attempt)).toEqual([1, 2]);
    const status = async (id: string) =>
      (await getWebhookPayload(handle.db, { payloadId: id }))?.status;
    expect(await Promise.all(ids.map(status))).toEqual([
      "done",
      "done",
      "failed",
      "done",
      "done",
      "done",
    ]);
    expect(await status(foreign.id)).toBe("done");
  });
});
