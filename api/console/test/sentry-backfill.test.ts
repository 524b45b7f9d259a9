import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createWorkspace,
  type DatabaseHandle,
  getBackfill,
  getUserSourceTokens,
  linkSentryInstallation,
  listUnfinishedBackfills,
  upsertIntegration,
  upsertUserSource,
  type WebhookPayload,
  workspaceWebhookPayloads,
} from "@db/console";
import { openTestDatabase, testDatabaseTarget } from "@db/console/testing";
import { InngestTestEngine } from "@inngest/test";
import { observationCaptureEvent } from "@repo/schemas";
import { generateKey, parseKeyring, seal } from "@repo/secrets";
import { createSentrySimulator, type SentrySimulator } from "@repo/sentry-simulator";
import { webhookProvider } from "@repo/webhooks";
import { sentrySourceConfigSchema } from "@repo/webhooks/sentry";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { inngest } from "../src/inngest/client";
import {
  sentryBackfillEvent,
  sentryBackfillFunction,
} from "../src/inngest/functions/sentry-backfill";
import {
  type BackfillDeps,
  RETRY_DELAYS_MS,
  resumeBackfills,
  runBackfill,
  startSentryBackfill,
} from "../src/providers/sentry/backfill";
import { exchangeCode, type SentryAppConfig } from "../src/providers/sentry/oauth-client";
import { SentryTokenService } from "../src/providers/sentry/tokens";
import type { WorkflowEvent } from "../src/workflows/types";

const APP = { clientId: "backfill-client-id", clientSecret: "backfill-client-secret-0123456789" };
const ORG = { slug: "acme", id: "1" };
const keyring = parseKeyring(generateKey());
/** The simulator's clock stands still unless a test's sleep moves it, so rate-limit windows are exact. */
const frozenAt = Date.now();

let handle: DatabaseHandle;
let sim: SentrySimulator;
const logs: unknown[][] = [];
const log = (...args: unknown[]) => void logs.push(args);
const secrets: string[] = [];

async function openSimulator(rateLimit?: { limit: number; windowMs: number }) {
  return createSentrySimulator({
    ...APP,
    appSlug: "neural-console",
    redirectUrl: "http://127.0.0.1:9/sentry/connected",
    organization: ORG,
    rateLimit,
    now: () => frozenAt,
  });
}

function appConfig(simulator: SentrySimulator): SentryAppConfig {
  return { baseUrl: simulator.url, ...APP };
}

/** What the Connect Sentry callback stores: a real pair from the simulator, sealed, plus the link rows. */
async function connect(
  simulator: SentrySimulator,
  name: string,
  sync: Record<string, unknown> = {},
): Promise<{ workspaceId: string; installationId: string }> {
  const workspaceId = (await createWorkspace(handle.db, { name })).id;
  const url = `${simulator.url}/sentry-apps/neural-console/external-install/`;
  const back = new URL((await fetch(url, { redirect: "manual" })).headers.get("location")!);
  const installationId = back.searchParams.get("installationId")!;
  const code = back.searchParams.get("code")!;
  const grant = await exchangeCode(appConfig(simulator), { installationId, code });
  secrets.push(grant.token, grant.refreshToken, code);
  await upsertUserSource(handle.db, {
    workspaceId,
    userId: null,
    provider: "sentry",
    installationId,
    accessTokenSealed: seal(keyring, grant.token),
    refreshTokenSealed: seal(keyring, grant.refreshToken),
    expiresAt: new Date(grant.expiresAt),
    scopes: grant.scopes,
    providerMetadata: {
      version: 1,
      sourceType: "sentry",
      organizationSlug: ORG.slug,
      installationId,
      scopes: grant.scopes,
    },
  });
  const organizationSlug = ORG.slug;
  await linkSentryInstallation(handle.db, {
    uuid: installationId,
    workspaceId,
    organizationSlug,
    kind: "public",
  });
  await upsertIntegration(handle.db, {
    workspaceId,
    provider: "sentry",
    externalId: installationId,
    sourceConfig: sentrySourceConfigSchema.parse({ sourceType: "sentry", organizationSlug, sync }),
  });
  return { workspaceId, installationId };
}

/** Backfill deps on the simulator's clock; sleeping moves that clock instead of waiting. */
function backfillDeps(simulator: SentrySimulator, baseUrl = simulator.url) {
  const sleeps: number[] = [];
  const dispatched: { id: string; event: WorkflowEvent }[] = [];
  const tokens = new SentryTokenService({
    db: handle.db,
    databaseKind: handle.kind,
    keyring,
    config: appConfig(simulator),
    now: () => simulator.clock.now(),
    log,
  });
  const deps: BackfillDeps = {
    db: handle.db,
    tokens,
    baseUrl,
    workflows: {
      dispatch: async (payload) => {
        dispatched.push(payload);
        return { ok: true };
      },
    },
    now: () => new Date(simulator.clock.now()),
    sleep: async (ms) => {
      sleeps.push(ms);
      simulator.clock.advance(ms);
    },
    log,
  };
  return { deps, sleeps, dispatched, tokens };
}

/** Starts the installation's backfill and drives it in process. */
async function backfill(
  deps: BackfillDeps,
  link: { workspaceId: string; installationId: string },
  maxPages?: number,
) {
  const started = await startSentryBackfill(deps, link);
  return runBackfill(deps, { backfillId: started.id, maxPages });
}

const withinRateLimitPause = (ms: number) => ms >= 1_000 && ms <= 60_000;

const payloadsOf = (workspaceId: string): Promise<WebhookPayload[]> =>
  handle.db
    .select()
    .from(workspaceWebhookPayloads)
    .where(eq(workspaceWebhookPayloads.workspaceId, workspaceId));

beforeAll(async () => {
  handle = await openTestDatabase();
  // Five list calls a minute per organization: far below what 10 pages need.
  sim = await openSimulator({ limit: 5, windowMs: 60_000 });
  sim.seedIssues(1000);
});
afterAll(async () => {
  await sim?.close();
  await handle?.close();
});

describe(`Sentry backfill on connect (${testDatabaseTarget()})`, () => {
  let workspaceId: string;
  let installationId: string;
  let backfillId: string;
  let run: ReturnType<typeof backfillDeps>;
  const consoleLog = vi.spyOn(globalThis.console, "log");
  const consoleWarn = vi.spyOn(globalThis.console, "warn");
  const consoleError = vi.spyOn(globalThis.console, "error");

  it("reads 3 pages through a 429, then stops with its progress and cursor saved", async () => {
    ({ workspaceId, installationId } = await connect(sim, "Backfill"));
    run = backfillDeps(sim);
    // Another client of the same organization has spent this window's quota.
    const auth = {
      headers: { authorization: `Bearer ${await run.tokens.accessToken(installationId)}` },
    };
    const list = `${sim.url}/api/0/organizations/${ORG.slug}/issues/?query=`;
    for (let i = 0; i < 5; i++) await fetch(list, auth).then((res) => res.text());
    expect(sim.stats().rateLimited).toBe(0);
    const started = await startSentryBackfill(run.deps, { workspaceId, installationId });
    expect(started).toMatchObject({ status: "queued", pages: 0, items: 0, cursor: null });
    backfillId = started.id;

    const paused = await runBackfill(run.deps, { backfillId, maxPages: 3 });
    expect(sim.stats().rateLimited).toBe(1);
    expect(run.sleeps[0]).toSatisfy(withinRateLimitPause);
    expect(paused).toMatchObject({ status: "running", pages: 3, items: 300, cursor: "0:300:0" });
    expect(await payloadsOf(workspaceId)).toHaveLength(300);
    expect(run.dispatched).toHaveLength(300);
  });

  it("returns the unfinished backfill instead of starting a second", async () => {
    const again = await startSentryBackfill(run.deps, { workspaceId, installationId });
    expect(again.id).toBe(backfillId);
    expect(again.pages).toBe(3);
  });

  it("resumes at the saved cursor and captures all 1,000 issues once, like issue.created", async () => {
    const sleepsBefore = run.sleeps.length;
    const done = await runBackfill(run.deps, { backfillId });
    expect(done).toMatchObject({
      status: "done",
      pages: 10,
      items: 1000,
      cursor: null,
      error: null,
    });
    expect(done.finishedAt).toBeInstanceOf(Date);
    // Page 5 spent the window's last request: the driver waited for the reset instead of meeting a 429.
    expect(sim.stats().rateLimited).toBe(1);
    const pauses = run.sleeps.slice(sleepsBefore);
    expect(pauses).toHaveLength(1);
    expect(pauses[0]).toSatisfy(withinRateLimitPause);

    const rows = await payloadsOf(workspaceId);
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => r.bodySha256)).size).toBe(1000);
    expect(run.dispatched).toHaveLength(1000);
    expect(new Set(run.dispatched.map((d) => d.id)).size).toBe(1000);

    const provider = webhookProvider("sentry");
    const sourceIds = new Set<string>();
    const rowOfIssue = new Map<string, WebhookPayload>();
    const token = await run.tokens.accessToken(installationId);
    for (const row of rows) {
      expect(row).toMatchObject({
        source: "sentry",
        resource: "issue",
        action: "created",
        status: "pending",
        ingestionSource: "backfill",
      });
      const body = JSON.parse(row.body) as {
        installation: { uuid: string };
        data: { issue: { id: string } };
      };
      expect(body).toMatchObject({
        action: "created",
        installation: { uuid: installationId },
        actor: { type: "application", id: "backfill", name: "backfill" },
      });
      rowOfIssue.set(body.data.issue.id, row);
      const data = observationCaptureEvent.schema.parse(row.event?.data);
      expect(row.event?.name).toBe(observationCaptureEvent.name);
      expect(data).toMatchObject({ workspaceId, payloadId: row.id, ingestionSource: "backfill" });
      sourceIds.add(data.sourceEvent.sourceId);
      expect(run.dispatched.find((d) => d.id === row.id)?.event).toEqual(row.event);
    }
    expect([sourceIds.size, rowOfIssue.size]).toEqual([1000, 1000]);

    // The real webhook for each issue, built from Sentry's own copy of it, gives the very same event.
    const auth = { headers: { authorization: `Bearer ${token}` } };
    for (const [id, row] of rowOfIssue) {
      const url = `${sim.url}/api/0/organizations/${ORG.slug}/issues/${id}/`;
      const issue = await (await fetch(url, auth)).json();
      const actor = { type: "application", id: "sentry", name: "Sentry" };
      const payload = {
        action: "created",
        installation: { uuid: installationId },
        data: { issue },
        actor,
      };
      const webhook = provider.transform({ resource: "issue", payload, receivedAt: new Date() });
      expect(webhook.kind === "event" && webhook.event.sourceId).toBe(`sentry:issue:${id}:created`);
      expect(row.event?.data.sourceEvent).toEqual(webhook.kind === "event" && webhook.event);
    }

    const next = await startSentryBackfill(run.deps, { workspaceId, installationId });
    expect(next.id).not.toBe(backfillId);
    expect(next.status).toBe("queued");
  });

  it("never writes a token into the backfill or anything logged", async () => {
    const row = await getBackfill(handle.db, { id: backfillId });
    const seen = JSON.stringify([
      row,
      logs,
      consoleLog.mock.calls,
      consoleWarn.mock.calls,
      consoleError.mock.calls,
    ]);
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(seen).not.toContain(secret);
  });
});

describe("a backfill that cannot go on", () => {
  it("fails with a message when Sentry has revoked the token (needs re-auth)", async () => {
    const link = await connect(sim, "Revoked");
    const { installationId } = link;
    await sim.revokeInstallation(installationId);
    // Past the token service's "just refreshed" grace, so the 401 leads to a refresh attempt.
    sim.clock.advance(2 * 60_000);
    const { deps, sleeps, dispatched } = backfillDeps(sim);
    const row = await backfill(deps, link);
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/needs to be connected again/);
    expect(row.finishedAt).toBeInstanceOf(Date);
    const source = await getUserSourceTokens(handle.db, { provider: "sentry", installationId });
    expect(source?.status).toBe("needs_reauth");
    expect(sleeps).toEqual([]);
    expect(dispatched).toEqual([]);
    const seen = JSON.stringify([row, logs]);
    for (const secret of secrets) expect(seen).not.toContain(secret);
  });

  it("retries a page Sentry did not answer after 1 s, 5 s and 25 s, then fails", async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((resolve) => dead.close(resolve));
    const { deps, sleeps } = backfillDeps(sim, `http://127.0.0.1:${port}`);
    const row = await backfill(deps, await connect(sim, "Unreachable"));
    expect(sleeps).toEqual([...RETRY_DELAYS_MS]);
    expect(row).toMatchObject({ status: "failed", pages: 0, items: 0 });
    expect(row.error).toMatch(/did not answer/);
  });
});

describe("one page's issues", () => {
  let proxy: Server;
  afterAll(() => new Promise((resolve) => proxy?.close(resolve)));

  it("stores an issue the transform rejects as failed and captures the rest", async () => {
    // Between the console and the simulator: the first issue of every page comes back mangled.
    proxy = createServer(async (req, res) => {
      const upstream = await fetch(`${sim.url}${req.url}`, {
        headers: { authorization: String(req.headers.authorization) },
      });
      const headers = Object.fromEntries(upstream.headers);
      delete headers["content-length"];
      let text = await upstream.text();
      if (upstream.status === 200) {
        const issues = JSON.parse(text) as unknown[];
        issues[0] = { id: "broken", title: 42 };
        text = JSON.stringify(issues);
      }
      res.writeHead(upstream.status, headers).end(text);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const link = await connect(sim, "Mangled");
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const { deps, dispatched } = backfillDeps(sim, proxyUrl);
    const row = await backfill(deps, link, 1);
    expect(row).toMatchObject({ status: "running", pages: 1, items: 100 });
    const rows = await payloadsOf(link.workspaceId);
    expect(rows).toHaveLength(100);
    const failed = rows.filter((r) => r.status === "failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.lastError).toMatch(/issue/);
    expect(failed[0]?.event).toBeNull();
    expect(dispatched).toHaveLength(99);
  });

  it("stores issues the integration's filter excludes as filtered, undispatched", async () => {
    const link = await connect(sim, "Filtered", { minLevel: "error" });
    const { deps, dispatched } = backfillDeps(sim);
    await backfill(deps, link, 1);
    const rows = await payloadsOf(link.workspaceId);
    const filtered = rows.filter((r) => r.status === "filtered");
    expect(rows).toHaveLength(100);
    expect(filtered.length).toBeGreaterThan(0);
    for (const r of filtered) expect(r.lastError).toMatch(/below the minimum error/);
    expect(dispatched).toHaveLength(100 - filtered.length);
  });
});

describe("sentry-backfill Inngest function", () => {
  it("pages through every issue, one step per page", async () => {
    const roomy = await openSimulator({ limit: 1000, windowMs: 1000 });
    try {
      roomy.seedIssues(250);
      const { workspaceId, installationId } = await connect(roomy, "Inngest");
      const { deps, dispatched } = backfillDeps(roomy);
      const started = await startSentryBackfill(deps, { workspaceId, installationId });
      const fn = sentryBackfillFunction(
        inngest,
        async () => ({ db: handle.db, sentryTokens: deps.tokens }),
        { baseUrl: () => roomy.url, workflows: deps.workflows, log },
      );
      const t = new InngestTestEngine({ function: fn, events: [sentryBackfillEvent(started)] });
      const { result, error } = await t.execute();
      expect(error).toBeUndefined();
      expect(result).toEqual({ backfillId: started.id, pages: 3, items: 250, done: true });
      expect(await getBackfill(handle.db, { id: started.id })).toMatchObject({
        status: "done",
        pages: 3,
        items: 250,
      });
      expect(dispatched).toHaveLength(250);
    } finally {
      await roomy.close();
    }
  });
});

describe("after a restart", () => {
  it("resumes every queued or running backfill to its end", async () => {
    const before = await listUnfinishedBackfills(handle.db, { provider: "sentry" });
    // The second backfill queued in the first block, and the two left running after one page.
    expect(before.map((b) => b.status).sort()).toEqual(["queued", "running", "running"]);
    const { deps } = backfillDeps(sim);
    const rows = await resumeBackfills(deps);
    expect(rows.map((b) => b.id).sort()).toEqual(before.map((b) => b.id).sort());
    for (const row of rows) expect(row).toMatchObject({ status: "done", pages: 10, cursor: null });
    expect(await listUnfinishedBackfills(handle.db)).toEqual([]);
  });
});
