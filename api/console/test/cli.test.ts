import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import {
  apiKeys,
  getUserSourceTokens,
  hashApiKey,
  insertWebhookPayload,
  openDatabase,
  workspaceWebhookPayloads,
} from "@db/console";
import { observationCaptureEvent } from "@repo/schemas";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { runWorkflow } from "../src/outbox/run-workflow";
import { captureObservation } from "../src/workflows/capture";
import { workflows } from "../src/workflows/registry";
import type { WorkflowDefinition } from "../src/workflows/types";
import { testDeps } from "./deps";
import { loadFixtures, sourceEventOf } from "./sentry-fixtures";

const run = promisify(execFile);
const apiDir = path.resolve(import.meta.dirname, "..");
const dataDir = mkdtempSync(path.join(tmpdir(), "nmc-cli-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function cli(args: string[], extraEnv: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      path.join(apiDir, "node_modules", ".bin", "tsx"),
      ["src/cli/main.ts", ...args],
      { cwd: apiDir, env: { ...process.env, DATA_DIR: dataDir, ...extraEnv } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("operator CLI on the embedded database", () => {
  let workspaceId = "";

  it("creates and lists workspaces as JSON", async () => {
    const created = await cli(["workspace", "create", "--name", "Payments", "--json"]);
    expect(created.code, created.stderr).toBe(0);
    const body = JSON.parse(created.stdout);
    expect(Object.keys(body).sort()).toEqual(["name", "workspaceId"]);
    expect(body.name).toBe("Payments");
    workspaceId = body.workspaceId;

    const listed = await cli(["workspace", "list", "--json"]);
    expect(JSON.parse(listed.stdout).map((w: { workspaceId: string }) => w.workspaceId)).toEqual([
      workspaceId,
    ]);
  });

  it("prints an API key once and stores only its hash", async () => {
    const created = await cli(["api-key", "create", "--workspace", workspaceId, "--json"]);
    expect(created.code, created.stderr).toBe(0);
    const { apiKey, workspaceId: ws } = JSON.parse(created.stdout);
    expect(ws).toBe(workspaceId);

    const handle = await openDatabase({ dataDir, role: "test" });
    try {
      const rows = await handle.db.select().from(apiKeys);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.keyHash).toBe(hashApiKey(apiKey));
      expect(JSON.stringify(rows)).not.toContain(apiKey);

      // Seed a failed payload for the outbox commands below.
      const { payload } = await insertWebhookPayload(handle.db, {
        workspaceId,
        source: "test",
        resource: "issue",
        action: "created",
        body: "{}",
        status: "failed",
        lastError: "boom",
      });
      expect(payload.status).toBe("failed");
    } finally {
      await handle.close();
    }
  });

  it("connects an internal Sentry integration with its token and secret sealed, never echoed", async () => {
    const token = "sntrys_internal_token_0123456789abcdef";
    const secret = "internal-client-secret-0123456789abcdef";
    const installation = "5a2b7c9d-1111-4222-8333-944445555666";
    const missing = await cli(["sentry", "connect-internal", "--workspace", workspaceId, "--json"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--installation/);
    const args = ["--workspace", workspaceId, "--org", "acme", "--installation", installation];
    const done = await cli([
      "sentry",
      "connect-internal",
      ...args,
      "--token",
      token,
      "--client-secret",
      secret,
      "--json",
    ]);
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ workspaceId, installation, kind: "internal" });
    expect(done.stdout + done.stderr).not.toContain(token);
    expect(done.stdout + done.stderr).not.toContain(secret);
    const db = await openDatabase({ dataDir, role: "test" });
    try {
      const source = await getUserSourceTokens(db.db, {
        provider: "sentry",
        installationId: installation,
      });
      expect(source).toMatchObject({ workspaceId, expiresAt: null, refreshTokenSealed: null });
      expect(source!.accessTokenSealed).toMatch(/^v1\./);
      expect(JSON.stringify(source)).not.toContain(token);
    } finally {
      await db.close();
    }
  });

  it("reports and retries the outbox", async () => {
    const status = await cli(["outbox", "status", "--json"]);
    expect(JSON.parse(status.stdout)).toMatchObject({ failed: 1, pending: 0 });
    const retried = await cli(["outbox", "retry", "--json"]);
    expect(JSON.parse(retried.stdout)).toEqual({ retried: 1 });
    const after = await cli(["outbox", "status", "--workspace", workspaceId, "--json"]);
    expect(JSON.parse(after.stdout)).toMatchObject({ failed: 0, pending: 1 });

    const handle = await openDatabase({ dataDir, role: "test" });
    const rows = await handle.db
      .select()
      .from(workspaceWebhookPayloads)
      .where(eq(workspaceWebhookPayloads.workspaceId, workspaceId));
    await handle.close();
    expect(rows[0]).toMatchObject({ status: "pending", attempts: 0, lastError: null });
  });

  it("migrate is idempotent and reports what it applied", async () => {
    const migrated = await cli(["migrate", "--json"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(JSON.parse(migrated.stdout)).toMatchObject({ applied: 0 });
  });

  it("reindex adopts the current embedding model", async () => {
    const out = await cli(["reindex", "--workspace", workspaceId, "--json"], {
      EMBEDDINGS: "lexical",
    });
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({
      workspaceId,
      model: expect.stringMatching(/^lexical:/),
    });
  });

  it("stats counts a captured observation, and reindex embeds it again", async () => {
    const handle = await openDatabase({ dataDir, role: "cli-test" });
    const fixture = loadFixtures().find((f) => f.file === "issue.created.json")!;
    const sourceEvent = sourceEventOf(fixture, new Date());
    if (!sourceEvent) throw new Error("fixture is not captured");
    const { payload } = await insertWebhookPayload(handle.db, {
      workspaceId,
      source: "sentry",
      resource: "issue",
      action: "created",
      body: fixture.body,
    });
    const memory = new Map<string, unknown>();
    await runWorkflow(
      captureObservation as WorkflowDefinition,
      {
        name: observationCaptureEvent.name,
        data: {
          workspaceId,
          payloadId: payload.id,
          ingestionSource: "webhook",
          sourceEvent,
        },
      },
      {
        deps: await testDeps(handle),
        attempt: 0,
        registry: workflows,
        memory: {
          get: (k) => (memory.has(k) ? { hit: true, value: memory.get(k) } : { hit: false }),
          set: async (k, v) => void memory.set(k, v),
        },
      },
    );
    await handle.close();

    const stats = await cli(["stats", "--workspace", workspaceId, "--json"]);
    expect(stats.code, stats.stderr).toBe(0);
    const parsed = JSON.parse(stats.stdout);
    expect(parsed).toMatchObject({
      workspaceId,
      observations: 1,
      vectors: 3,
      actors: expect.any(Number),
      clusters: 1,
      relationships: 0,
      payloads: { pending: expect.any(Number), done: 1, failed: 0, filtered: 0, duplicate: 0 },
    });
    expect(parsed.entities).toBeGreaterThan(0);

    const reindexed = await cli(["reindex", "--workspace", workspaceId, "--json"], {
      EMBEDDINGS: "lexical",
    });
    expect(reindexed.code, reindexed.stderr).toBe(0);
    expect(JSON.parse(reindexed.stdout)).toMatchObject({ reembedded: 1 });
    const after = JSON.parse((await cli(["stats", "--workspace", workspaceId, "--json"])).stdout);
    expect(after.vectors).toBe(3);
  });

  it("fails clearly on usage errors and bad env values", async () => {
    const missing = await cli(["api-key", "create", "--json"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--workspace is required");

    const unknown = await cli(["workspace", "create", "--name", "x", "--json"], {
      DATABASE_URL: "mysql://nope",
    });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("DATABASE_URL");

    const bogus = await cli(["workspace", "list"], { EMBEDDINGS: "bogus" });
    expect(bogus.code).not.toBe(0);
    expect(bogus.stderr).toContain("EMBEDDINGS");

    const nope = await cli(["frobnicate"]);
    expect(nope.code).toBe(2);
    expect(nope.stderr).toContain("unknown command");
  });
});
