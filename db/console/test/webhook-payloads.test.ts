import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../src/client";
import {
  claimDuePayloads,
  completePayloads,
  countPayloadsByStatus,
  createWorkspace,
  failPayloadAttempts,
  getWebhookPayload,
  insertWebhookPayload,
  insertWebhookPayloads,
  listStalePendingPayloads,
  retryPayloads,
  saveStepResult,
  setPayloadStatus,
} from "../src/queries";
import { payloadStatuses } from "../src/schema";
import { openTestDatabase, testDatabaseTarget } from "../src/testing";

let handle: DatabaseHandle;
let workspaceId: string;
beforeAll(async () => {
  handle = await openTestDatabase();
  workspaceId = (await createWorkspace(handle.db, { name: "Outbox" })).id;
});
afterAll(() => handle.close());

let n = 0;
function delivery(body = JSON.stringify({ action: "created", n: n++ })) {
  return {
    workspaceId,
    source: "sentry",
    resource: "issue",
    action: "created",
    requestId: `req-${n}`,
    headers: { "sentry-hook-resource": "issue" },
    body,
    event: { id: `evt-${n}`, name: "test/event", data: { n } },
  };
}

describe(`webhook payload outbox (${testDatabaseTarget()})`, () => {
  it("stores identical bytes once, whatever the request id", async () => {
    const body = JSON.stringify({ action: "resolved", data: { id: "1" } });
    const first = await insertWebhookPayload(handle.db, { ...delivery(body), requestId: "a" });
    const again = await insertWebhookPayload(handle.db, { ...delivery(body), requestId: "b" });
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.payload.id).toBe(first.payload.id);
    expect(first.payload.bodySha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("ten concurrent identical inserts leave one row", async () => {
    const body = JSON.stringify({ action: "created", concurrent: true });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        insertWebhookPayload(handle.db, { ...delivery(body), requestId: `c${i}` }),
      ),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.payload.id)).size).toBe(1);
  });

  it("leases due rows once, and a lapsed lease makes them due again", async () => {
    const { payload } = await insertWebhookPayload(handle.db, delivery());
    const now = new Date(Date.now() + 1000);
    const claimed = await claimDuePayloads(handle.db, { limit: 100, leaseMs: 5_000, now });
    expect(claimed.map((p) => p.id)).toContain(payload.id);
    const mine = claimed.find((p) => p.id === payload.id)!;
    expect(mine.attempts).toBe(1);
    expect((await getWebhookPayload(handle.db, { payloadId: payload.id }))?.status).toBe(
      "processing",
    );

    const second = await claimDuePayloads(handle.db, { limit: 100, leaseMs: 5_000, now });
    expect(second.map((p) => p.id)).not.toContain(payload.id);

    const later = new Date(now.getTime() + 10_000);
    const resumed = await claimDuePayloads(handle.db, { limit: 100, leaseMs: 5_000, now: later });
    expect(resumed.find((p) => p.id === payload.id)?.attempts).toBe(2);
    await completePayloads(handle.db, { payloadIds: [payload.id] });
  });

  it("retries with a next attempt time, then fails, then can be retried by hand", async () => {
    const { payload } = await insertWebhookPayload(handle.db, delivery());
    await claimDuePayloads(handle.db, {
      limit: 100,
      leaseMs: 5_000,
      now: new Date(Date.now() + 1000),
    });
    const retryAt = new Date(Date.now() + 60_000);
    await failPayloadAttempts(handle.db, { payloadIds: [payload.id], error: "boom", retryAt });
    let row = await getWebhookPayload(handle.db, { payloadId: payload.id });
    expect(row?.status).toBe("pending");
    expect(row?.lastError).toBe("boom");
    expect(row?.nextAttemptAt.getTime()).toBe(retryAt.getTime());
    const early = await claimDuePayloads(handle.db, { limit: 100, leaseMs: 5_000 });
    expect(early.map((p) => p.id)).not.toContain(payload.id);

    await failPayloadAttempts(handle.db, {
      payloadIds: [payload.id],
      error: "final",
      retryAt: null,
    });
    row = await getWebhookPayload(handle.db, { payloadId: payload.id });
    expect(row?.status).toBe("failed");

    expect(await retryPayloads(handle.db, { payloadIds: [payload.id] })).toBe(1);
    row = await getWebhookPayload(handle.db, { payloadId: payload.id });
    expect(row).toMatchObject({ status: "pending", attempts: 0, lastError: null });
  });

  it("memoises step results and keeps a status the workflow chose", async () => {
    const { payload } = await insertWebhookPayload(handle.db, delivery());
    await saveStepResult(handle.db, { payloadId: payload.id, stepId: "a", result: { x: 1 } });
    await saveStepResult(handle.db, { payloadId: payload.id, stepId: "b", result: null });
    const row = await getWebhookPayload(handle.db, { payloadId: payload.id });
    expect(row?.stepState).toEqual({ a: { x: 1 }, b: null });

    await claimDuePayloads(handle.db, {
      limit: 100,
      leaseMs: 5_000,
      now: new Date(Date.now() + 1000),
    });
    await setPayloadStatus(handle.db, { payloadId: payload.id, status: "filtered" });
    await completePayloads(handle.db, { payloadIds: [payload.id] });
    expect((await getWebhookPayload(handle.db, { payloadId: payload.id }))?.status).toBe(
      "filtered",
    );
  });

  it("counts by status and lists stale pending rows", async () => {
    const { payload } = await insertWebhookPayload(handle.db, delivery());
    const counts = await countPayloadsByStatus(handle.db, { workspaceId });
    expect(counts.done + counts.pending + counts.filtered + counts.processing).toBeGreaterThan(0);
    expect(Object.keys(counts).sort()).toEqual([...payloadStatuses].sort());
    const stale = await listStalePendingPayloads(handle.db, {
      olderThanMs: 0,
      limit: 100,
      now: new Date(Date.now() + 1000),
    });
    expect(stale.every((p) => p.status === "pending")).toBe(true);
    expect(stale.map((p) => p.id)).toContain(payload.id);
    const fresh = await listStalePendingPayloads(handle.db, { olderThanMs: 60_000, limit: 100 });
    expect(fresh.map((p) => p.id)).not.toContain(payload.id);
  });
});

describe(`batched payload inserts (${testDatabaseTarget()})`, () => {
  it("answers each delivery in order: new, repeated within the batch, already stored", async () => {
    const stored = await insertWebhookPayload(handle.db, delivery('{"batch":"old"}'));
    const results = await insertWebhookPayloads(handle.db, [
      delivery('{"batch":"a"}'),
      delivery('{"batch":"b"}'),
      delivery('{"batch":"a"}'),
      delivery('{"batch":"old"}'),
    ]);
    expect(results.map((r) => r.duplicate)).toEqual([false, false, true, true]);
    expect(results[2]?.payload.id).toBe(results[0]?.payload.id);
    expect(results[3]?.payload.id).toBe(stored.payload.id);
    expect(new Set(results.map((r) => r.payload.id)).size).toBe(3);
    expect(await insertWebhookPayloads(handle.db, [])).toEqual([]);
  });
});
