import { readFileSync } from "node:fs";
import path from "node:path";
import {
  createWorkspace,
  type DatabaseHandle,
  getSentryInstallation,
  getWebhookPayload,
  linkSentryInstallation,
  upsertIntegration,
  workspaceWebhookPayloads,
} from "@db/console";
import { openTestDatabase, testDatabaseTarget } from "@db/console/testing";
import { observationCaptureEvent } from "@repo/schemas";
import { generateKey, parseKeyring, seal } from "@repo/secrets";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiveWebhook } from "../src/webhooks/receive";
import type { WorkflowEvent } from "../src/workflows/types";
import { fixturesDir, loadFixtures, PUBLIC_SECRET, sentryRequest } from "./sentry-fixtures";

const keyring = parseKeyring(generateKey());
let handle: DatabaseHandle;
let workspaceId: string;
const dispatched: { id: string; event: WorkflowEvent }[] = [];
const fixtures = loadFixtures();

async function receive(request: Request, maxBodyBytes = 1024 * 1024) {
  const res = await receiveWebhook("sentry", request, {
    db: handle.db,
    keyring,
    maxBodyBytes,
    workflows: {
      dispatch: async (p) => {
        dispatched.push(p);
        return { ok: true };
      },
    },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  handle = await openTestDatabase();
  workspaceId = (await createWorkspace(handle.db, { name: "Sentry" })).id;
  const installations = new Set(
    fixtures.filter((f) => f.resource !== "installation").map((f) => f.installation),
  );
  for (const uuid of installations) {
    await linkSentryInstallation(handle.db, {
      uuid,
      workspaceId,
      organizationSlug: "example",
      kind: "public",
    });
  }
});
afterAll(() => handle.close());

function expectErrorBody(body: Record<string, unknown>, error: string) {
  expect(body).toEqual({ error, message: expect.any(String), requestId: expect.any(String) });
}

describe(`POST /api/sentry/webhooks (${testDatabaseTarget()})`, () => {
  const capturable = fixtures.filter((f) =>
    ["issue", "error", "event_alert", "metric_alert", "comment"].includes(f.resource),
  );

  it.each(capturable.map((f) => [f.file, f] as const))(
    "stores and emits %s",
    async (_, fixture) => {
      const { status, body } = await receive(
        sentryRequest(fixture.body, { resource: fixture.resource }),
      );
      if (status === 200) {
        // Two fixture files may carry identical bytes; the second is a duplicate by design.
        expect(body.duplicate).toBe(true);
        return;
      }
      expect(status).toBe(202);
      expect(body.status).toBe("pending");
      const row = await getWebhookPayload(handle.db, { payloadId: String(body.payloadId) });
      expect(row).toMatchObject({
        workspaceId,
        source: "sentry",
        resource: fixture.resource,
        action: fixture.action,
        body: fixture.body,
        status: "pending",
        ingestionSource: "webhook",
      });
      expect(row?.headers["sentry-hook-signature"]).toBeUndefined();
      expect(row?.headers["sentry-hook-resource"]).toBe(fixture.resource);
      expect(row?.event?.name).toBe(observationCaptureEvent.name);
      const data = observationCaptureEvent.schema.parse(row?.event?.data);
      expect(data.payloadId).toBe(row?.id);
      expect(data.sourceEvent.source).toBe("sentry");
      expect(JSON.stringify(row?.event)).not.toContain(fixture.body);
      expect(dispatched.at(-1)?.id).toBe(row?.id);
    },
  );

  it("stores unsupported resources as ignored", async () => {
    const seer = fixtures.find((f) => f.resource === "seer")!;
    await linkSentryInstallation(handle.db, {
      uuid: seer.installation,
      workspaceId,
      organizationSlug: "example",
      kind: "public",
    });
    const { status, body } = await receive(sentryRequest(seer.body, { resource: "seer" }));
    expect(status).toBe(202);
    expect(body.status).toBe("ignored");
  });

  it("verifies the signature test vectors' raw bytes with an internal integration's own secret", async () => {
    const vectors = JSON.parse(
      readFileSync(path.join(fixturesDir, "signature-test-vectors.json"), "utf8"),
    ) as {
      cases: { name: string; secret: string; raw_body: string; expected_signature_hex: string }[];
    };
    for (const c of vectors.cases) {
      const uuid = (JSON.parse(c.raw_body) as { installation: { uuid: string } }).installation.uuid;
      await linkSentryInstallation(handle.db, {
        uuid,
        workspaceId,
        organizationSlug: "example",
        kind: "internal",
        clientSecretSealed: seal(keyring, c.secret),
      });
      const resource = c.raw_body.includes('"triggered"') ? "event_alert" : "comment";
      const ok = await receive(
        sentryRequest(c.raw_body, { resource, signature: c.expected_signature_hex }),
      );
      expect(ok.status, c.name).not.toBe(401);
      expect([200, 202, 400]).toContain(ok.status);
      const reserialized = JSON.stringify(JSON.parse(c.raw_body));
      if (reserialized !== c.raw_body) {
        const bad = await receive(
          sentryRequest(reserialized, { resource, signature: c.expected_signature_hex }),
        );
        expect(bad.status, c.name).toBe(401);
      }
      // The public secret is not this installation's secret.
      const wrong = await receive(sentryRequest(c.raw_body, { resource, secret: PUBLIC_SECRET }));
      expect(wrong.status).toBe(401);
      // The vectors reuse fixture installation uuids: hand them back to the public integration.
      await linkSentryInstallation(handle.db, {
        uuid,
        workspaceId,
        organizationSlug: "example",
        kind: "public",
      });
    }
  });

  describe("refuses bad deliveries with the right status and loses nothing authentic", () => {
    const issue = capturable.find((f) => f.file === "issue.created.json")!;
    const fresh = (suffix: string) =>
      issue.body.replace('"action":"created"', `"action":"created","n":"${suffix}"`);

    it("401 for a tampered body, a wrong secret, missing headers and bad timestamps", async () => {
      const body = fresh("sig");
      const cases: [string, Request][] = [
        [
          "tampered",
          sentryRequest(body, { resource: "issue", signature: sentryHeaderFor(fresh("other")) }),
        ],
        [
          "wrong secret",
          sentryRequest(body, { resource: "issue", secret: "not-the-secret-000000000" }),
        ],
        ["no signature", sentryRequest(body, { resource: "issue", signature: null })],
        ["no timestamp", sentryRequest(body, { resource: "issue", timestamp: null })],
        [
          "stale",
          sentryRequest(body, {
            resource: "issue",
            // Well past the bounds: the requests are built before the earlier cases run, and exact
            // boundaries are the signature module's own tests (with an injected clock).
            timestamp: Math.floor(Date.now() / 1000) - 600,
          }),
        ],
        [
          "future",
          sentryRequest(body, {
            resource: "issue",
            timestamp: Math.floor(Date.now() / 1000) + 180,
          }),
        ],
      ];
      for (const [name, request] of cases) {
        const res = await receive(request);
        expect(res.status, name).toBe(401);
        expectErrorBody(res.body, "UNAUTHORIZED");
      }
      const rows = await handle.db
        .select()
        .from(workspaceWebhookPayloads)
        .where(eq(workspaceWebhookPayloads.body, body));
      expect(rows).toHaveLength(0);
    });

    it("413 for an oversized body, declared or streamed", async () => {
      const big = fresh("x".repeat(2048));
      const declared = await receive(sentryRequest(big, { resource: "issue" }), 1024);
      expect(declared.status).toBe(413);
      expectErrorBody(declared.body, "PAYLOAD_TOO_LARGE");
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode("x".repeat(512)));
          controller.close();
        },
      });
      const streamed = await receive(
        new Request("http://localhost/api/sentry/webhooks", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: stream,
          duplex: "half",
        } as RequestInit),
        1024,
      );
      expect(streamed.status).toBe(413);
    });

    it("400 for truncated or non-JSON bodies, 415 for a wrong content type", async () => {
      const truncated = fresh("t").slice(0, 100);
      const a = await receive(sentryRequest(truncated, { resource: "issue" }));
      expect(a.status).toBe(400);
      expectErrorBody(a.body, "INVALID_JSON");
      const b = await receive(sentryRequest("hello", { resource: "issue" }));
      expect(b.status).toBe(400);
      const c = await receive(
        sentryRequest(fresh("ct"), { resource: "issue", contentType: "text/plain" }),
      );
      expect(c.status).toBe(415);
      expectErrorBody(c.body, "UNSUPPORTED_MEDIA_TYPE");
    });

    it("400 and a stored failed row for a signed body whose envelope is wrong", async () => {
      const body = JSON.stringify({
        action: "created",
        installation: { uuid: issue.installation },
      });
      const res = await receive(sentryRequest(body, { resource: "issue" }));
      expect(res.status).toBe(400);
      expectErrorBody(res.body, "INVALID_PAYLOAD");
      const [row] = await handle.db
        .select()
        .from(workspaceWebhookPayloads)
        .where(eq(workspaceWebhookPayloads.body, body));
      expect(row?.status).toBe("failed");
    });

    it("404 for an unknown installation, without storing it", async () => {
      const body = fresh("unknown").replace(
        issue.installation,
        "00000000-0000-4000-8000-000000000000",
      );
      const res = await receive(sentryRequest(body, { resource: "issue" }));
      expect(res.status).toBe(404);
      expectErrorBody(res.body, "UNKNOWN_INSTALLATION");
    });

    it("answers a redelivery with a new Request-ID as a duplicate, once", async () => {
      const body = fresh("dup");
      const first = await receive(
        sentryRequest(body, { resource: "issue", requestId: "a".repeat(32) }),
      );
      const again = await receive(
        sentryRequest(body, { resource: "issue", requestId: "b".repeat(32) }),
      );
      expect(first.status).toBe(202);
      expect(again).toEqual({
        status: 200,
        body: { duplicate: true, payloadId: first.body.payloadId },
      });
    });

    it("stores ten concurrent identical deliveries once and emits one capture", async () => {
      const body = fresh("concurrent");
      const before = dispatched.length;
      const results = await Promise.all(
        Array.from({ length: 10 }, () => receive(sentryRequest(body, { resource: "issue" }))),
      );
      expect(results.filter((r) => r.status === 202)).toHaveLength(1);
      expect(results.filter((r) => r.status === 200 && r.body.duplicate)).toHaveLength(9);
      const rows = await handle.db
        .select()
        .from(workspaceWebhookPayloads)
        .where(eq(workspaceWebhookPayloads.body, body));
      expect(rows).toHaveLength(1);
      expect(dispatched.length - before).toBe(1);
    });
  });

  describe("installation lifecycle", () => {
    const createdFixture = fixtures.find((f) => f.file === "installation.created.json")!;
    // A uuid no test has linked yet, so this is a first announcement.
    const created = {
      ...createdFixture,
      installation: "99999999-8888-4777-8666-555555555555",
      body: createdFixture.body.replaceAll(
        createdFixture.installation,
        "99999999-8888-4777-8666-555555555555",
      ),
    };
    const deleted = fixtures.find((f) => f.file === "installation.deleted.json")!;

    it("records a pending installation with its grant code sealed", async () => {
      const res = await receive(sentryRequest(created.body, { resource: "installation" }));
      expect(res.status).toBe(202);
      const row = await getSentryInstallation(handle.db, { uuid: created.installation });
      expect(row).toMatchObject({
        status: "pending",
        organizationSlug: "test-org",
        workspaceId: null,
      });
      expect(row?.grantCodeSealed).toBeTruthy();
      expect(row?.grantCodeSealed).not.toContain("f3c71b491e3949b6b033ae45312a4fcb");
      // Deliveries for an installation no workspace has claimed yet are kept but not captured.
      const issue = capturable.find((f) => f.resource === "issue")!;
      const body = issue.body.replaceAll(issue.installation, created.installation);
      const pending = await receive(sentryRequest(body, { resource: "issue" }));
      expect(pending.status).toBe(202);
      expect(pending.body.status).toBe("ignored");
    });

    it("revokes on installation.deleted and refuses that installation afterwards", async () => {
      await linkSentryInstallation(handle.db, {
        uuid: deleted.installation,
        workspaceId,
        organizationSlug: "example",
        kind: "public",
      });
      const res = await receive(sentryRequest(deleted.body, { resource: "installation" }));
      expect(res.status).toBe(200);
      expect(await getSentryInstallation(handle.db, { uuid: deleted.installation })).toMatchObject({
        status: "revoked",
        clientSecretSealed: null,
      });
      const issue = capturable.find((f) => f.resource === "issue")!;
      const body = issue.body.replaceAll(issue.installation, deleted.installation);
      const after = await receive(sentryRequest(body, { resource: "issue" }));
      expect(after.status).toBe(404);
    });
  });

  describe("per-integration event filter", () => {
    it("marks filtered events and lets metric alerts through a project filter", async () => {
      const ws = (await createWorkspace(handle.db, { name: "Filtered" })).id;
      const uuid = "11111111-2222-4333-8444-555555555555";
      await linkSentryInstallation(handle.db, {
        uuid,
        workspaceId: ws,
        organizationSlug: "example",
        kind: "public",
      });
      await upsertIntegration(handle.db, {
        workspaceId: ws,
        provider: "sentry",
        externalId: uuid,
        sourceConfig: {
          sourceType: "sentry",
          organizationSlug: "example",
          projectSlugs: ["no-such-project"],
          sync: { events: ["issue", "metric_alert"] },
        },
      });
      const pick = (file: string) => {
        const f = fixtures.find((x) => x.file === file)!;
        return { ...f, body: f.body.replaceAll(f.installation, uuid) };
      };
      const error = pick("error.created.json");
      const e = await receive(sentryRequest(error.body, { resource: "error" }));
      expect(e.body).toMatchObject({ status: "filtered" });
      const issue = pick("issue.created.json");
      const i = await receive(sentryRequest(issue.body, { resource: "issue" }));
      expect(i.body).toMatchObject({ status: "filtered" });
      const alert = pick("metric_alert.critical.json");
      const a = await receive(sentryRequest(alert.body, { resource: "metric_alert" }));
      expect(a.body).toMatchObject({ status: "pending" });
      const row = await getWebhookPayload(handle.db, { payloadId: String(e.body.payloadId) });
      expect(row?.status).toBe("filtered");
      expect(row?.lastError).toBeTruthy();
    });
  });
});

function sentryHeaderFor(body: string): string {
  return sentryRequest(body, { resource: "issue" }).headers.get("sentry-hook-signature")!;
}
