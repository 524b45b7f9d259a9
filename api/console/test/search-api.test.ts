import { randomBytes } from "node:crypto";
import {
  actors,
  clusters,
  createApiKey,
  createWorkspace,
  type DatabaseHandle,
  type Observation,
  observations,
  revokeApiKey,
} from "@db/console";
import { openTestDatabase, testDatabaseTarget } from "@db/console/testing";
import type { EmbeddingProvider } from "@repo/embeddings";
import {
  apiErrorSchema,
  type SearchRequestInput,
  type SearchResponse,
  type SearchResult,
  type SourceEvent,
  searchPaths,
  searchResponseSchema,
  truncateTitle,
} from "@repo/schemas";
import type { VectorStore } from "@repo/vectors";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from "vitest";
import { handleSearch, type SearchRuntime } from "../src/search/http";
import { methodNotAllowed } from "../src/webhooks/handle";
import type { WorkflowDeps } from "../src/workflows/types";
import { testDeps } from "./deps";
import { captureEvents, worldEvents } from "./world";

const URL = "http://x/v1/search";
/** High enough that no test but the rate-limit one ever meets the limiter. */
const NO_LIMIT = 1_000_000;
/** What worldEvents() stamps on events that carry no time of their own (assign, resolve, ...). */
const RECEIVED_AT = "2026-03-01T00:00:00.000Z";
/** Words only workspace B's observations hold. */
const B_MARK = "B-ONLY";
const B_WORD = "zephyrine";

let handle: DatabaseHandle;
let deps: WorkflowDeps;
let runtime: SearchRuntime;
let wsA: string;
let wsB: string;
let keyA: string;
let keyB: string;
/** Every secret a test made: no response body or console line may ever hold one. */
const secrets: string[] = [];
/** Observation rows by id, per workspace. */
let rowsA: Map<string, Observation>;
let rowsB: Map<string, Observation>;
let actorsB: Set<string>;
let clustersB: Set<string>;
/** Sentry's numeric issue id of each short id, from A's rows. */
const numericIdOf = new Map<string, string>();
let consoleSpies: MockInstance[] = [];

/** The first 30 world events, made recognisably B's: other source ids, marked titles, bodies and labels. */
function workspaceBEvents(): SourceEvent[] {
  return worldEvents(undefined, 30).map((e) => ({
    ...e,
    sourceId: `b-only:${e.sourceId}`,
    title: truncateTitle(`${B_MARK} ${e.title}`),
    body: `${B_MARK} ${B_WORD} ${e.body}`,
    references: e.references.map((r) => (r.label ? { ...r, label: `${B_MARK} ${r.label}` } : r)),
  }));
}

async function rowsOf(workspaceId: string): Promise<Map<string, Observation>> {
  const rows = await handle.db
    .select()
    .from(observations)
    .where(eq(observations.workspaceId, workspaceId));
  return new Map(rows.map((r) => [r.id, r]));
}

beforeAll(async () => {
  handle = await openTestDatabase();
  deps = await testDeps(handle);
  runtime = { db: deps.db, vectors: deps.vectors, embeddings: deps.embeddings };
  wsA = (await createWorkspace(handle.db, { name: "search A" })).id;
  wsB = (await createWorkspace(handle.db, { name: "search B" })).id;
  const capturedA = await captureEvents(deps, wsA, worldEvents());
  const capturedB = await captureEvents(deps, wsB, workspaceBEvents());
  expect(capturedA.filter((r) => r.outcome === "captured").length).toBeGreaterThan(300);
  expect(capturedB.filter((r) => r.outcome === "captured").length).toBeGreaterThan(20);
  keyA = (await createApiKey(handle.db, { workspaceId: wsA, name: "a" })).apiKey;
  keyB = (await createApiKey(handle.db, { workspaceId: wsB, name: "b" })).apiKey;
  secrets.push(keyA, keyB);
  rowsA = await rowsOf(wsA);
  rowsB = await rowsOf(wsB);
  for (const row of rowsA.values()) {
    const { shortId, issueId } = row.metadata as { shortId?: string; issueId?: string };
    if (shortId && issueId) numericIdOf.set(shortId, issueId);
  }
  actorsB = new Set(
    (await handle.db.select().from(actors).where(eq(actors.workspaceId, wsB))).map((a) => a.id),
  );
  clustersB = new Set(
    (await handle.db.select().from(clusters).where(eq(clusters.workspaceId, wsB))).map((c) => c.id),
  );
  consoleSpies = (["log", "info", "warn", "error", "debug"] as const).map((method) =>
    vi.spyOn(console, method),
  );
}, 180_000);

afterAll(async () => {
  for (const spy of consoleSpies) spy.mockRestore();
  await handle?.close();
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: a raw JSON body, checked field by field
  json: any;
}

interface CallOptions {
  /** The API key to send; null sends no Authorization header. Default: workspace A's. */
  key?: string | null;
  authorization?: string;
  runtime?: SearchRuntime;
  rateLimitPerMinute?: number;
  headers?: Record<string, string>;
  /** A raw body instead of the JSON of the request. */
  raw?: NonNullable<RequestInit["body"]>;
}

async function call(body: unknown, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...options.headers,
  };
  const key = options.key === undefined ? keyA : options.key;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  else if (key !== null) headers.authorization = `Bearer ${key}`;
  const response = await handleSearch(
    new Request(URL, {
      method: "POST",
      headers,
      body: options.raw ?? JSON.stringify(body),
    }),
    options.runtime ?? runtime,
    { rateLimitPerMinute: options.rateLimitPerMinute ?? NO_LIMIT },
  );
  const text = await response.text();
  for (const secret of secrets) expect(text).not.toContain(secret);
  for (const [, value] of response.headers) {
    for (const secret of secrets) expect(value).not.toContain(secret);
  }
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
}

/** A successful search, its body checked against the response schema. */
async function search(request: SearchRequestInput, options: CallOptions = {}) {
  const answer = await call(request, options);
  expect(answer.status, answer.text).toBe(200);
  return searchResponseSchema.parse(answer.json);
}

/** An error answer: the status, the code, and the body every error has. */
async function failure(answer: Answer, status: number, error: string) {
  expect(answer.status, answer.text).toBe(status);
  const body = apiErrorSchema.parse(answer.json);
  expect(body.error).toBe(error);
  expect(body.message.length).toBeGreaterThan(0);
  expect(body.requestId).toMatch(/^[A-Za-z0-9-]{1,64}$/);
  return body;
}

const subject = (r: SearchResult) => `${r.entity.type}:${r.entity.id}`;
/** Every observation id a response shows: results and their timelines. */
const shownIds = (res: SearchResponse) =>
  res.data.flatMap((r) => [r.id, ...r.timeline.map((t) => t.id)]);

/** Whether an observation belongs to a result's issue or alert, read from the row, not from search. */
function belongsTo(row: Observation, entity: SearchResult["entity"]): boolean {
  const meta = row.metadata as { shortId?: string; issueId?: string };
  switch (entity.type) {
    case "issue":
      return (
        meta.shortId === entity.id ||
        meta.issueId === entity.id ||
        (meta.issueId !== undefined && meta.issueId === numericIdOf.get(entity.id))
      );
    case "alert":
      return row.references.some((r) => r.type === "alert" && r.id === entity.id);
    default:
      return row.id === entity.id;
  }
}

describe(`POST /v1/search: errors (${testDatabaseTarget()})`, () => {
  it("answers 401 for a missing, malformed or unknown key", async () => {
    const missing = await failure(
      await call({ query: "checkout" }, { key: null }),
      401,
      "UNAUTHORIZED",
    );
    expect(missing.message).toMatch(/Bearer/);
    const unknown = `nmc_${randomBytes(24).toString("base64url")}`;
    secrets.push(unknown);
    await failure(await call({ query: "checkout" }, { key: unknown }), 401, "UNAUTHORIZED");
    for (const authorization of [keyA, `Basic ${keyA}`, "Bearer", "Bearer ", `Bearer ${keyA} x`]) {
      await failure(await call({ query: "checkout" }, { authorization }), 401, "UNAUTHORIZED");
    }
    // A key of another format is refused without a lookup.
    await failure(await call({ query: "checkout" }, { key: "sk_live_abc" }), 401, "UNAUTHORIZED");
    // The scheme is case-insensitive; the same key then works.
    expect((await call({ query: "checkout" }, { authorization: `bearer ${keyA}` })).status).toBe(
      200,
    );
  });

  it("answers 401 for a revoked key, which worked before", async () => {
    const { apiKey, key } = await createApiKey(handle.db, { workspaceId: wsA, name: "revoked" });
    secrets.push(apiKey);
    expect((await call({ query: "checkout" }, { key: apiKey })).status).toBe(200);
    expect(await revokeApiKey(handle.db, { workspaceId: wsA, keyId: key.id })).toBe(true);
    await failure(await call({ query: "checkout" }, { key: apiKey }), 401, "UNAUTHORIZED");
  });

  it("answers 401 for an expired key, and 200 for one that expires later", async () => {
    const expired = await createApiKey(handle.db, {
      workspaceId: wsA,
      expiresAt: new Date(Date.now() - 60_000),
    });
    const later = await createApiKey(handle.db, {
      workspaceId: wsA,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    secrets.push(expired.apiKey, later.apiKey);
    await failure(await call({ query: "checkout" }, { key: expired.apiKey }), 401, "UNAUTHORIZED");
    expect((await call({ query: "checkout" }, { key: later.apiKey })).status).toBe(200);
  });

  it("looks at nothing of the request before the key", async () => {
    const huge = JSON.stringify({ query: "x", pad: "a".repeat(70_000) });
    await failure(await call(undefined, { key: null, raw: huge }), 401, "UNAUTHORIZED");
    await failure(await call(undefined, { key: null, raw: "{not json" }), 401, "UNAUTHORIZED");
  });

  it("answers 405 with Allow: POST to other methods", async () => {
    const response = methodNotAllowed(
      new Request(URL, { method: "GET", headers: { "request-id": "get-1" } }),
    );
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    const body = apiErrorSchema.parse(await response.json());
    expect(body).toMatchObject({ error: "METHOD_NOT_ALLOWED", requestId: "get-1" });
    expect(body.message.length).toBeGreaterThan(0);
  });

  it("answers 400 INVALID_JSON to a body that is not JSON or not UTF-8", async () => {
    await failure(await call(undefined, { raw: "{query:" }), 400, "INVALID_JSON");
    await failure(await call(undefined, { raw: "" }), 400, "INVALID_JSON");
    await failure(
      await call(undefined, { raw: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }),
      400,
      "INVALID_JSON",
    );
  });

  it("answers 400 VALIDATION_ERROR with zod's issues", async () => {
    const paths = async (body: unknown) => {
      const error = await failure(await call(body), 400, "VALIDATION_ERROR");
      expect(Array.isArray(error.issues) && error.issues.length > 0).toBe(true);
      return (error.issues as { path: (string | number)[]; code: string }[]).map((i) => ({
        path: i.path.join("."),
        code: i.code,
      }));
    };
    expect(await paths({ query: "" })).toContainEqual({ path: "query", code: "too_small" });
    // A query of spaces is empty once trimmed.
    expect((await paths({ query: "   " }))[0]!.path).toBe("query");
    expect(await paths({ query: "x".repeat(1001) })).toContainEqual({
      path: "query",
      code: "too_big",
    });
    expect(await paths({ query: "checkout", limit: 101 })).toContainEqual({
      path: "limit",
      code: "too_big",
    });
    expect((await paths({ query: "checkout", limit: 0 }))[0]!.path).toBe("limit");
    expect((await paths({ query: "checkout", offset: -1 }))[0]!.path).toBe("offset");
    expect((await paths({ query: "checkout", mode: "psychic" }))[0]!.path).toBe("mode");
    expect(await paths({ query: "checkout", workspaceId: wsB })).toContainEqual({
      path: "",
      code: "unrecognized_keys",
    });
    expect(await paths({ query: "checkout", filters: { workspace: wsB } })).toContainEqual({
      path: "filters",
      code: "unrecognized_keys",
    });
    expect((await paths({ query: "checkout", filters: { status: ["fixed"] } }))[0]!.path).toBe(
      "filters.status.0",
    );
    expect(
      (
        await paths({
          query: "checkout",
          filters: { dateRange: { start: "2026-03-01T00:00:00Z", end: "2026-02-01T00:00:00Z" } },
        })
      )[0]!.path,
    ).toBe("filters.dateRange");
    expect((await paths([]))[0]!.path).toBe("");
    expect((await paths({}))[0]!.path).toBe("query");
  });

  it("answers 413 to a body over 64 KiB, and reads one under it", async () => {
    const over = JSON.stringify({ query: "checkout", pad: "a".repeat(64 * 1024) });
    await failure(await call(undefined, { raw: over }), 413, "PAYLOAD_TOO_LARGE");
    // Declared too large: refused on the header alone.
    await failure(
      await call(undefined, {
        raw: JSON.stringify({ query: "checkout" }),
        headers: { "content-length": String(10 * 1024 * 1024) },
      }),
      413,
      "PAYLOAD_TOO_LARGE",
    );
    // Just under the limit the body is read, and refused for what it holds, not for its size.
    const under = JSON.stringify({ query: "checkout", pad: "a".repeat(60 * 1024) });
    await failure(await call(undefined, { raw: under }), 400, "VALIDATION_ERROR");
  });

  it("answers 429 with Retry-After past the limit, per key and per runtime", async () => {
    const limited: SearchRuntime = { ...runtime };
    const options = { runtime: limited, rateLimitPerMinute: 2 };
    expect((await call({ query: "checkout" }, options)).status).toBe(200);
    expect((await call({ query: "checkout" }, options)).status).toBe(200);
    const third = await call({ query: "checkout" }, options);
    await failure(third, 429, "RATE_LIMITED");
    const retryAfter = third.headers.get("retry-after");
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    // Refused before the body is read: a broken body is still 429.
    await failure(await call(undefined, { ...options, raw: "{" }), 429, "RATE_LIMITED");
    // Another key has its own bucket; another runtime its own limiter.
    expect((await call({ query: "checkout" }, { ...options, key: keyB })).status).toBe(200);
    expect((await call({ query: "checkout" })).status).toBe(200);
    // An unauthenticated request is refused as such, not counted against anyone.
    await failure(
      await call({ query: "checkout" }, { ...options, key: null }),
      401,
      "UNAUTHORIZED",
    );
  });

  it("answers 500 INTERNAL_ERROR on its own failure, logging neither the key nor the cause to the caller", async () => {
    const broken = new Proxy(runtime.db, {
      get(target, property, receiver) {
        if (property === "select") {
          return () => {
            throw new Error("connection terminated unexpectedly");
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
    const errors = vi.mocked(console.error);
    const before = errors.mock.calls.length;
    const answer = await call(
      { query: "checkout" },
      { runtime: { ...runtime, db: broken }, headers: { "request-id": "boom-1" } },
    );
    const body = await failure(answer, 500, "INTERNAL_ERROR");
    expect(body.requestId).toBe("boom-1");
    expect(answer.text).not.toContain("connection terminated");
    const logged = errors.mock.calls.slice(before).map((args) => args.join(" "));
    expect(logged.some((line) => line.includes("boom-1") && line.includes("connection"))).toBe(
      true,
    );
  });

  it("echoes a given request id on errors, and makes one otherwise", async () => {
    const given = await failure(
      await call({ query: "" }, { headers: { "request-id": "req-err-1" } }),
      400,
      "VALIDATION_ERROR",
    );
    expect(given.requestId).toBe("req-err-1");
    const made = await failure(
      await call({ query: "" }, { headers: { "request-id": "not a valid id!" } }),
      400,
      "VALIDATION_ERROR",
    );
    expect(made.requestId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("POST /v1/search: workspace isolation", () => {
  const expectOnlyA = (res: SearchResponse) => {
    for (const id of shownIds(res)) {
      expect(rowsB.has(id), `B's observation ${id} shown to A`).toBe(false);
      expect(rowsA.has(id), `unknown observation ${id}`).toBe(true);
    }
    for (const r of res.data) {
      expect(r.title).not.toContain(B_MARK);
      expect(r.snippet).not.toContain(B_WORD);
      for (const t of r.timeline) expect(t.title).not.toContain(B_MARK);
    }
    for (const a of res.context.relevantActors) expect(actorsB.has(a.id)).toBe(false);
    for (const c of res.context.clusters) expect(clustersB.has(c.id)).toBe(false);
  };
  const expectOnlyB = (res: SearchResponse) => {
    for (const id of shownIds(res))
      expect(rowsB.has(id), `A's observation ${id} shown to B`).toBe(true);
    for (const r of res.data) {
      expect(r.title.startsWith(B_MARK), r.title).toBe(true);
      for (const t of r.timeline) expect(t.title.startsWith(B_MARK), t.title).toBe(true);
    }
    for (const a of res.context.relevantActors) expect(actorsB.has(a.id)).toBe(true);
    for (const c of res.context.clusters) expect(clustersB.has(c.id)).toBe(true);
  };

  it("never shows A's key an observation of B, whatever the query", async () => {
    // B's own words find B's observations for B (so the same queries could find them for A).
    const own = await search(
      { query: `${B_MARK} ${B_WORD}`, groupBy: "none", limit: 5 },
      { key: keyB },
    );
    expect(own.data.length).toBe(5);
    expect(own.data[0]!.title.startsWith(B_MARK)).toBe(true);

    for (const query of [B_MARK, B_WORD, `${B_MARK} ${B_WORD}`, "SEARCH-SERVICE-5Y"]) {
      for (const groupBy of ["entity", "none"] as const) {
        const res = await search({ query, groupBy, limit: 100 });
        expectOnlyA(res);
      }
    }
  });

  it("never shows A's key an observation of B under filters that match B's content", async () => {
    const b = [...rowsB.values()];
    const times = b.map((r) => r.occurredAt.getTime());
    const filters = {
      sourceTypes: [...new Set(b.map((r) => r.sourceType))],
      projects: [
        ...new Set(b.map((r) => (r.metadata as { project?: string }).project ?? "")),
      ].filter(Boolean),
      dateRange: {
        start: new Date(Math.min(...times)).toISOString(),
        end: new Date(Math.max(...times)).toISOString(),
      },
    };
    for (const groupBy of ["entity", "none"] as const) {
      const res = await search({
        query: `${B_MARK} ${B_WORD} error`,
        groupBy,
        limit: 100,
        filters,
      });
      // A has observations of its own within these filters: the search ran, and found only A's.
      expect(res.data.length).toBeGreaterThan(0);
      expectOnlyA(res);
      const bs = await search(
        { query: `${B_MARK} ${B_WORD} error`, groupBy, limit: 100, filters },
        { key: keyB },
      );
      expect(bs.data.length).toBeGreaterThan(0);
      expectOnlyB(bs);
    }
    // The people of B's observations are people of A's too: by name, A's key finds only A's.
    const names = (await handle.db.select().from(actors).where(eq(actors.workspaceId, wsB))).map(
      (a) => a.name,
    );
    expect(names.length).toBeGreaterThan(0);
    const byActor = await search({
      query: `${names.join(" ")} ${B_MARK}`,
      groupBy: "none",
      limit: 100,
      filters: { actorNames: names },
    });
    expect(byActor.data.length).toBeGreaterThan(0);
    expect(byActor.meta.paths.actor!.hits).toBeGreaterThan(0);
    expectOnlyA(byActor);
  });

  it("never shows B's key an observation of A: an A-only issue is not found", async () => {
    const aOnly = "PAYMENTS-API-5B";
    expect([...rowsB.values()].some((r) => JSON.stringify(r).includes(aOnly))).toBe(false);
    expect(
      (await search({ query: aOnly })).data[0]?.entity,
      "A finds its own issue (control)",
    ).toMatchObject({ id: aOnly });
    for (const groupBy of ["entity", "none"] as const) {
      for (const query of [aOnly, aOnly.toLowerCase(), "prisma refund findMany", "payments-api"]) {
        const res = await search({ query, groupBy, limit: 100, explain: true }, { key: keyB });
        expectOnlyB(res);
        for (const r of res.data) {
          expect(r.entity.id).not.toBe(aOnly);
          expect(r.references.some((ref) => ref.id === aOnly)).toBe(false);
          expect(r.explain?.paths.entity?.matched ?? "").not.toContain(aOnly);
        }
      }
    }
    // However broad the question, B's key sees at most B's observations.
    const broad = await search({ query: "error", groupBy: "none", limit: 100 }, { key: keyB });
    expect(broad.meta.total).toBeLessThanOrEqual(rowsB.size);
    expectOnlyB(broad);
  });
});

describe("POST /v1/search: response", () => {
  it("matches the response schema, reports every path and every latency", async () => {
    const answer = await call(
      { query: "checkout errors", explain: true },
      { headers: { "request-id": "req-shape-1" } },
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/application\/json/);
    expect(answer.headers.get("request-id")).toBe("req-shape-1");
    const res = searchResponseSchema.parse(answer.json);
    expect(res.requestId).toBe("req-shape-1");
    expect(res.data.length).toBe(10);
    expect(Object.keys(res.meta.paths).sort()).toEqual([...searchPaths].sort());
    for (const path of searchPaths) {
      expect(res.meta.paths[path]).toMatchObject({ status: "ok" });
      expect(res.meta.paths[path]!.error).toBeUndefined();
    }
    expect(res.meta.paths.lexical!.hits).toBeGreaterThan(0);
    expect(res.meta.paths.vector!.hits).toBeGreaterThan(0);
    expect(Object.keys(res.latency).sort()).toEqual(
      [
        "auth",
        "embedding",
        "vector",
        "entity",
        "lexical",
        "cluster",
        "actor",
        "fuse",
        "rerank",
        "enrich",
        "total",
      ].sort(),
    );
    for (const value of Object.values(res.latency)) {
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
    }
    expect(res.meta.took).toBe(res.latency.total);
    expect(res.latency.total).toBeGreaterThanOrEqual(res.latency.lexical);
    expect(res.meta).toMatchObject({ limit: 10, offset: 0, mode: "balanced" });
    expect(res.meta.total).toBeGreaterThanOrEqual(res.data.length);
    // Defaults: highlights and context on.
    expect(res.data.some((r) => r.highlights.some((h) => h.text.includes("<mark>")))).toBe(true);
    for (const r of res.data) {
      for (const h of r.highlights) expect(h.text.replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
    }
    expect(res.context.relevantActors.length).toBeGreaterThan(0);
  });

  it("makes a request id when none is given, and leaves out what the request turns off", async () => {
    const answer = await call({
      query: "checkout errors",
      includeHighlights: false,
      includeContext: false,
    });
    const res = searchResponseSchema.parse(answer.json);
    expect(res.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.headers.get("request-id")).toBe(res.requestId);
    expect(res.data.length).toBeGreaterThan(0);
    for (const r of res.data) expect(r.highlights).toEqual([]);
    expect(res.context).toEqual({ clusters: [], relevantActors: [] });
  });
});

describe("POST /v1/search: identifiers", () => {
  it("finds an issue by its short id, with the issue as entity and reference", async () => {
    const res = await search({ query: "PAYMENTS-API-5B" });
    const first = res.data[0]!;
    expect(first.entity).toMatchObject({ type: "issue", id: "PAYMENTS-API-5B" });
    expect(first.references).toContainEqual(
      expect.objectContaining({ type: "issue", id: "PAYMENTS-API-5B" }),
    );
    expect(first.title).toMatch(/^PrismaClientKnownRequestError/);
    expect(first.url).toMatch(/^https:\/\/sentry\.io\//);
    expect(res.data.filter((r) => r.entity.id === "PAYMENTS-API-5B")).toHaveLength(1);
  });

  it("finds an issue by its short id in lower case", async () => {
    const res = await search({ query: "notifications-worker-4r" });
    expect(res.data[0]!.entity).toMatchObject({ type: "issue", id: "NOTIFICATIONS-WORKER-4R" });
  });

  it("finds an issue by Sentry's numeric id, answering with its short id", async () => {
    const res = await search({ query: "details for sentry issue 6207788330" });
    const first = res.data[0]!;
    expect(first.entity).toMatchObject({ type: "issue", id: "SEARCH-SERVICE-6A" });
    expect(first.references).toContainEqual(
      expect.objectContaining({ type: "issue", id: "SEARCH-SERVICE-6A" }),
    );
  });

  it("finds a metric alert as an alert", async () => {
    const res = await search({ query: "search latency warning" });
    const alert = res.data.find((r) => r.entity.type === "alert");
    expect(alert?.entity.id).toBe("5121684");
    expect(alert?.title).toBe("Search p99 above 1.5s");
    expect(alert?.references).toContainEqual(
      expect.objectContaining({ type: "alert", id: "5121684" }),
    );
  });
});

describe("POST /v1/search: grouping", () => {
  it("groupBy entity: one result per issue or alert, each with its own timeline, oldest first", async () => {
    const res = await search({ query: "checkout errors", groupBy: "entity", limit: 50 });
    expect(res.data.length).toBeGreaterThan(10);
    const subjects = res.data.map(subject);
    expect(new Set(subjects).size).toBe(subjects.length);
    for (const r of res.data) {
      expect(r.timeline.length, subject(r)).toBeGreaterThan(0);
      expect(r.timeline.length).toBeLessThanOrEqual(6);
      const members = [...rowsA.values()]
        .filter((row) => belongsTo(row, r.entity))
        .sort((a, b) => a.seq - b.seq);
      expect(
        members.map((m) => m.id),
        subject(r),
      ).toContain(r.id);
      const timeline = r.timeline.map((t) => rowsA.get(t.id)!);
      for (const [i, row] of timeline.entries()) {
        expect(row, `${subject(r)} timeline entry ${r.timeline[i]!.id}`).toBeDefined();
        expect(belongsTo(row, r.entity), `${row.id} (${row.sourceType}) in ${subject(r)}`).toBe(
          true,
        );
        expect(r.timeline[i]).toMatchObject({
          type: row.sourceType,
          title: row.title,
          occurredAt: row.occurredAt.toISOString(),
        });
      }
      // The latest members, in capture (delivery) order.
      expect(timeline.map((t) => t.id)).toEqual(members.slice(-6).map((m) => m.id));
      // Delivery order is chronological: the entries carrying their own time are in time order
      // (to the second: an issue alert's time has no milliseconds, its issue's first event has).
      const timed = r.timeline
        .map((t) => t.occurredAt)
        .filter((at) => at !== RECEIVED_AT)
        .map((at) => at.slice(0, 19));
      expect(timed, subject(r)).toEqual([...timed].sort());
    }
  });

  it("groupBy none: one result per observation, an issue's observations apart", async () => {
    const grouped = await search({ query: "checkout errors", groupBy: "entity", limit: 100 });
    const res = await search({ query: "checkout errors", groupBy: "none", limit: 100 });
    const ids = res.data.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const subjects = res.data.map(subject);
    expect(new Set(subjects).size).toBeLessThan(subjects.length);
    expect(res.meta.total).toBeGreaterThan(grouped.meta.total);
    expect(res.data.length).toBeGreaterThan(grouped.data.length);
    for (const r of res.data) {
      const row = rowsA.get(r.id)!;
      expect(row).toBeDefined();
      expect(belongsTo(row, r.entity), `${r.id} in ${subject(r)}`).toBe(true);
      expect(r.timeline).toEqual([expect.objectContaining({ id: r.id, type: row.sourceType })]);
      expect(r.title).toBe(row.title);
    }
  });
});

describe("POST /v1/search: pagination", () => {
  it.each(["entity", "none"] as const)(
    "groupBy %s: pages are disjoint and concatenate to one bigger page",
    async (groupBy) => {
      const query = "timeout";
      const first = await search({ query, groupBy, limit: 5, offset: 0 });
      const second = await search({ query, groupBy, limit: 5, offset: 5 });
      const both = await search({ query, groupBy, limit: 10, offset: 0 });
      const key = (r: SearchResult) => (groupBy === "entity" ? subject(r) : r.id);
      expect(first.data).toHaveLength(5);
      expect(second.data).toHaveLength(5);
      const a = first.data.map(key);
      const b = second.data.map(key);
      expect(a.filter((k) => b.includes(k))).toEqual([]);
      expect([...a, ...b]).toEqual(both.data.map(key));
      expect(first.meta).toMatchObject({ limit: 5, offset: 0 });
      expect(second.meta).toMatchObject({ limit: 5, offset: 5 });
      expect(first.meta.total).toBe(both.meta.total);
      expect(second.meta.total).toBe(both.meta.total);
      expect(both.meta.total).toBeGreaterThanOrEqual(10);
      // The last page holds what is left; past the end, nothing, and the same total.
      const total = both.meta.total;
      const last = await search({ query, groupBy, limit: 5, offset: total - 2 });
      expect(last.data).toHaveLength(2);
      const past = await search({ query, groupBy, limit: 5, offset: total });
      expect(past.data).toEqual([]);
      expect(past.meta.total).toBe(total);
      if (total <= 100) {
        expect((await search({ query, groupBy, limit: 100 })).data).toHaveLength(total);
      }
    },
  );
});

describe("POST /v1/search: filters", () => {
  it("projects: every result is in the project", async () => {
    const res = await search({
      query: "error",
      filters: { projects: ["payments-api"] },
      limit: 100,
    });
    expect(res.data.length).toBeGreaterThan(5);
    for (const r of res.data) {
      const inProject =
        r.references.some((ref) => ref.type === "project" && ref.id === "payments-api") ||
        r.entities.some((e) => e.category === "project" && e.key === "payments-api");
      expect(inProject, `${subject(r)} ${r.id}`).toBe(true);
      const row = rowsA.get(r.id)!;
      const meta = row.metadata as { project?: string; projects?: string[] };
      expect(meta.project === "payments-api" || meta.projects?.includes("payments-api")).toBe(true);
    }
    // Without the filter the same query reaches other projects.
    const open = await search({ query: "error", limit: 100 });
    expect(open.data.some((r) => !r.references.some((ref) => ref.id === "payments-api"))).toBe(
      true,
    );
  });

  it("sourceTypes: with groupBy none, every result is a comment", async () => {
    const res = await search({
      query: "looks like the fix shipped",
      groupBy: "none",
      filters: { sourceTypes: ["comment.created"] },
      limit: 50,
    });
    expect(res.data.length).toBeGreaterThan(5);
    for (const r of res.data) {
      expect(rowsA.get(r.id)?.sourceType).toBe("comment.created");
      expect(r.timeline.map((t) => t.type)).toEqual(["comment.created"]);
    }
  });

  it("status: every result's issue is resolved now (its latest state change says so)", async () => {
    const res = await search({ query: "error", filters: { status: ["resolved"] }, limit: 100 });
    expect(res.data.length).toBeGreaterThan(5);
    for (const r of res.data) {
      expect(r.entity, subject(r)).toMatchObject({ type: "issue", state: "resolved" });
      const changes = [...rowsA.values()]
        .filter((row) => row.sourceType.startsWith("issue.") && belongsTo(row, r.entity))
        .sort((a, b) => a.seq - b.seq);
      expect((changes.at(-1)!.metadata as { status?: string }).status).toBe("resolved");
    }
    const ignored = await search({ query: "error", filters: { status: ["ignored"] }, limit: 100 });
    expect(ignored.data.length).toBeGreaterThan(0);
    for (const r of ignored.data) expect(r.entity.state).toBe("ignored");
  });

  it("dateRange: outside the data finds nothing; inside, only what happened then", async () => {
    const none = await search({
      query: "error",
      filters: { dateRange: { start: "2020-01-01T00:00:00Z", end: "2020-12-31T23:59:59Z" } },
    });
    expect(none.data).toEqual([]);
    expect(none.meta.total).toBe(0);
    const after = await search({
      query: "error",
      filters: { dateRange: { start: "2027-01-01T00:00:00Z" } },
    });
    expect(after.data).toEqual([]);
    const start = "2026-02-10T00:00:00.000Z";
    const end = "2026-02-12T00:00:00.000Z";
    const inside = await search({
      query: "error",
      groupBy: "none",
      limit: 100,
      filters: { dateRange: { start, end } },
    });
    expect(inside.data.length).toBeGreaterThan(0);
    for (const r of inside.data) {
      expect(r.occurredAt >= start && r.occurredAt <= end, r.occurredAt).toBe(true);
    }
  });

  it("a selective filter still leaves the vector path its nearest matches within the filter", async () => {
    // 65 comments, each with three embedded views: the nearest of them to any query exist.
    const comments = await search({
      query: "error",
      groupBy: "none",
      limit: 100,
      filters: { sourceTypes: ["comment.created"] },
    });
    expect(comments.meta.paths.vector!.status).toBe("ok");
    expect
      .soft(comments.meta.paths.vector!.hits, "vector hits among 65 comments")
      .toBeGreaterThan(0);
    // The first evening of the world: three issues, four observations, all embedded.
    const firstDay = { end: "2026-02-03T00:00:00.000Z" };
    const inRange = [...rowsA.values()].filter((r) => r.occurredAt.toISOString() <= firstDay.end);
    expect(inRange.length).toBeGreaterThan(2);
    const early = await search({
      query: "error",
      groupBy: "none",
      limit: 100,
      filters: { dateRange: firstDay },
    });
    expect.soft(early.meta.paths.vector!.hits, "vector hits in the first day").toBeGreaterThan(0);
  });

  it("levels: only fatal events", async () => {
    const res = await search({
      query: "crash",
      groupBy: "none",
      limit: 100,
      filters: { levels: ["fatal"] },
    });
    expect(res.data.length).toBeGreaterThan(0);
    for (const r of res.data) {
      expect((rowsA.get(r.id)!.metadata as { level?: string }).level).toBe("fatal");
    }
    // Case does not matter.
    const upper = await search({
      query: "crash",
      groupBy: "none",
      limit: 100,
      filters: { levels: ["FATAL"] },
    });
    expect(upper.data.map((r) => r.id)).toEqual(res.data.map((r) => r.id));
  });
});

describe("POST /v1/search: explain and modes", () => {
  it("explain: true explains every result, and its final score is the result's", async () => {
    const res = await search({ query: "stripe timeout", explain: true, limit: 20 });
    expect(res.data.length).toBeGreaterThan(0);
    for (const r of res.data) {
      const explain = r.explain!;
      expect(explain, r.id).toBeDefined();
      const paths = Object.entries(explain.paths);
      expect(paths.length).toBeGreaterThan(0);
      for (const [path, hit] of paths) {
        expect(searchPaths).toContain(path);
        expect(Number.isInteger(hit!.rank) && hit!.rank >= 1).toBe(true);
        expect(Number.isFinite(hit!.score)).toBe(true);
      }
      expect(explain.final).toBe(r.score);
      expect(explain.fused).toBeGreaterThan(0);
    }
  });

  it("explain: false (the default) leaves the key out", async () => {
    for (const body of [{ query: "stripe timeout" }, { query: "stripe timeout", explain: false }]) {
      const answer = await call(body);
      expect(answer.json.data.length).toBeGreaterThan(0);
      for (const r of answer.json.data) expect(Object.keys(r)).not.toContain("explain");
    }
  });

  it("thorough without an LLM judge runs, and says it ran, as balanced", async () => {
    const thorough = await search({ query: "PAYMENTS-API-5B", mode: "thorough", explain: true });
    expect(thorough.meta.mode).toBe("balanced");
    const balanced = await search({ query: "PAYMENTS-API-5B", mode: "balanced", explain: true });
    expect(thorough.data.map((r) => r.id)).toEqual(balanced.data.map((r) => r.id));
  });

  it("fast skips the reranker", async () => {
    const balanced = await search({ query: "PAYMENTS-API-5B", explain: true });
    expect(balanced.data[0]!.explain!.rerank.identifier).toBeGreaterThan(0);
    const fast = await search({ query: "PAYMENTS-API-5B", mode: "fast", explain: true });
    expect(fast.meta.mode).toBe("fast");
    expect(fast.data.length).toBeGreaterThan(0);
    for (const r of fast.data) expect(r.explain!.rerank).toEqual({});
    // The fused evidence alone still puts the named issue first.
    expect(fast.data[0]!.entity.id).toBe("PAYMENTS-API-5B");
  });
});

describe("POST /v1/search: a failing path", () => {
  it("a failing vector store fails the vector path alone", async () => {
    const real = runtime.vectors;
    const vectors: VectorStore = {
      kind: real.kind,
      dimension: real.dimension,
      upsert: (namespace, records) => real.upsert(namespace, records),
      query: async () => {
        throw new Error("vector index unavailable");
      },
      fetch: (namespace, ids) => real.fetch(namespace, ids),
      delete: (namespace, ids) => real.delete(namespace, ids),
      deleteNamespace: (namespace) => real.deleteNamespace(namespace),
      count: (namespace) => real.count(namespace),
      ping: () => real.ping(),
    };
    const res = await search(
      { query: "PAYMENTS-API-5B", explain: true },
      { runtime: { ...runtime, vectors } },
    );
    expect(res.meta.paths.vector).toEqual({
      status: "error",
      hits: 0,
      error: "vector index unavailable",
    });
    for (const path of ["entity", "lexical", "cluster", "actor"] as const) {
      expect(res.meta.paths[path]!.status, path).toBe("ok");
    }
    expect(res.data[0]!.entity).toMatchObject({ type: "issue", id: "PAYMENTS-API-5B" });
    for (const r of res.data) expect(r.explain!.paths.vector).toBeUndefined();
  });

  it("a failing embedder fails the two paths that need the query's vector, and only them", async () => {
    const embeddings: EmbeddingProvider = {
      kind: runtime.embeddings.kind,
      model: runtime.embeddings.model,
      dimension: runtime.embeddings.dimension,
      embed: async () => {
        throw new Error("embedding service unavailable");
      },
    };
    const res = await search(
      { query: "details for sentry issue 6207788330" },
      { runtime: { ...runtime, embeddings } },
    );
    expect(res.meta.paths.vector!.status).toBe("error");
    expect(res.meta.paths.cluster!.status).toBe("error");
    for (const path of ["entity", "lexical", "actor"] as const) {
      expect(res.meta.paths[path]!.status, path).toBe("ok");
    }
    expect(res.data[0]!.entity.id).toBe("SEARCH-SERVICE-6A");
  });
});

describe("POST /v1/search: freshness", () => {
  it("finds an observation captured after the workspace was first searched", async () => {
    const query = "QuuxFrobnicatorError";
    const before = await search({ query, limit: 100 });
    expect(before.data.some((r) => r.entity.id === "FRESH-SERVICE-1")).toBe(false);

    const template = worldEvents().find((e) => e.sourceType === "issue.created")!;
    const title = "QuuxFrobnicatorError: the frobnicator jammed while indexing";
    const fresh: SourceEvent = {
      ...template,
      sourceId: "sentry:issue:6299999999:created",
      title,
      body: `${title}\nIssue: FRESH-SERVICE-1 (Sentry issue 6299999999)\nProject: search-service`,
      occurredAt: "2026-03-03T12:00:00.000Z",
      references: [
        { type: "issue", id: "FRESH-SERVICE-1", label: title },
        { type: "project", id: "search-service", label: "search-service" },
      ],
      metadata: {
        ...template.metadata,
        shortId: "FRESH-SERVICE-1",
        issueId: "6299999999",
        errorType: "QuuxFrobnicatorError",
      },
    };
    expect((await captureEvents(deps, wsA, [fresh]))[0]!.outcome).toBe("captured");
    const row = [...(await rowsOf(wsA)).values()].find((r) => r.sourceId === fresh.sourceId)!;
    expect(row).toBeDefined();

    const after = await search({ query });
    expect(after.data[0]!.entity).toMatchObject({ type: "issue", id: "FRESH-SERVICE-1" });
    expect(after.data[0]!.id).toBe(row.id);
    expect(after.data[0]!.title).toBe(title);
    const byId = await search({ query: "fresh-service-1" });
    expect(byId.data[0]!.entity.id).toBe("FRESH-SERVICE-1");
  });
});

describe("POST /v1/search: secrets", () => {
  it("no console output of any test held an API key", () => {
    const lines = consoleSpies.flatMap((spy) =>
      spy.mock.calls.map((args) =>
        args
          .map((a) =>
            a instanceof Error
              ? `${a.message}\n${a.stack}`
              : typeof a === "string"
                ? a
                : JSON.stringify(a),
          )
          .join(" "),
      ),
    );
    // The 500 test logged; this check has something to read.
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      for (const secret of secrets) expect(line).not.toContain(secret);
    }
  });
});
