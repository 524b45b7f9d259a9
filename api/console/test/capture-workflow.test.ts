import {
  captureStats,
  createWorkspace,
  type DatabaseHandle,
  getWebhookPayload,
  insertWebhookPayload,
  linkSentryInstallation,
  newId,
  observationIdFor,
  observations,
  relationships,
  rowsOf,
} from "@db/console";
import { openTestDatabase, testDatabaseTarget } from "@db/console/testing";
import { createOpenAIEmbeddingProvider } from "@repo/embeddings";
import { startOpenAIHttpDouble } from "@repo/embeddings/testing";
import { observationCaptureEvent, type SourceEvent } from "@repo/schemas";
import { generateKey, parseKeyring } from "@repo/secrets";
import { createVectorStore, vectorId } from "@repo/vectors";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWorkflow, type StepMemory } from "../src/outbox/run-workflow";
import { OutboxRunner } from "../src/outbox/runner";
import { receiveWebhook } from "../src/webhooks/receive";
import { captureObservation } from "../src/workflows/capture";
import { reconcileVectors } from "../src/workflows/capture/reconcile";
import { VIEWS } from "../src/workflows/capture/vectors";
import { workflows } from "../src/workflows/registry";
import type { WorkflowDefinition, WorkflowDeps } from "../src/workflows/types";
import { testDeps, vectorDatabaseFor } from "./deps";
import { loadFixtures, sentryRequest, sourceEventOf } from "./sentry-fixtures";

const keyring = parseKeyring(generateKey());
// Installation lifecycle deliveries revoke their installation; they are tested with the webhook route.
const fixtures = loadFixtures().filter((f) => f.resource !== "installation");
let handle: DatabaseHandle;
let deps: WorkflowDeps;

beforeAll(async () => {
  handle = await openTestDatabase();
  deps = await testDeps(handle);
});
afterAll(() => handle.close());

async function linkedWorkspace(name: string): Promise<string> {
  const workspaceId = (await createWorkspace(handle.db, { name })).id;
  for (const uuid of new Set(fixtures.map((f) => f.installation))) {
    await linkSentryInstallation(handle.db, {
      uuid,
      workspaceId,
      organizationSlug: `org-${name}`,
      kind: "public",
    });
  }
  return workspaceId;
}

/** A memory like the outbox row's, kept in a Map, that can be told to crash once around one step. */
function crashingMemory(crashAt: number) {
  const store = new Map<string, unknown>();
  let recorded = 0;
  let crashed = false;
  const memory: StepMemory = {
    get: (key) => (store.has(key) ? { hit: true, value: store.get(key) } : { hit: false }),
    set: async (key, value) => {
      // The step ran and did its side effects, but the process died before its result was recorded.
      if (!crashed && recorded === crashAt) {
        crashed = true;
        throw new Error(`injected crash after step ${crashAt} (${key})`);
      }
      recorded++;
      store.set(key, value);
    },
  };
  return { memory, crashed: () => crashed };
}

async function capture(
  workspaceId: string,
  event: SourceEvent,
  options: { payloadId?: string; memory?: StepMemory; attempt?: number } = {},
) {
  const memory = options.memory ?? crashingMemory(-1).memory;
  const results = (await runWorkflow(
    captureObservation as WorkflowDefinition,
    {
      name: observationCaptureEvent.name,
      data: {
        workspaceId,
        payloadId: options.payloadId ?? `pl_${Math.random().toString(36).slice(2)}`,
        ingestionSource: "webhook",
        sourceEvent: event,
      },
    },
    { deps, memory, attempt: options.attempt ?? 0, registry: workflows },
  )) as { outcome: string; observationId: string; clusterId: string | null }[];
  return results[0]!;
}

describe(`capture workflow (${testDatabaseTarget()}, pgvector, lexical embeddings)`, () => {
  it("captures every Sentry fixture end to end, from the webhook route through the runner", async () => {
    const workspaceId = await linkedWorkspace("fixtures");
    for (const fixture of fixtures) {
      const res = await receiveWebhook("sentry", sentryRequest(fixture.body, fixture), {
        db: handle.db,
        keyring,
        maxBodyBytes: 1 << 20,
        workflows: { dispatch: async () => ({ ok: true }) },
      });
      expect(res.status, fixture.file).toBeLessThan(300);
    }
    const runner = new OutboxRunner({ deps, registry: workflows, backoff: () => 0 });
    await runner.drain();

    const captured = fixtures.map((f) => ({ f, event: sourceEventOf(f) })).filter((x) => x.event);
    const sourceIds = new Set(captured.map((x) => x.event!.sourceId));
    const rows = await handle.db
      .select()
      .from(observations)
      .where(eq(observations.workspaceId, workspaceId));
    // One observation per distinct fact; fixtures that repeat a fact are deduplicated, not stored twice.
    expect(rows.map((r) => r.sourceId).sort()).toEqual([...sourceIds].sort());
    const stats = await captureStats(handle.db, { workspaceId });
    expect(stats.payloads.pending).toBe(0);
    expect(stats.payloads.failed).toBe(0);
    expect(stats.observations + stats.belowThreshold).toBe(sourceIds.size);
    expect(stats.observations).toBeGreaterThan(0);
    expect(stats.entities).toBeGreaterThan(0);
    expect(stats.clusters).toBeGreaterThan(0);
    // Every captured observation has its three views in the vector store, and nothing else is there.
    const capturedRows = rows.filter((r) => r.status === "captured");
    expect(await deps.vectors.count(workspaceId)).toBe(capturedRows.length * 3);
    for (const row of capturedRows) {
      const stored = await deps.vectors.fetch(workspaceId, [
        vectorId("title", row.id),
        vectorId("content", row.id),
        vectorId("summary", row.id),
      ]);
      expect(stored.map((v) => v.metadata.observationId)).toEqual([row.id, row.id, row.id]);
      expect(stored[0]!.metadata.sourceType).toBe(row.sourceType);
      expect(row.clusterId).not.toBeNull();
    }
    // Each fixture's payload ended in a terminal status the workflow chose.
    for (const row of rows) {
      const payload = await getWebhookPayload(handle.db, { payloadId: row.payloadId! });
      expect(["done", "below_threshold"]).toContain(payload?.status);
    }
  });

  it("gives each Sentry event type its own significance and links an issue's events", async () => {
    const workspaceId = await linkedWorkspace("threads");
    const byFile = new Map(fixtures.map((f) => [f.file, sourceEventOf(f)]));
    const created = byFile.get("issue.created.json")!;
    const issueId = String(created.metadata.issueId);
    // The same Sentry issue, as Sentry would follow it up: an error event, then its resolution.
    const error = { ...byFile.get("error.created.json")! };
    const resolved = {
      ...byFile.get("issue.resolved.json")!,
      sourceId: `sentry:issue:${issueId}:resolved`,
      metadata: { ...byFile.get("issue.resolved.json")!.metadata, issueId },
      references: [
        ...byFile.get("issue.resolved.json")!.references,
        { type: "commit" as const, id: "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0" },
      ],
      occurredAt: new Date(Date.parse(error.occurredAt) + 60_000).toISOString(),
    };
    const first = await capture(workspaceId, created);
    const second = await capture(workspaceId, error);
    const third = await capture(workspaceId, resolved);
    const scores = await handle.db
      .select({ id: observations.id, significance: observations.significance })
      .from(observations)
      .where(eq(observations.workspaceId, workspaceId));
    expect(new Set(scores.map((s) => s.significance)).size).toBeGreaterThan(1);

    const edges = await handle.db
      .select()
      .from(relationships)
      .where(eq(relationships.workspaceId, workspaceId));
    const edge = (from: string, type: string) =>
      edges.find((e) => e.fromObservationId === from && e.type === type);
    expect(edge(second.observationId, "follows")?.toObservationId).toBe(first.observationId);
    expect(edge(third.observationId, "follows")?.toObservationId).toBe(second.observationId);
    expect(edge(third.observationId, "resolved_by")?.targetKey).toBe(
      "commit:a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0",
    );
  });

  it("converges on one observation, counted once, after a crash at any step", async () => {
    const base = sourceEventOf(fixtures.find((f) => f.file === "issue.created.json")!)!;
    let crashes = 0;
    for (let crashAt = 0; crashAt < 12; crashAt++) {
      const workspaceId = await linkedWorkspace(`crash-${crashAt}`);
      const { memory, crashed } = crashingMemory(crashAt);
      const payloadId = `pl_crash_${crashAt}`;
      const first = await capture(workspaceId, base, { payloadId, memory }).catch((e: Error) => e);
      if (!crashed()) {
        // The workflow has fewer steps than this: it finished without meeting the crash.
        expect(first).not.toBeInstanceOf(Error);
        break;
      }
      expect(first).toBeInstanceOf(Error);
      crashes++;
      const retried = await capture(workspaceId, base, { payloadId, memory, attempt: 1 });
      expect(retried.outcome, `crash after step ${crashAt}`).toBe("captured");
      const stats = await captureStats(handle.db, { workspaceId });
      expect(stats.observations, `crash after step ${crashAt}`).toBe(1);
      expect(await deps.vectors.count(workspaceId)).toBe(3);
      const [{ n: maxCount } = { n: 0 }] = rowsOf<{ n: number }>(
        await handle.db.execute(
          sql`select max(occurrence_count)::int as n from entities where workspace_id = ${workspaceId}`,
        ),
      );
      expect(maxCount, `entities counted once after a crash at step ${crashAt}`).toBe(1);
      expect(stats.actors).toBeLessThanOrEqual(1);
    }
    // Every step's record was lost once: nine steps, nine crashes, before a run finished unharmed.
    expect(crashes).toBe(9);
  });

  it("stores one observation when ten captures of the same fact race", async () => {
    const workspaceId = await linkedWorkspace("race");
    const event = sourceEventOf(fixtures.find((f) => f.file === "issue.assigned.json")!)!;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        capture(workspaceId, event, { payloadId: `pl_race_${i}` }),
      ),
    );
    expect(results.filter((r) => r.outcome === "duplicate")).toHaveLength(9);
    const rows = await handle.db
      .select({ id: observations.id })
      .from(observations)
      .where(eq(observations.workspaceId, workspaceId));
    expect(rows).toEqual([{ id: observationIdFor({ workspaceId, sourceId: event.sourceId }) }]);
    const stats = await captureStats(handle.db, { workspaceId });
    expect(stats.relationships).toBe(0);
  });

  it("records a filtered event without capturing it", async () => {
    const workspaceId = await linkedWorkspace("filtered");
    const { upsertIntegration } = await import("@db/console");
    await upsertIntegration(handle.db, {
      workspaceId,
      provider: "sentry",
      externalId: `filter-${workspaceId}`,
      sourceConfig: {
        sourceType: "sentry",
        organizationSlug: "example",
        projectSlugs: ["some-other-project"],
        sync: { events: ["issue"], minLevel: "error" },
      },
    });
    const event = sourceEventOf(fixtures.find((f) => f.file === "issue.created.json")!)!;
    const { payload } = await insertWebhookPayload(handle.db, {
      workspaceId,
      source: "sentry",
      resource: "issue",
      action: "created",
      body: `{"filtered":"${workspaceId}"}`,
    });
    const result = await capture(workspaceId, event, { payloadId: payload.id });
    expect(result.outcome).toBe("filtered");
    expect((await getWebhookPayload(handle.db, { payloadId: payload.id }))?.status).toBe(
      "filtered",
    );
    expect((await captureStats(handle.db, { workspaceId })).observations).toBe(0);
  });

  it("rides out an embedding outage (500s and 429s) through retries and loses nothing", async () => {
    // TEST DOUBLE of OpenAI's HTTP API (third-party SaaS): the real provider and SDK talk to it.
    const double = await startOpenAIHttpDouble();
    try {
      const workspaceId = await linkedWorkspace("outage");
      const embeddings = createOpenAIEmbeddingProvider({
        apiKey: "sk-test",
        baseURL: double.baseURL,
        dimensions: 32,
        // Two tries per workflow attempt, so the outage outlasts the provider's own retries.
        retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
      });
      const outageDeps: WorkflowDeps = {
        db: handle.db,
        embeddings,
        vectors: createVectorStore({
          kind: "pgvector",
          db: await vectorDatabaseFor(handle),
          dimension: 32,
        }),
      };
      double.script(
        { status: 500, error: { message: "upstream failed" } },
        { status: 429, headers: { "retry-after-ms": "1" }, error: { message: "rate limited" } },
        { status: 500, error: { message: "upstream failed" } },
        { status: 429, headers: { "retry-after-ms": "1" }, error: { message: "rate limited" } },
        { status: 503, error: { message: "overloaded" } },
      );
      const event = sourceEventOf(fixtures.find((f) => f.file === "issue.created.json")!)!;
      // The event names its own row, as the webhook route's does.
      const payloadId = newId("pl");
      const { payload } = await insertWebhookPayload(handle.db, {
        id: payloadId,
        workspaceId,
        source: "sentry",
        resource: "issue",
        action: "created",
        body: `{"outage":"${workspaceId}"}`,
        event: {
          id: `outage-${workspaceId}`,
          name: observationCaptureEvent.name,
          data: { workspaceId, payloadId, ingestionSource: "webhook", sourceEvent: event },
        },
      });
      const runner = new OutboxRunner({ deps: outageDeps, registry: workflows, backoff: () => 0 });
      await runner.drain();

      const stored = await getWebhookPayload(handle.db, { payloadId: payload.id });
      expect(stored?.status).toBe("done");
      expect(stored?.attempts).toBe(3);
      expect(double.requests.length).toBe(6);
      const stats = await captureStats(handle.db, { workspaceId });
      expect(stats.observations).toBe(1);
      expect(await outageDeps.vectors.count(workspaceId)).toBe(3);
    } finally {
      await double.close();
    }
  });

  it("embeds a text a workspace embedded recently only once, and never lends it to another workspace", async () => {
    const asked: string[] = [];
    const counting: WorkflowDeps = {
      ...deps,
      embeddings: {
        ...deps.embeddings,
        embed: (texts, input) => {
          asked.push(...texts);
          return deps.embeddings.embed(texts, input);
        },
      },
    };
    const run = (workspaceId: string, file: string) =>
      runWorkflow(
        captureObservation as WorkflowDefinition,
        {
          name: observationCaptureEvent.name,
          data: {
            workspaceId,
            payloadId: newId("pl"),
            ingestionSource: "webhook",
            sourceEvent: sourceEventOf(fixtures.find((f) => f.file === file)!)!,
          },
        },
        { deps: counting, memory: crashingMemory(-1).memory, attempt: 0, registry: workflows },
      );
    const created = sourceEventOf(fixtures.find((f) => f.file === "issue.created.json")!)!;
    const error = sourceEventOf(fixtures.find((f) => f.file === "error.created.json")!)!;
    expect(error.title).toBe(created.title);

    const first = await linkedWorkspace("recent-a");
    await run(first, "issue.created.json");
    expect(asked).toHaveLength(3);
    expect(asked).toContain(created.title);
    // An error event of the same issue: its title view is the one embedded a moment ago.
    asked.length = 0;
    await run(first, "error.created.json");
    expect(asked).toHaveLength(2);
    expect(asked).not.toContain(error.title);
    // Every view of both observations is stored all the same.
    expect(await deps.vectors.count(first)).toBe(6);

    // Another workspace with the very same event is embedded in full.
    asked.length = 0;
    const second = await linkedWorkspace("recent-b");
    await run(second, "issue.created.json");
    expect(asked).toHaveLength(3);
    expect(await deps.vectors.count(second)).toBe(3);
  });

  it("re-embeds an observation whose vectors went missing, with its entity keys", async () => {
    const workspaceId = await linkedWorkspace("reconcile");
    const event = sourceEventOf(fixtures.find((f) => f.file === "error.created.json")!)!;
    const { observationId } = await capture(workspaceId, event);
    const ids = VIEWS.map((view) => vectorId(view, observationId));
    const [original] = await deps.vectors.fetch(workspaceId, ids);
    expect((original!.metadata.entityKeys as string[]).length).toBeGreaterThan(0);
    await deps.vectors.delete(workspaceId, ids);

    const result = await reconcileVectors(deps, { workspaceId });
    expect(result).toEqual({ checked: 1, repaired: 1 });
    const restored = await deps.vectors.fetch(workspaceId, ids);
    expect(restored.map((v) => v.id)).toEqual(ids);
    expect([...(restored[0]!.metadata.entityKeys as string[])].sort()).toEqual(
      [...(original!.metadata.entityKeys as string[])].sort(),
    );
    expect(await reconcileVectors(deps, { workspaceId })).toEqual({ checked: 1, repaired: 0 });
  });
});
