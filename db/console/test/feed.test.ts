import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../src/client";
import {
  createWorkspace,
  type FeedCursor,
  type FeedItem,
  getObservationDetail,
  insertWebhookPayload,
  type ListFeedParams,
  listFeed,
  listFeedFacets,
  observationIdFor,
  type PersistObservationParams,
  persistObservations,
} from "../src/queries";
import { openTestDatabase, testDatabaseTarget } from "../src/testing";

let handle: DatabaseHandle;
let wsA: string;
let wsB: string;

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 12, minute));

interface Extra {
  threadKeys?: string[];
  payloadId?: string;
  clusterId?: string;
  entities?: PersistObservationParams["entities"];
  relationships?: PersistObservationParams["relationships"];
  actor?: string;
  status?: "captured" | "below_threshold";
}

/**
 * One observation to persist, in a line: `sourceId|title|<sourceType> <observationType>|minute|meta`,
 * `minute` its time past noon, `meta` its metadata as `key=value` words (`projects` takes a list).
 */
function seed(spec: string, extra: Extra = {}) {
  const [sourceId = "", title = "", type = "", minute = "0", meta = ""] = spec.split("|");
  const [sourceType = "", observationType = ""] = type.split(" ");
  const metadata = Object.fromEntries(
    meta
      .split(" ")
      .filter(Boolean)
      .map((pair) => pair.split("="))
      .map(([k = "", v = ""]) => [k, k === "projects" ? v.split(",") : v]),
  );
  return (workspaceId: string): PersistObservationParams => ({
    observation: {
      id: observationIdFor({ workspaceId, sourceId }),
      workspaceId,
      source: "sentry",
      sourceType,
      sourceId,
      payloadId: extra.payloadId ?? null,
      status: extra.status ?? "captured",
      title,
      body: `${title}\nbody`,
      snippet: `${title} snippet`,
      url: `https://sentry.io/issues/${sourceId}/`,
      observationType,
      significance: 60,
      threadKeys: extra.threadKeys ?? [],
      metadata,
      occurredAt: at(Number(minute)),
      clusterId: extra.clusterId ?? null,
    },
    entities: extra.entities ?? [],
    actor: extra.actor ? { source: "sentry", externalId: extra.actor, name: extra.actor } : null,
    mentioned: [],
    relationships: extra.relationships ?? [],
  });
}

/** `cluster` says whether the seeds' cluster starts here (with a label) or exists already. */
async function persist(
  workspaceId: string,
  seeds: ((workspaceId: string) => PersistObservationParams)[],
  cluster: { kind: "create"; label: string } | { kind: "join" } = { kind: "join" },
) {
  const items = seeds.map((s) => s(workspaceId));
  const clusterIds = [...new Set(items.flatMap((i) => i.observation.clusterId ?? []))];
  await persistObservations(handle.db, {
    workspaceId,
    items,
    clusters: clusterIds.map((clusterId) => ({
      ...cluster,
      clusterId,
      centroid: [0.1, 0.2, 0.3],
      entityKeys: [],
      actorIds: [],
      firstSeenAt: at(0),
      lastSeenAt: at(59),
    })),
  });
}

const idOf = (workspaceId: string, sourceId: string) => observationIdFor({ workspaceId, sourceId });
const ids = (items: FeedItem[]) => items.map((i) => i.id);
const detailOf = (workspaceId: string, observationId: string) =>
  getObservationDetail(handle.db, { workspaceId, observationId });

/** Every row the feed has for these filters, walked page by page. */
async function walk(params: Omit<ListFeedParams, "before">) {
  const all: FeedItem[] = [];
  let before: FeedCursor | undefined;
  for (let page = 0; page < 50; page++) {
    const result = await listFeed(handle.db, { ...params, before });
    all.push(...result.items);
    if (!result.nextBefore) return all;
    before = result.nextBefore;
  }
  throw new Error("pagination did not end");
}

const storePayload = async (workspaceId: string, body: unknown, headers = {}) => {
  const { payload } = await insertWebhookPayload(handle.db, {
    workspaceId,
    source: "sentry",
    resource: "issue",
    action: "created",
    headers,
    body: JSON.stringify(body),
  });
  return payload.id;
};

let payloadA: string;
let payloadB: string;

beforeAll(async () => {
  handle = await openTestDatabase();
  wsA = (await createWorkspace(handle.db, { name: "Feed A" })).id;
  wsB = (await createWorkspace(handle.db, { name: "Feed B" })).id;
  const body = (shortId: string) => ({ action: "created", data: { issue: { shortId } } });
  payloadA = await storePayload(wsA, body("PAY-1"), { "sentry-hook-resource": "issue" });
  payloadB = await storePayload(wsB, body("B-1"));

  const shared = { category: "error_type", key: "TypeError", label: "TypeError" };
  const issue = idOf(wsA, "issue:1");
  // The issue first: the error and the comment below point at it.
  await persist(
    wsA,
    [
      seed(
        "issue:1|TypeError in checkout|issue.created error|10|level=error project=payments shortId=PAY-1 issueId=1",
        {
          threadKeys: ["issue:1", "issue:PAY-1"],
          payloadId: payloadA,
          clusterId: "clu_checkout",
          entities: [shared, { category: "short_id", key: "PAY-1", label: "PAY-1" }],
          actor: "alice",
        },
      ),
    ],
    { kind: "create", label: "Checkout errors" },
  );
  await persist(wsA, [
    // An error names its issue by number only.
    seed(
      "error:1|TypeError: x is undefined|error.created error|20|level=error project=payments issueId=1",
      {
        threadKeys: ["issue:1"],
        clusterId: "clu_checkout",
        entities: [shared],
        relationships: [
          { type: "follows", toObservationId: issue, targetKey: `obs:${issue}` },
          { type: "resolved_by", toObservationId: null, targetKey: "commit:abc123" },
        ],
      },
    ),
    seed("alert:1|Metric alert|metric_alert.critical alert|30|alertId=77 projects=web,payments"),
    seed("issue:2|Slow query|issue.created error|30|level=warning project=search shortId=SEARCH-2"),
    seed("comment:1|Comment|comment.created discussion|30|project=payments issueId=1", {
      status: "below_threshold",
    }),
    seed(
      "issue:3|Resolved|issue.resolved resolution|40|level=error project=payments shortId=PAY-1",
    ),
  ]);
  await persist(wsB, [
    seed(
      "issue:9|Workspace B only|issue.created incident|50|level=fatal project=b-project shortId=B-1",
      {
        payloadId: payloadB,
      },
    ),
    // Names issue 1 like A's error does: A's short id must not leak into B.
    seed("error:1|B error|error.created error|45|issueId=1", { threadKeys: ["issue:1"] }),
  ]);
});
afterAll(() => handle.close());

describe(`feed (${testDatabaseTarget()})`, () => {
  it("lists newest first, ties in time broken by id descending", async () => {
    const { items, nextBefore } = await listFeed(handle.db, { workspaceId: wsA, limit: 50 });
    expect(nextBefore).toBeUndefined();
    expect(items).toHaveLength(6);
    for (let i = 1; i < items.length; i++) {
      const prev = items[i - 1]!;
      const cur = items[i]!;
      const newer = prev.occurredAt.getTime() - cur.occurredAt.getTime();
      expect(newer > 0 || (newer === 0 && prev.id > cur.id)).toBe(true);
    }
    expect(items[0]!.id).toBe(idOf(wsA, "issue:3"));
    expect(items.at(-1)!.id).toBe(idOf(wsA, "issue:1"));
  });

  it("shows what a row needs, reading the short id of an error from its issue", async () => {
    const { items } = await listFeed(handle.db, { workspaceId: wsA, limit: 50 });
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(byId.get(idOf(wsA, "issue:1"))).toMatchObject({
      title: "TypeError in checkout",
      snippet: "TypeError in checkout snippet",
      source: "sentry",
      sourceType: "issue.created",
      observationType: "error",
      status: "captured",
      level: "error",
      project: "payments",
      shortId: "PAY-1",
      actorName: "alice",
      url: "https://sentry.io/issues/issue:1/",
      significance: 60,
    });
    expect(byId.get(idOf(wsA, "issue:1"))!.occurredAt).toEqual(at(10));
    expect(byId.get(idOf(wsA, "error:1"))).toMatchObject({ shortId: "PAY-1", issueId: "1" });
    expect(byId.get(idOf(wsA, "alert:1"))).toMatchObject({
      alertId: "77",
      project: "web",
      level: null,
      shortId: null,
      actorName: null,
    });
    expect(byId.get(idOf(wsA, "comment:1"))?.status).toBe("below_threshold");
  });

  it("filters by source type, observation type, project and level", async () => {
    const expectFeed = async (filters: Partial<ListFeedParams>, ...sourceIds: string[]) => {
      const page = await listFeed(handle.db, { workspaceId: wsA, limit: 50, ...filters });
      expect(ids(page.items).sort()).toEqual(sourceIds.map((s) => idOf(wsA, s)).sort());
    };
    await expectFeed({ sourceTypes: ["issue.created"] }, "issue:1", "issue:2");
    await expectFeed(
      { sourceTypes: ["issue.created", "issue.resolved"] },
      "issue:1",
      "issue:2",
      "issue:3",
    );
    await expectFeed({ observationTypes: ["alert", "discussion"] }, "alert:1", "comment:1");
    // The metric alert belongs to each project it lists.
    await expectFeed({ projects: ["web"] }, "alert:1");
    await expectFeed(
      { projects: ["payments"] },
      "issue:1",
      "error:1",
      "alert:1",
      "comment:1",
      "issue:3",
    );
    await expectFeed({ levels: ["warning"] }, "issue:2");
    await expectFeed({ levels: ["error"], sourceTypes: ["issue.created"] }, "issue:1");
    await expectFeed({ projects: ["payments"], observationTypes: ["resolution"] }, "issue:3");
    await expectFeed(
      { levels: [] },
      "issue:1",
      "error:1",
      "alert:1",
      "issue:2",
      "comment:1",
      "issue:3",
    );
    await expectFeed({ projects: ["b-project"] });
  });

  it("pages by (occurred_at, id) without gaps or repeats, also across equal times", async () => {
    const all = ids((await listFeed(handle.db, { workspaceId: wsA, limit: 50 })).items);
    for (const limit of [1, 2, 4]) {
      expect(ids(await walk({ workspaceId: wsA, limit }))).toEqual(all);
    }
    const first = await listFeed(handle.db, { workspaceId: wsA, limit: 2 });
    expect(first.nextBefore).toEqual({ occurredAt: first.items[1]!.occurredAt, id: all[1] });
    // Three rows share minute 30: a cursor in the middle of them continues inside the tie.
    const second = await listFeed(handle.db, {
      workspaceId: wsA,
      limit: 2,
      before: first.nextBefore,
    });
    expect(ids(second.items)).toEqual(all.slice(2, 4));
    expect(ids(await walk({ workspaceId: wsA, limit: 1, projects: ["payments"] }))).toEqual(
      all.filter((id) => id !== idOf(wsA, "issue:2")),
    );
  });

  it("never returns another workspace's rows", async () => {
    const a = await walk({ workspaceId: wsA, limit: 3 });
    expect(ids(a)).not.toContain(idOf(wsB, "issue:9"));
    expect(ids(a)).not.toContain(idOf(wsB, "error:1"));
    const b = await listFeed(handle.db, { workspaceId: wsB, limit: 50 });
    expect(ids(b.items)).toEqual([idOf(wsB, "issue:9"), idOf(wsB, "error:1")]);
    // B has no issue 1 of its own: the error's short id stays unknown rather than A's PAY-1.
    expect(b.items.map((i) => i.shortId)).toEqual(["B-1", null]);
  });

  it("lists the distinct facet values of one workspace", async () => {
    expect(await listFeedFacets(handle.db, { workspaceId: wsA })).toEqual({
      sourceTypes: [
        "comment.created",
        "error.created",
        "issue.created",
        "issue.resolved",
        "metric_alert.critical",
      ],
      observationTypes: ["alert", "discussion", "error", "resolution"],
      projects: ["payments", "search", "web"],
      levels: ["error", "warning"],
    });
    expect(await listFeedFacets(handle.db, { workspaceId: wsB })).toEqual({
      sourceTypes: ["error.created", "issue.created"],
      observationTypes: ["error", "incident"],
      projects: ["b-project"],
      levels: ["fatal"],
    });
  });
});

describe(`observation detail (${testDatabaseTarget()})`, () => {
  it("reads the observation with its entities, cluster, edges and payload", async () => {
    const detail = await detailOf(wsA, idOf(wsA, "issue:1"));
    expect(detail).toMatchObject({
      id: idOf(wsA, "issue:1"),
      title: "TypeError in checkout",
      body: "TypeError in checkout\nbody",
      sourceId: "issue:1",
      shortId: "PAY-1",
      metadata: { level: "error", project: "payments", shortId: "PAY-1", issueId: "1" },
      actor: { name: "alice" },
      cluster: { id: "clu_checkout", label: "Checkout errors", observationCount: 2 },
    });
    expect(detail!.entities.map((e) => [e.category, e.key, e.occurrenceCount])).toEqual([
      ["error_type", "TypeError", 2],
      ["short_id", "PAY-1", 1],
    ]);
    expect(detail!.relationships).toEqual([
      expect.objectContaining({
        type: "follows",
        direction: "incoming",
        other: expect.objectContaining({
          id: idOf(wsA, "error:1"),
          title: "TypeError: x is undefined",
          observationType: "error",
        }),
      }),
    ]);
    expect(detail!.payload).toMatchObject({
      id: payloadA,
      resource: "issue",
      action: "created",
      headers: { "sentry-hook-resource": "issue" },
      body: { action: "created", data: { issue: { shortId: "PAY-1" } } },
    });
  });

  it("lists outgoing edges, to observations and to things outside the memory", async () => {
    const detail = await detailOf(wsA, idOf(wsA, "error:1"));
    const byType = new Map(detail!.relationships.map((r) => [r.type, r]));
    expect(byType.get("follows")).toMatchObject({
      direction: "outgoing",
      other: { id: idOf(wsA, "issue:1"), title: "TypeError in checkout" },
    });
    expect(byType.get("resolved_by")).toMatchObject({
      direction: "outgoing",
      targetKey: "commit:abc123",
      other: null,
    });
    expect(detail!.payload).toBeNull();
    expect(detail!.actor).toBeNull();
  });

  it("is undefined for another workspace's observation, and never shows its payload", async () => {
    const fromB = idOf(wsB, "issue:9");
    expect(await detailOf(wsA, fromB)).toBe(undefined);
    expect(await detailOf(wsB, idOf(wsA, "error:1"))).toBeUndefined();
    expect(await detailOf(wsA, "obs_missing")).toBeUndefined();
    const own = await detailOf(wsB, fromB);
    expect(own?.payload?.id).toBe(payloadB);

    // An observation pointing at a delivery bound to another workspace does not show it.
    await persist(wsA, [seed("crossed|Crossed|issue.created error|5", { payloadId: payloadB })]);
    const crossed = await detailOf(wsA, idOf(wsA, "crossed"));
    expect(crossed?.payload).toBeNull();
  });
});
