import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../src/client";
import {
  createWorkspace,
  failPayloadAttempts,
  getSourceOverview,
  type InsertPayloadParams,
  insertWebhookPayloads,
  linkSentryInstallation,
  revokeIntegration,
  revokeSentryInstallation,
  type SourceConnection,
  setPayloadStatus,
  upsertIntegration,
} from "../src/queries";
import { openTestDatabase, testDatabaseTarget } from "../src/testing";

const NOW = new Date("2026-03-02T12:00:00.000Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(() => handle.close());

async function connectSentry(
  workspaceId: string,
  uuid: string,
  config: { projectSlugs?: string[]; sync?: Record<string, unknown> } = {},
) {
  await linkSentryInstallation(handle.db, {
    uuid,
    workspaceId,
    organizationSlug: `org-${uuid}`,
    kind: "public",
  });
  await upsertIntegration(handle.db, {
    workspaceId,
    provider: "sentry",
    externalId: uuid,
    sourceConfig: { sourceType: "sentry", organizationSlug: `org-${uuid}`, ...config },
  });
}

let n = 0;
interface Seed {
  installation: string;
  minutesAgo: number;
  /** Rows a backfill stored rather than deliveries Sentry sent. */
  backfill?: boolean;
  /** Failed through the runner with this error, or set to another terminal status. */
  fail?: string;
  status?: "done" | "filtered" | "duplicate";
}

/** Stores deliveries as the webhook does, then moves them on as the runner and workflows would. */
async function deliver(workspaceId: string, seeds: Seed[]): Promise<string[]> {
  const batch: InsertPayloadParams[] = seeds.map((seed) => ({
    workspaceId,
    source: "sentry",
    resource: "issue",
    action: "created",
    body: JSON.stringify({
      action: "created",
      installation: { uuid: seed.installation },
      data: { n: n++ },
    }),
    receivedAt: minutesAgo(seed.minutesAgo),
    ...(seed.backfill ? { ingestionSource: "backfill" as const } : {}),
  }));
  const stored = await insertWebhookPayloads(handle.db, batch);
  const ids = stored.map((s) => s.payload.id);
  for (const [i, seed] of seeds.entries()) {
    const payloadId = ids[i]!;
    if (seed.fail) {
      await failPayloadAttempts(handle.db, {
        payloadIds: [payloadId],
        error: seed.fail,
        retryAt: null,
      });
    } else if (seed.status) {
      await setPayloadStatus(handle.db, { payloadId, status: seed.status });
    }
  }
  return ids;
}

function sentryConnections(overview: {
  providers: { provider: string; connections: SourceConnection[] }[];
}) {
  return overview.providers.find((p) => p.provider === "sentry")?.connections ?? [];
}

describe(`source overview (${testDatabaseTarget()})`, () => {
  it("lists Sentry with no connections for a workspace that connected nothing", async () => {
    const ws = await createWorkspace(handle.db, { name: "Empty" });
    const overview = await getSourceOverview(handle.db, { workspaceId: ws.id, now: NOW });
    expect(overview.providers).toEqual([{ provider: "sentry", connections: [] }]);
  });

  it("describes a connection and its deliveries, and never another workspace's", async () => {
    const mine = await createWorkspace(handle.db, { name: "Mine" });
    const theirs = await createWorkspace(handle.db, { name: "Theirs" });
    await connectSentry(mine.id, "inst-mine", {
      projectSlugs: ["web", "api"],
      sync: { events: ["issue", "error"], minLevel: "warning" },
    });
    await connectSentry(theirs.id, "inst-theirs");

    await deliver(mine.id, [
      { installation: "inst-mine", minutesAgo: 5, status: "done" },
      { installation: "inst-mine", minutesAgo: 20 },
      { installation: "inst-mine", minutesAgo: 50, status: "filtered" },
      { installation: "inst-mine", minutesAgo: 90, status: "duplicate" },
      { installation: "inst-mine", minutesAgo: 100, fail: "boom 1" },
      { installation: "inst-mine", minutesAgo: 200, fail: "boom 2" },
      { installation: "inst-mine", minutesAgo: 300, fail: "boom 3" },
      { installation: "inst-mine", minutesAgo: 400, fail: "boom 4" },
      { installation: "inst-mine", minutesAgo: 500, fail: "boom 5" },
      { installation: "inst-mine", minutesAgo: 600, fail: "boom 6" },
      // Older than a day: not in the window, whatever its status.
      { installation: "inst-mine", minutesAgo: 25 * 60, fail: "ancient" },
      // After `now`: a page rendered for `now` does not see it.
      { installation: "inst-mine", minutesAgo: -5, fail: "future" },
      // A backfill's rows are not deliveries, however recent.
      { installation: "inst-mine", minutesAgo: 1, backfill: true },
      { installation: "inst-mine", minutesAgo: 2, backfill: true, fail: "backfilled issue" },
    ]);
    // The other workspace is busier and fails more recently: none of it may leak in.
    await deliver(theirs.id, [
      { installation: "inst-theirs", minutesAgo: 1, fail: "theirs newest" },
      { installation: "inst-theirs", minutesAgo: 2, fail: "theirs" },
      { installation: "inst-theirs", minutesAgo: 3, status: "done" },
    ]);

    const overview = await getSourceOverview(handle.db, { workspaceId: mine.id, now: NOW });
    expect(overview.workspaceId).toBe(mine.id);
    const connections = sentryConnections(overview);
    expect(connections).toHaveLength(1);
    const [connection] = connections;
    expect(connection).toMatchObject({
      provider: "sentry",
      installationId: "inst-mine",
      organizationSlug: "org-inst-mine",
      kind: "public",
      status: "active",
      projectSlugs: ["web", "api"],
      eventFilter: { events: ["issue", "error"], minLevel: "warning" },
      tokenExpiresAt: null,
    });
    expect(connection!.createdAt).toBeInstanceOf(Date);

    const stats = connection!.deliveries;
    expect(stats.lastDeliveryAt?.toISOString()).toBe(minutesAgo(5).toISOString());
    expect(stats.lastHour).toBe(3);
    expect(stats.total24h).toBe(10);
    expect(stats.last24h).toEqual({
      pending: 1,
      processing: 0,
      done: 1,
      failed: 6,
      filtered: 1,
      ignored: 0,
      duplicate: 1,
      below_threshold: 0,
    });
    expect(stats.recentFailures.map((f) => f.error)).toEqual([
      "boom 1",
      "boom 2",
      "boom 3",
      "boom 4",
      "boom 5",
    ]);
    expect(stats.recentFailures[0]).toMatchObject({ resource: "issue", action: "created" });
    expect(stats.recentFailures[0]!.receivedAt.toISOString()).toBe(minutesAgo(100).toISOString());

    const json = JSON.stringify(overview);
    expect(json).not.toContain("inst-theirs");
    expect(json).not.toContain("theirs");

    const other = sentryConnections(
      await getSourceOverview(handle.db, { workspaceId: theirs.id, now: NOW }),
    );
    expect(other.map((c) => c.installationId)).toEqual(["inst-theirs"]);
    expect(other[0]!.deliveries.recentFailures.map((f) => f.error)).toEqual([
      "theirs newest",
      "theirs",
    ]);
    expect(other[0]!.deliveries.total24h).toBe(3);
  });

  it("tells several connections' deliveries apart by the installation their bodies name", async () => {
    const ws = await createWorkspace(handle.db, { name: "Reinstalled" });
    await connectSentry(ws.id, "inst-old");
    await deliver(ws.id, [
      { installation: "inst-old", minutesAgo: 120, fail: "old token" },
      { installation: "inst-old", minutesAgo: 130, status: "done" },
    ]);
    await revokeSentryInstallation(handle.db, { uuid: "inst-old" });
    await revokeIntegration(handle.db, { provider: "sentry", externalId: "inst-old" });
    await connectSentry(ws.id, "inst-new");
    await deliver(ws.id, [{ installation: "inst-new", minutesAgo: 10, status: "done" }]);

    const connections = sentryConnections(
      await getSourceOverview(handle.db, { workspaceId: ws.id, now: NOW }),
    );
    const byId = Object.fromEntries(connections.map((c) => [c.installationId, c]));
    expect(Object.keys(byId).sort()).toEqual(["inst-new", "inst-old"]);
    expect(byId["inst-old"]).toMatchObject({ status: "revoked" });
    expect(byId["inst-old"]!.deliveries).toMatchObject({ total24h: 2, lastHour: 0 });
    expect(byId["inst-old"]!.deliveries.lastDeliveryAt?.toISOString()).toBe(
      minutesAgo(120).toISOString(),
    );
    expect(byId["inst-old"]!.deliveries.recentFailures.map((f) => f.error)).toEqual(["old token"]);
    expect(byId["inst-new"]).toMatchObject({ status: "active" });
    expect(byId["inst-new"]!.deliveries).toMatchObject({
      total24h: 1,
      lastHour: 1,
      recentFailures: [],
    });
  });

  it("counts an installation linked without an integration as an unfiltered connection", async () => {
    const ws = await createWorkspace(handle.db, { name: "Linked only" });
    await linkSentryInstallation(handle.db, {
      uuid: "inst-bare",
      workspaceId: ws.id,
      organizationSlug: "bare-org",
      kind: "internal",
    });
    const [connection] = sentryConnections(
      await getSourceOverview(handle.db, { workspaceId: ws.id, now: NOW }),
    );
    expect(connection).toMatchObject({
      installationId: "inst-bare",
      organizationSlug: "bare-org",
      kind: "internal",
      status: "active",
      projectSlugs: [],
      eventFilter: { events: null, minLevel: null },
      deliveries: { lastDeliveryAt: null, lastHour: 0, total24h: 0, recentFailures: [] },
    });
  });
});
