import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Console, cli, freePort, rootDir } from "./harness";

const dataDir = mkdtempSync(path.join(tmpdir(), "nmc-console-"));
// The embedded defaults: nothing but a data directory is configured.
const env = { DATA_DIR: dataDir, SENTRY_CLIENT_SECRET: "console-test-client-secret-0123456789" };
let consoleApp: Console;

beforeAll(async () => {
  consoleApp = new Console(await freePort(), env);
  await consoleApp.start();
});
afterAll(async () => {
  await consoleApp?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the built console on its embedded defaults", () => {
  it("serves /api/health naming all four embedded backends", async () => {
    const res = await fetch(`${consoleApp.url}/api/health`);
    expect(res.status).toBe(200);
    const health = await res.json();
    expect(health).toMatchObject({
      status: "ok",
      database: "pglite",
      vectors: "pgvector",
      embeddings: "use",
      workflows: "in-process",
    });
    expect(health.details.embeddings).toEqual({
      model: "use:universal-sentence-encoder@512",
      dimension: 512,
    });
  });

  it("answers /api/inngest with an explanation while workflows run in-process", async () => {
    const res = await fetch(`${consoleApp.url}/api/inngest`);
    expect(res.status).toBe(404);
    expect((await res.json()).error).toBe("INNGEST_DISABLED");
  });

  it("lets the CLI work beside the running console and keeps data across a restart", async () => {
    const created = await cli(["workspace", "create", "--name", "Acme", "--json"], env);
    expect(created.code, created.stderr).toBe(0);
    const workspace = JSON.parse(created.stdout) as { workspaceId: string; name: string };
    expect(workspace).toEqual({ workspaceId: expect.stringMatching(/^ws_/), name: "Acme" });

    const key = await cli(
      ["api-key", "create", "--workspace", workspace.workspaceId, "--json"],
      env,
    );
    expect(key.code, key.stderr).toBe(0);
    expect(JSON.parse(key.stdout)).toMatchObject({
      apiKey: expect.stringMatching(/^nmc_/),
      workspaceId: workspace.workspaceId,
    });

    await consoleApp.stop();
    consoleApp = new Console(await freePort(), env);
    await consoleApp.start();

    const listed = await cli(["workspace", "list", "--json"], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ workspaceId: workspace.workspaceId, name: "Acme" }),
    ]);
  });
});

describe("Sentry webhooks through the built console", () => {
  const fixtures = path.resolve(rootDir, "../shared/fixtures/sentry");

  it("accepts signed deliveries from the sender once the installation is linked", async () => {
    const ws = JSON.parse(
      (await cli(["workspace", "create", "--name", "Hooks", "--json"], env)).stdout,
    );
    const fixture = path.join(fixtures, "issue.created.json");
    const uuid = JSON.parse(readFileSync(fixture, "utf8")).installation.uuid as string;
    const url = `${consoleApp.url}/api/sentry/webhooks`;

    const before = await cli(["sentry", "send", fixture, "--url", url, "--json"], env);
    expect(JSON.parse(before.stdout).statuses).toEqual({ "404": 1 });

    const linked = await cli(
      [
        "sentry",
        "link",
        "--workspace",
        ws.workspaceId,
        "--installation",
        uuid,
        "--org",
        "example",
        "--json",
      ],
      env,
    );
    expect(linked.code, linked.stderr).toBe(0);
    const sent = await cli(["sentry", "send", fixture, "--url", url, "--json"], env);
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ sent: 1, statuses: { "202": 1 }, failed: 0 });
    const again = await cli(["sentry", "send", fixture, "--url", url, "--json"], env);
    expect(JSON.parse(again.stdout).results[0].body).toMatchObject({ duplicate: true });

    // The console's in-process runner captures it: one observation with its three vectors.
    let stats: { observations: number; vectors: number; payloads: { pending: number } } | undefined;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const out = await cli(["stats", "--workspace", ws.workspaceId, "--json"], env);
      expect(out.code, out.stderr).toBe(0);
      stats = JSON.parse(out.stdout);
      if (stats?.observations === 1 && stats.payloads.pending === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(stats).toMatchObject({ observations: 1, vectors: 3, payloads: { pending: 0, done: 1 } });

    // And POST /v1/search finds it, with a key of that workspace and only with one.
    const created = await cli(["api-key", "create", "--workspace", ws.workspaceId, "--json"], env);
    expect(created.code, created.stderr).toBe(0);
    const { apiKey } = JSON.parse(created.stdout) as { apiKey: string };
    const search = (authorization?: string) =>
      fetch(`${consoleApp.url}/v1/search`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({ query: "blooopy is not defined", explain: true }),
      });
    const found = await search(`Bearer ${apiKey}`);
    expect(found.status).toBe(200);
    const body = (await found.json()) as {
      data: { entity: { type: string; id: string }; explain?: { paths: object } }[];
      meta: { paths: Record<string, { status: string }> };
    };
    expect(body.data[0]?.entity).toMatchObject({ type: "issue", id: "FRONT-END-9" });
    expect(Object.keys(body.data[0]?.explain?.paths ?? {}).length).toBeGreaterThan(0);
    expect(body.meta.paths.vector?.status).toBe("ok");
    expect((await search()).status).toBe(401);
    expect((await search("Bearer nmc_not-a-key")).status).toBe(401);
  }, 150_000);

  it("serves the search API's OpenAPI document and refuses GET on /v1/search", async () => {
    const doc = await fetch(`${consoleApp.url}/v1/openapi.json`);
    expect(doc.status).toBe(200);
    const json = (await doc.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(json.openapi).toBe("3.1.0");
    expect(Object.keys(json.paths)).toContain("/v1/search");
    const get = await fetch(`${consoleApp.url}/v1/search`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });

  it("never redirects the webhook path and refuses other methods", async () => {
    const slash = await fetch(`${consoleApp.url}/api/sentry/webhooks/`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    // Served by the webhook handler itself (an unsigned body: 401), not bounced with a 308.
    expect(slash.status).toBe(401);
    expect(await slash.json()).toMatchObject({ error: "UNAUTHORIZED" });
    const get = await fetch(`${consoleApp.url}/api/sentry/webhooks`);
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ error: "METHOD_NOT_ALLOWED" });
  });
});

describe("a console with a bad environment", () => {
  it("refuses to start and names the variable to fix", async () => {
    const bad = new Console(await freePort(), { DATA_DIR: dataDir, EMBEDDINGS: "bogus" });
    const error = await bad.start().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    await bad.stop();
    expect(error?.message).toContain("console exited early");
    expect(error?.message).toContain("EMBEDDINGS must be openai, use");
  });
});
