import { hmacSha256Hex } from "@repo/webhooks";
import { afterEach, describe, expect, it } from "vitest";
import { parseCli } from "../src/env";
import { type SentrySimulator, sentryJson } from "../src/index";
import { CLIENT_SECRET, connect, issues, refresh, START, start, startReceiver } from "./helpers";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function simulator(overrides: Parameters<typeof start>[0] = {}): Promise<SentrySimulator> {
  const sim = await start(overrides);
  cleanups.push(() => sim.close());
  return sim;
}

const call = async (sim: SentrySimulator, path: string, body?: unknown) => {
  const res = await fetch(`${sim.url}/__simulator/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

describe("control endpoints", () => {
  it("drive the clock, seeding, failure injection, revocation and stats over HTTP", async () => {
    const hook = await startReceiver();
    cleanups.push(hook.close);
    const sim = await simulator({ webhookUrl: hook.url });

    expect(await call(sim, "issues", { count: 7 })).toMatchObject({
      status: 201,
      json: { seeded: 7, total: 7 },
    });
    const { installationId, pair } = await connect(sim);
    expect((await call(sim, "installations")).json).toEqual([
      { uuid: installationId, status: "pending", org: "acme" },
    ]);

    expect(await call(sim, "fail-next-refresh", { mode: "reject", times: 1 })).toMatchObject({
      status: 200,
    });
    expect((await refresh(sim, installationId, pair.refreshToken)).status).toBe(401);

    const clock = await call(sim, "clock", { advanceMs: 8 * 3_600_000 });
    expect(clock.json.nowMs).toBe(START + 8 * 3_600_000);
    expect((await issues(sim, pair.token)).status).toBe(401);

    expect((await call(sim, `installations/${installationId}/revoke`, {})).status).toBe(200);
    expect((await call(sim, "installations/nope/revoke", {})).status).toBe(404);
    expect(hook.deliveries.map((d) => d.json.action)).toEqual(["created", "deleted"]);

    expect((await call(sim, "stats")).json).toEqual({
      authorizationCodeGrants: 1,
      refreshGrants: 0,
      jwtBearerGrants: 0,
      rejectedGrants: 1,
      apiCalls: 1,
      rateLimited: 0,
      installationsVerified: [],
    });
    expect((await call(sim, "fail-next-refresh", { mode: "explode" })).status).toBe(400);
    expect(await call(sim, "nothing-here")).toEqual({ status: 404, json: { detail: "Not found" } });
  });

  it("deliver signs the exact bytes: strings verbatim, objects compact with non-ASCII escaped", async () => {
    const hook = await startReceiver();
    cleanups.push(hook.close);
    const sim = await simulator({ webhookUrl: hook.url });

    const raw = '{"action":"created","data":{"issue":{"count":1566248777.0}}}';
    const res = await sim.deliver("issue", raw);
    expect(res.status).toBe(200);
    const body = { action: "created", data: { comment: "café ✓" }, installation: { uuid: "u" } };
    const viaHttp = await call(sim, "deliver", { resource: "comment", body });
    expect(viaHttp).toMatchObject({ status: 200, json: { status: 200 } });

    const [first, second] = hook.deliveries;
    expect(first!.raw).toBe(raw);
    expect(first!.headers["sentry-hook-signature"]).toBe(hmacSha256Hex(CLIENT_SECRET, raw));
    expect(first!.headers["sentry-hook-resource"]).toBe("issue");
    expect(second!.raw).toBe(sentryJson(body));
    expect(second!.raw).toContain("caf\\u00e9 \\u2713");
    expect(second!.headers["sentry-hook-signature"]).toBe(
      hmacSha256Hex(CLIENT_SECRET, second!.raw),
    );
    expect(second!.json).toEqual(body);
  });

  it("deliver without a webhookUrl fails loudly", async () => {
    const sim = await simulator();
    await expect(sim.deliver("issue", {})).rejects.toThrow(/webhookUrl/);
    expect((await call(sim, "deliver", { resource: "issue", body: {} })).status).toBe(409);
  });
});

describe("CLI flags", () => {
  it("has local-dev defaults and validates flags", () => {
    const parsed = parseCli([]);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.config).toMatchObject({
      port: 4010,
      appSlug: "neural-memory",
      redirectUrl: "http://localhost:3000/sentry/connected",
      webhookUrl: "http://localhost:3000/api/sentry/webhooks",
      issues: 200,
    });
    expect(parsed.config.clientSecret.length).toBeGreaterThanOrEqual(16);

    const custom = parseCli(["--port", "0", "--webhook-url", "", "--issues", "3"]);
    expect(custom.ok && custom.config).toMatchObject({ port: 0, webhookUrl: "", issues: 3 });
    expect(parseCli(["--port", "x"]).ok).toBe(false);
    expect(parseCli(["--client-secret", "short"]).ok).toBe(false);
    expect(parseCli(["--bogus"]).ok).toBe(false);
  });
});
