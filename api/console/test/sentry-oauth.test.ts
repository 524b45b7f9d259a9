import {
  createWorkspace,
  type DatabaseHandle,
  getIntegrationByExternalId,
  getSentryInstallation,
  getUserSourceTokens,
  listUserSources,
  newId,
  users,
} from "@db/console";
import { openTestDatabase, testDatabaseTarget } from "@db/console/testing";
import { InngestTestEngine } from "@inngest/test";
import { generateKey, parseKeyring } from "@repo/secrets";
import { createSentrySimulator, type SentrySimulator } from "@repo/sentry-simulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { inngest } from "../src/inngest/client";
import { sentryTokenRefreshCron } from "../src/inngest/functions/sentry-token-refresh";
import { sentryClient } from "../src/providers/sentry/client";
import {
  completeSentryConnect,
  STATE_TTL_MS,
  startSentryConnect,
} from "../src/providers/sentry/connect";
import type { SentryAppConfig } from "../src/providers/sentry/oauth-client";
import { SentryNeedsReauthError, SentryTokenService } from "../src/providers/sentry/tokens";
import { receiveWebhook } from "../src/webhooks/receive";
import { PUBLIC_SECRET, sentryRequest } from "./sentry-fixtures";

/*
 * Connecting Sentry against the Sentry simulator (a test double of Sentry's public API, over real HTTP):
 * the state, the code exchange, the sealed pair, refreshes that must never race, and uninstalling.
 */
const keyring = parseKeyring(generateKey());
const CLIENT_ID = "sim-client-id";
const HOUR = 3_600_000;
let handle: DatabaseHandle;
let sim: SentrySimulator;
let config: SentryAppConfig & { appSlug: string };
const logs: string[] = [];
const log = (message: string, fields?: Record<string, unknown>) =>
  logs.push(`${message} ${JSON.stringify(fields ?? {})}`);

async function person() {
  const userId = newId("usr");
  await handle.db.insert(users).values({ id: userId, name: "Ada", email: `${userId}@example.com` });
  const workspaceId = (await createWorkspace(handle.db, { name: "Payments" })).id;
  return { userId, sessionId: newId("ses"), workspaceId };
}

/** Starts a connect flow and follows Sentry's external-install page to its redirect back. */
async function install(who: { userId: string; sessionId: string; workspaceId: string }) {
  const { url } = await startSentryConnect(handle.db, config, { ...who, now: sim.clock.now() });
  expect(url.startsWith(`${sim.url}/sentry-apps/neural-memory/external-install/?state=`)).toBe(
    true,
  );
  const redirect = await fetch(url, { redirect: "manual" });
  expect(redirect.status).toBe(302);
  return new URL(redirect.headers.get("location")!).searchParams;
}

const complete = (query: URLSearchParams, session: { userId: string; sessionId: string } | null) =>
  completeSentryConnect(
    { db: handle.db, keyring, config, now: sim.clock.now() },
    { query, session },
  );

function tokenService() {
  return new SentryTokenService({
    db: handle.db,
    databaseKind: handle.kind,
    keyring,
    config,
    now: () => sim.clock.now(),
    log,
  });
}

beforeAll(async () => {
  handle = await openTestDatabase();
  sim = await createSentrySimulator({
    clientId: CLIENT_ID,
    clientSecret: PUBLIC_SECRET,
    appSlug: "neural-memory",
    redirectUrl: "http://127.0.0.1:9/sentry/connected",
    // Generous: these tests are about tokens; the backfill tests hit the limit on purpose.
    rateLimit: { limit: 10_000, windowMs: 1000 },
  });
  config = {
    baseUrl: sim.url,
    clientId: CLIENT_ID,
    clientSecret: PUBLIC_SECRET,
    appSlug: "neural-memory",
  };
  sim.seedIssues(5);
});
afterAll(async () => {
  await sim?.close();
  await handle?.close();
});
beforeEach(() => {
  logs.length = 0;
});

describe(`connecting Sentry (${testDatabaseTarget()})`, () => {
  it("exchanges the code, verifies the install and stores the pair sealed, in one go", async () => {
    const who = await person();
    const query = await install(who);
    const installationId = query.get("installationId")!;
    const outcome = await complete(query, who);
    expect(outcome).toEqual({
      ok: true,
      workspaceId: who.workspaceId,
      installationId,
      organizationSlug: "acme",
    });
    expect(sim.stats().installationsVerified).toContain(installationId);
    const row = await getUserSourceTokens(handle.db, { provider: "sentry", installationId });
    expect(row).toMatchObject({
      workspaceId: who.workspaceId,
      userId: who.userId,
      status: "active",
      providerMetadata: {
        version: 1,
        sourceType: "sentry",
        organizationSlug: "acme",
        installationId,
      },
    });
    expect(row!.expiresAt!.getTime()).toBeGreaterThan(sim.clock.now() + 7 * HOUR);
    expect(row!.accessTokenSealed).toMatch(/^v1\./);
    expect(row!.scopes.length).toBeGreaterThan(0);
    expect(await getSentryInstallation(handle.db, { uuid: installationId })).toMatchObject({
      workspaceId: who.workspaceId,
      status: "installed",
    });
    expect(
      await getIntegrationByExternalId(handle.db, {
        provider: "sentry",
        externalId: installationId,
      }),
    ).toMatchObject({ workspaceId: who.workspaceId, status: "active" });

    // The stored token works against Sentry's API, and no listing ever carries it.
    const tokens = tokenService();
    const token = await tokens.accessToken(installationId);
    const issues = await sentryClient({ baseUrl: sim.url, installationId, tokens }).request(
      "/organizations/acme/issues/?limit=1",
    );
    expect(issues.status).toBe(200);
    const listed = JSON.stringify(
      await listUserSources(handle.db, { workspaceId: who.workspaceId }),
    );
    expect(listed).not.toContain(token);
    expect(listed).not.toContain("accessTokenSealed");
    expect(logs.join("\n")).not.toContain(token);
  });

  it("refuses forged, reused, expired and other-session states with 400, storing nothing", async () => {
    const who = await person();
    const query = await install(who);
    const installationId = query.get("installationId")!;
    const grantsBefore = sim.stats().authorizationCodeGrants;
    const forged = new URLSearchParams(query);
    forged.set("state", "forged-state");
    expect(await complete(forged, who)).toMatchObject({ ok: false, status: 400 });

    const otherSession = await complete(query, { userId: who.userId, sessionId: "ses_other" });
    expect(otherSession).toMatchObject({ ok: false, status: 400 });
    // That attempt consumed the state: the right session cannot reuse it either.
    expect(await complete(query, who)).toMatchObject({
      ok: false,
      status: 400,
      title: "This connection attempt is not recognised",
    });

    const late = await install(who);
    const expired = await completeSentryConnect(
      { db: handle.db, keyring, config, now: sim.clock.now() + STATE_TTL_MS + 1 },
      { query: late, session: who },
    );
    expect(expired).toMatchObject({
      ok: false,
      status: 400,
      title: "This connection attempt expired",
    });
    for (const id of [installationId, late.get("installationId")!]) {
      expect(await getUserSourceTokens(handle.db, { provider: "sentry", installationId: id })).toBe(
        undefined,
      );
    }
    // A refused state never reaches Sentry: no code was exchanged.
    expect(sim.stats().authorizationCodeGrants).toBe(grantsBefore);
  });

  it("explains a reused or expired grant, storing nothing", async () => {
    const who = await person();
    const first = await install(who);
    expect((await complete(first, who)).ok).toBe(true);
    // Same code again with a fresh state: Sentry refuses the used grant.
    const again = await install(who);
    const reused = new URLSearchParams(again);
    reused.set("code", first.get("code")!);
    reused.set("installationId", first.get("installationId")!);
    const refusedReuse = await complete(reused, who);
    expect(refusedReuse).toMatchObject({ ok: false, status: 400 });
    expect((refusedReuse as { message: string }).message).toMatch(/already used or has expired/);

    const stale = await install(who);
    sim.clock.advance(11 * 60_000);
    const expired = await completeSentryConnect(
      { db: handle.db, keyring, config, now: sim.clock.now() - 11 * 60_000 },
      { query: stale, session: who },
    );
    expect(expired).toMatchObject({ ok: false, status: 400 });
    expect(
      await getUserSourceTokens(handle.db, {
        provider: "sentry",
        installationId: stale.get("installationId")!,
      }),
    ).toBe(undefined);
  });
});

describe(`Sentry tokens (${testDatabaseTarget()})`, () => {
  async function connected() {
    const who = await person();
    const query = await install(who);
    expect((await complete(query, who)).ok).toBe(true);
    return { ...who, installationId: query.get("installationId")! };
  }

  it("refreshes once for 50 concurrent calls at expiry, and every call succeeds", async () => {
    const { installationId } = await connected();
    const tokens = tokenService();
    const client = sentryClient({ baseUrl: sim.url, installationId, tokens });
    const before = sim.stats().refreshGrants;
    sim.clock.advance(7 * HOUR + 45 * 60_000);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => client.request("/organizations/acme/issues/?limit=1")),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(sim.stats().refreshGrants - before).toBe(1);
    const row = await getUserSourceTokens(handle.db, { provider: "sentry", installationId });
    expect(row!.expiresAt!.getTime()).toBeGreaterThan(sim.clock.now() + 7 * HOUR);
  });

  it("renews tokens lapsing within the hour from the cron sweep", async () => {
    const { installationId } = await connected();
    const tokens = tokenService();
    sim.clock.advance(7 * HOUR + 10 * 60_000);
    const before = sim.stats().refreshGrants;
    const swept = await tokens.refreshExpiring(60 * 60_000);
    expect(swept.refreshed).toBeGreaterThanOrEqual(1);
    expect(swept.failed).toBe(0);
    expect(sim.stats().refreshGrants - before).toBe(swept.refreshed);
    const row = await getUserSourceTokens(handle.db, { provider: "sentry", installationId });
    expect(row!.expiresAt!.getTime()).toBeGreaterThan(sim.clock.now() + 7 * HOUR);
  });

  it("runs the sweep as the Inngest cron sentry-token-refresh", async () => {
    const { installationId } = await connected();
    const tokens = tokenService();
    sim.clock.advance(7 * HOUR + 20 * 60_000);
    const engine = new InngestTestEngine({
      function: sentryTokenRefreshCron(inngest, async () => tokens),
    });
    const { result } = await engine.execute();
    expect(result).toMatchObject({ failed: 0 });
    expect((result as { refreshed: number }).refreshed).toBeGreaterThanOrEqual(1);
    const row = await getUserSourceTokens(handle.db, { provider: "sentry", installationId });
    expect(row!.expiresAt!.getTime()).toBeGreaterThan(sim.clock.now() + 7 * HOUR);
  });

  it("recovers a lost refresh answer with Sentry's JWT-bearer refresh", async () => {
    const { installationId } = await connected();
    const tokens = tokenService();
    const before = sim.stats();
    sim.failNextRefresh("lose-answer");
    // Forced, as after a 401: the current token counts as refused.
    const token = await tokens.refresh(installationId, {
      stale: await tokens.accessToken(installationId),
    });
    const after = sim.stats();
    expect(after.jwtBearerGrants - before.jwtBearerGrants).toBe(1);
    const ok = await sentryClient({ baseUrl: sim.url, installationId, tokens }).request(
      "/organizations/acme/issues/?limit=1",
    );
    expect(ok.status).toBe(200);
    expect(logs.join("\n")).not.toContain(token);
  });

  it("marks the connection needs_reauth when Sentry refuses every renewal", async () => {
    const { installationId, workspaceId } = await connected();
    const tokens = tokenService();
    const refused = await tokens.accessToken(installationId);
    await sim.revokeInstallation(installationId);
    await expect(tokens.refresh(installationId, { stale: refused })).rejects.toBeInstanceOf(
      SentryNeedsReauthError,
    );
    const [source] = await listUserSources(handle.db, { workspaceId });
    expect(source).toMatchObject({
      status: "needs_reauth",
      statusReason: expect.stringMatching(/connect Sentry again/),
    });
    await expect(tokens.accessToken(installationId)).rejects.toBeInstanceOf(SentryNeedsReauthError);
  });

  it("deletes the tokens on uninstall, and the installation's webhooks then get 404", async () => {
    const { installationId, workspaceId } = await connected();
    const receive = (body: string, resource: string) =>
      receiveWebhook("sentry", sentryRequest(body, { resource }), {
        db: handle.db,
        keyring,
        maxBodyBytes: 1024 * 1024,
        workflows: { dispatch: async () => ({ ok: true }) },
      });
    const deleted = JSON.stringify({
      action: "deleted",
      installation: { uuid: installationId },
      data: {
        installation: {
          uuid: installationId,
          status: "installed",
          app: { uuid: "app-1", slug: "neural-memory" },
          organization: { slug: "acme" },
        },
      },
      actor: { type: "user", id: "1", name: "Ada" },
    });
    expect((await receive(deleted, "installation")).status).toBe(200);
    const row = await getUserSourceTokens(handle.db, { provider: "sentry", installationId });
    expect(row).toMatchObject({
      status: "revoked",
      accessTokenSealed: null,
      refreshTokenSealed: null,
      workspaceId,
    });
    const issue = JSON.stringify({
      action: "created",
      installation: { uuid: installationId },
      data: { issue: { id: "1" } },
    });
    expect((await receive(issue, "issue")).status).toBe(404);
  });
});
