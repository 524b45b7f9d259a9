import { hmacSha256Hex } from "@repo/webhooks";
import { afterEach, describe, expect, it } from "vitest";
import { clientSecretJwt, JWT_BEARER_GRANT, type SentrySimulator } from "../src/index";
import {
  APP_SLUG,
  authorize,
  CLIENT_ID,
  CLIENT_SECRET,
  connect,
  INSTALLATION_CREATED_FIXTURE,
  install,
  issues,
  missingShape,
  type Pair,
  REDIRECT,
  refresh,
  START,
  start,
  startReceiver,
} from "./helpers";

const HOUR = 3_600_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function simulator(overrides: Parameters<typeof start>[0] = {}): Promise<SentrySimulator> {
  const sim = await start(overrides);
  cleanups.push(() => sim.close());
  return sim;
}
async function receiver() {
  const r = await startReceiver();
  cleanups.push(r.close);
  return r;
}

describe("external install", () => {
  it("redirects with code, installationId, orgSlug and state, after a signed installation.created", async () => {
    const hook = await receiver();
    const sim = await simulator({ webhookUrl: hook.url });
    const { res, location, code, installationId } = await install(sim, "csrf-state-123");

    expect(res.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(code).toMatch(/^[0-9a-f]{32}$/);
    expect(installationId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(location.searchParams.get("orgSlug")).toBe("acme");
    expect(location.searchParams.get("state")).toBe("csrf-state-123");
    expect(sim.installations()).toEqual([{ uuid: installationId, status: "pending", org: "acme" }]);

    expect(hook.deliveries).toHaveLength(1);
    const [delivery] = hook.deliveries;
    const h = delivery!.headers;
    expect(h["content-type"]).toBe("application/json");
    expect(h["request-id"]).toMatch(/^[0-9a-f]{32}$/);
    expect(h["sentry-hook-resource"]).toBe("installation");
    expect(h["sentry-hook-timestamp"]).toBe(String(Math.floor(START / 1000)));
    expect(h["sentry-hook-signature"]).toBe(hmacSha256Hex(CLIENT_SECRET, delivery!.raw));
    expect(h["sentry-hook-signature"]).not.toBe(hmacSha256Hex("another-secret", delivery!.raw));
    expect(delivery!.raw).toBe(JSON.stringify(delivery!.json)); // compact, like Sentry
    expect(missingShape(INSTALLATION_CREATED_FIXTURE, delivery!.json)).toEqual([]);
    expect(delivery!.json).toMatchObject({
      action: "created",
      data: {
        installation: { code, uuid: installationId, status: "pending", app: { slug: APP_SLUG } },
      },
      installation: { uuid: installationId },
    });
  });

  it("omits state when none is given, and 404s for another app slug", async () => {
    const sim = await simulator();
    const { location } = await install(sim);
    expect(location.searchParams.has("state")).toBe(false);
    const other = await fetch(`${sim.url}/sentry-apps/other-app/external-install/`, {
      redirect: "manual",
    });
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ detail: "Not found" });
  });
});

describe("token endpoint", () => {
  it("exchanges a code once; reuse, another installation's code and a stale code get 401", async () => {
    const sim = await simulator();
    const { code, installationId } = await install(sim, "s");
    const first = await authorize(sim, installationId, { grant_type: "authorization_code", code });
    expect(first.status).toBe(201);
    const pair = (await first.json()) as Pair & Record<string, unknown>;
    expect(pair).toMatchObject({
      token: expect.stringMatching(/^[0-9a-f]{64}$/),
      refreshToken: expect.stringMatching(/^[0-9a-f]{64}$/),
      expiresAt: new Date(START + 8 * HOUR).toISOString(),
      dateCreated: new Date(START).toISOString(),
      scopes: ["event:read", "org:read", "project:read", "member:read"],
      application: null,
      state: null,
    });

    const reuse = await authorize(sim, installationId, { grant_type: "authorization_code", code });
    expect(reuse.status).toBe(401);
    expect(await reuse.json()).toEqual({ detail: "Could not find grant for given code" });

    const second = await install(sim);
    const crossed = await authorize(sim, installationId, {
      grant_type: "authorization_code",
      code: second.code,
    });
    expect(crossed.status).toBe(401);

    sim.clock.advance(10 * 60_000);
    const stale = await authorize(sim, second.installationId, {
      grant_type: "authorization_code",
      code: second.code,
    });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toEqual({ detail: "Grant has already expired" });
    expect(sim.stats()).toMatchObject({ authorizationCodeGrants: 1, rejectedGrants: 3 });
  });

  it("answers 400 to a form-encoded body, 401 to a bad client pair, 403 to an unknown grant type", async () => {
    const sim = await simulator();
    const { code, installationId } = await install(sim);
    const url = `${sim.url}/api/0/sentry-app-installations/${installationId}/authorizations/`;
    const form = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }).toString(),
    });
    expect(form.status).toBe(400);
    expect(await form.json()).toHaveProperty("detail");

    const badSecret = await authorize(sim, installationId, {
      grant_type: "authorization_code",
      code,
      client_secret: `${CLIENT_SECRET}x`,
    });
    expect(badSecret.status).toBe(401);
    expect(await badSecret.json()).toEqual({ detail: "Invalid Client ID / Secret pair" });

    const password = await authorize(sim, installationId, { grant_type: "password" });
    expect(password.status).toBe(403);
    expect(await password.json()).toEqual({ detail: "Invalid grant_type" });

    // None of that spent the code.
    const ok = await authorize(sim, installationId, { grant_type: "authorization_code", code });
    expect(ok.status).toBe(201);
  });

  it("refresh rotates the pair: the old access and refresh tokens die", async () => {
    const sim = await simulator();
    sim.seedIssues(3);
    const { installationId, pair } = await connect(sim);
    expect((await issues(sim, pair.token)).status).toBe(200);

    const res = await refresh(sim, installationId, pair.refreshToken);
    expect(res.status).toBe(201);
    const next = (await res.json()) as Pair;
    expect(next.token).not.toBe(pair.token);
    expect(next.refreshToken).not.toBe(pair.refreshToken);

    const old = await issues(sim, pair.token);
    expect(old.status).toBe(401);
    expect(await old.json()).toEqual({ detail: "Invalid token" });
    expect((await issues(sim, next.token)).status).toBe(200);
    const again = await refresh(sim, installationId, pair.refreshToken);
    expect(again.status).toBe(401);
    expect(await again.json()).toEqual({ detail: "Given refresh token does not exist" });
    expect(sim.stats()).toMatchObject({ refreshGrants: 1, rejectedGrants: 1 });
  });

  it("two concurrent refreshes with one refresh token: exactly one 201 and one 401", async () => {
    const sim = await simulator();
    const { installationId, pair } = await connect(sim);
    const answers = await Promise.all([
      refresh(sim, installationId, pair.refreshToken),
      refresh(sim, installationId, pair.refreshToken),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 401]);
    const loser = answers.find((r) => r.status === 401)!;
    expect(await loser.json()).toEqual({ detail: "Given refresh token does not exist" });
  });

  it("JWT bearer: once per jti, in the Authorization header or as assertion; expired or foreign JWTs get 401", async () => {
    const sim = await simulator();
    const { installationId, pair } = await connect(sim);
    const jwt = clientSecretJwt(CLIENT_ID, CLIENT_SECRET, sim.clock.now());
    const viaHeader = () =>
      fetch(`${sim.url}/api/0/sentry-app-installations/${installationId}/authorizations/`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${jwt}` },
        body: JSON.stringify({ grant_type: JWT_BEARER_GRANT }),
      });
    const first = await viaHeader();
    expect(first.status).toBe(201);
    const fresh = (await first.json()) as Pair;
    expect((await issues(sim, pair.token)).status).toBe(401);
    expect((await issues(sim, fresh.token)).status).toBe(200);

    const replay = await viaHeader();
    expect(replay.status).toBe(401);
    expect(await replay.json()).toEqual({ detail: "JWT has already been used" });

    const assertion = clientSecretJwt(CLIENT_ID, CLIENT_SECRET, sim.clock.now());
    const viaBody = await authorize(sim, installationId, {
      grant_type: JWT_BEARER_GRANT,
      assertion,
    });
    expect(viaBody.status).toBe(201);

    const expiring = clientSecretJwt(CLIENT_ID, CLIENT_SECRET, sim.clock.now(), 60);
    sim.clock.advance(61_000);
    const expired = await authorize(sim, installationId, {
      grant_type: JWT_BEARER_GRANT,
      assertion: expiring,
    });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ detail: "Could not validate JWT" });

    const foreign = await authorize(sim, installationId, {
      grant_type: JWT_BEARER_GRANT,
      assertion: clientSecretJwt(CLIENT_ID, "not-the-client-secret-at-all", sim.clock.now()),
    });
    expect(foreign.status).toBe(401);
    const otherApp = await authorize(sim, installationId, {
      grant_type: JWT_BEARER_GRANT,
      assertion: clientSecretJwt("another-client", CLIENT_SECRET, sim.clock.now()),
    });
    expect(otherApp.status).toBe(401);
    expect(await otherApp.json()).toEqual({ detail: "JWT is not valid for this application" });
    expect(sim.stats()).toMatchObject({ jwtBearerGrants: 2, rejectedGrants: 4 });
  });

  it("access tokens expire after 8 hours of simulator clock; the refresh token still works", async () => {
    const sim = await simulator();
    const { installationId, pair } = await connect(sim);
    sim.clock.advance(8 * HOUR - 1);
    expect((await issues(sim, pair.token)).status).toBe(200);
    sim.clock.advance(1);
    const expired = await issues(sim, pair.token);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ detail: "Token expired" });
    const res = await refresh(sim, installationId, pair.refreshToken);
    expect(res.status).toBe(201);
    expect(((await res.json()) as Pair).expiresAt).toBe(new Date(START + 16 * HOUR).toISOString());
  });

  it("failNextRefresh('lose-answer') rotates the pair but the client only sees a dead socket", async () => {
    const sim = await simulator();
    const { installationId, pair } = await connect(sim);
    sim.failNextRefresh("lose-answer");
    await expect(refresh(sim, installationId, pair.refreshToken)).rejects.toThrow(TypeError);
    expect(sim.stats().refreshGrants).toBe(1);
    // Applied: both halves of the old pair are gone, so the only way back is the JWT grant.
    expect((await issues(sim, pair.token)).status).toBe(401);
    expect((await refresh(sim, installationId, pair.refreshToken)).status).toBe(401);
    const recovered = await authorize(sim, installationId, {
      grant_type: JWT_BEARER_GRANT,
      assertion: clientSecretJwt(CLIENT_ID, CLIENT_SECRET, sim.clock.now()),
    });
    expect(recovered.status).toBe(201);
  });

  it("failNextRefresh('reject') answers 401 and keeps the pair", async () => {
    const sim = await simulator();
    const { installationId, pair } = await connect(sim);
    sim.failNextRefresh("reject", 2);
    for (let i = 0; i < 2; i++) {
      const res = await refresh(sim, installationId, pair.refreshToken);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ detail: "Given refresh token does not exist" });
    }
    expect((await issues(sim, pair.token)).status).toBe(200);
    expect((await refresh(sim, installationId, pair.refreshToken)).status).toBe(201);
  });
});

describe("installation", () => {
  it("PUT {status: installed} with the installation's token verifies it", async () => {
    const sim = await simulator();
    const { installationId, pair } = await connect(sim);
    const other = await connect(sim);
    const put = (token: string, body: unknown) =>
      fetch(`${sim.url}/api/0/sentry-app-installations/${installationId}/`, {
        method: "PUT",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    expect((await put(other.pair.token, { status: "installed" })).status).toBe(401);
    expect((await put("0".repeat(64), { status: "installed" })).status).toBe(401);
    expect((await put(pair.token, { status: "pending" })).status).toBe(400);

    const ok = await put(pair.token, { status: "installed" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      app: { uuid: expect.any(String), slug: APP_SLUG },
      organization: { slug: "acme", id: "1" },
      uuid: installationId,
      status: "installed",
    });
    expect(sim.stats().installationsVerified).toEqual([installationId]);
    expect(sim.installations().find((i) => i.uuid === installationId)?.status).toBe("installed");

    sim.clock.advance(8 * HOUR);
    expect((await put(pair.token, { status: "installed" })).status).toBe(401);
  });

  it("revokeInstallation deletes the tokens and sends a signed installation.deleted", async () => {
    const hook = await receiver();
    const sim = await simulator({ webhookUrl: hook.url });
    const { installationId, pair } = await connect(sim);
    await sim.revokeInstallation(installationId);
    expect(sim.installations()).toEqual([]);
    expect((await issues(sim, pair.token)).status).toBe(401);
    expect((await refresh(sim, installationId, pair.refreshToken)).status).toBe(404);
    const deleted = hook.deliveries.at(-1)!;
    expect(deleted.headers["sentry-hook-signature"]).toBe(
      hmacSha256Hex(CLIENT_SECRET, deleted.raw),
    );
    expect(deleted.json).toMatchObject({
      action: "deleted",
      actor: { type: "user" },
      data: { installation: { uuid: installationId, organization: { slug: "acme" } } },
      installation: { uuid: installationId },
    });
  });
});
