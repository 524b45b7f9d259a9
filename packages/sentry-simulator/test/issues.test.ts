import { afterEach, describe, expect, it } from "vitest";
import type { SentrySimulator, SimIssue } from "../src/index";
import { connect, ISSUE_FIXTURE, issues, missingShape, start } from "./helpers";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function simulator(overrides: Parameters<typeof start>[0] = {}): Promise<SentrySimulator> {
  const sim = await start(overrides);
  cleanups.push(() => sim.close());
  return sim;
}

/** `<url>; rel="next"; results="true"; cursor="0:100:0"` -> its parts. */
function links(header: string | null) {
  return Object.fromEntries(
    (header ?? "").split(", <").map((part) => {
      const m = /<?([^>]+)>; rel="(\w+)"; results="(true|false)"; cursor="([^"]+)"/.exec(part)!;
      return [m[2], { url: m[1]!, results: m[3] === "true", cursor: m[4]! }];
    }),
  ) as Record<"previous" | "next", { url: string; results: boolean; cursor: string }>;
}

describe("issues", () => {
  it("pages through every seeded issue exactly once by following Link cursors", async () => {
    const sim = await simulator();
    sim.seedIssues(250);
    const { pair } = await connect(sim);

    const first = await issues(sim, pair.token, "?query=&limit=100");
    expect(first.status).toBe(200);
    const base = `${sim.url}/api/0/organizations/acme/issues/?query=&limit=100`;
    expect(first.headers.get("link")).toBe(
      `<${base}&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", ` +
        `<${base}&cursor=0:100:0>; rel="next"; results="true"; cursor="0:100:0"`,
    );

    const seen: SimIssue[] = [];
    let res = first;
    let pages = 0;
    for (;;) {
      pages++;
      const page = (await res.json()) as SimIssue[];
      seen.push(...page);
      const link = links(res.headers.get("link"));
      if (!link.next.results) {
        expect(pages).toBe(3);
        expect(page).toHaveLength(50);
        expect(link.next.cursor).toBe("0:300:0");
        expect(link.previous).toMatchObject({ results: true, cursor: "0:100:1" });
        break;
      }
      expect(page).toHaveLength(100);
      res = await fetch(link.next.url, { headers: { authorization: `Bearer ${pair.token}` } });
      expect(res.status).toBe(200);
    }
    expect(seen).toHaveLength(250);
    expect(new Set(seen.map((i) => i.id)).size).toBe(250);
    // Newest first.
    const lastSeen = seen.map((i) => i.lastSeen);
    expect([...lastSeen].sort().reverse()).toEqual(lastSeen);
    expect(new Set(seen.map((i) => i.status))).toEqual(
      new Set(["unresolved", "resolved", "ignored"]),
    );
  });

  it("serves issues shaped like data.issue of issue.created, deterministically", async () => {
    const a = await simulator();
    const b = await simulator();
    a.seedIssues(5);
    b.seedIssues(5);
    const [ca, cb] = [await connect(a), await connect(b)];
    const listA = (await (await issues(a, ca.pair.token, "?query=")).json()) as SimIssue[];
    const listB = (await (await issues(b, cb.pair.token, "?query=")).json()) as SimIssue[];
    const strip = (list: SimIssue[]) => list.map(({ permalink: _p, ...rest }) => rest);
    expect(strip(listA)).toEqual(strip(listB));
    for (const issue of listA) {
      expect(missingShape(ISSUE_FIXTURE, issue)).toEqual([]);
      expect(issue.id).toMatch(/^\d+$/);
      expect(issue.shortId).toMatch(/^FRONT-END-[0-9A-Z]+$/);
      expect(issue.firstSeen).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(issue.permalink).toBe(`${a.url}/organizations/acme/issues/${issue.id}/`);
    }
    const detail = await fetch(`${a.url}/api/0/organizations/acme/issues/${listA[0]!.id}/`, {
      headers: { authorization: `Bearer ${ca.pair.token}` },
    });
    expect(await detail.json()).toEqual(listA[0]);
  });

  it("filters: no query means is:unresolved; is:, level: and project slugs narrow", async () => {
    const sim = await simulator();
    sim.seedIssues(40);
    sim.seedIssues(10, { project: "backend" });
    const { pair } = await connect(sim);
    const get = async (q: string) =>
      (await (await issues(sim, pair.token, q)).json()) as SimIssue[];

    const all = await get("?query=");
    expect(all).toHaveLength(50);
    const unresolved = all.filter((i) => i.status === "unresolved");
    expect(await get("")).toEqual(unresolved);
    expect(await get("?query=is:unresolved")).toEqual(unresolved);
    expect((await get("?query=is:resolved")).every((i) => i.status === "resolved")).toBe(true);
    expect(await get("?query=!is:unresolved")).toHaveLength(50 - unresolved.length);
    const backend = await get("?query=project:backend");
    expect(backend).toHaveLength(10);
    expect(backend.every((i) => i.shortId.startsWith("BACKEND-"))).toBe(true);
    expect(await get(`?query=&project=${backend[0]!.project.id}`)).toEqual(backend);
    expect((await get("?query=level:fatal")).every((i) => i.level === "fatal")).toBe(true);
  });

  it("rate limits with Sentry's headers, 429 with Retry-After, and recovers after the window", async () => {
    const sim = await simulator({ rateLimit: { limit: 3, windowMs: 10_000 } });
    sim.seedIssues(1);
    const { pair } = await connect(sim);
    const reset = String(Math.ceil((Math.floor(sim.clock.now() / 10_000) + 1) * 10));

    for (const remaining of ["2", "1", "0"]) {
      const res = await issues(sim, pair.token);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-sentry-rate-limit-limit")).toBe("3");
      expect(res.headers.get("x-sentry-rate-limit-remaining")).toBe(remaining);
      expect(res.headers.get("x-sentry-rate-limit-reset")).toBe(reset);
    }
    const limited = await issues(sim, pair.token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-sentry-rate-limit-remaining")).toBe("0");
    expect(limited.headers.get("x-sentry-rate-limit-reset")).toBe(reset);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
    expect(await limited.json()).toEqual({
      detail:
        "You are attempting to use this endpoint too frequently. Limit is 3 requests in 10 seconds",
    });

    sim.clock.advance(retryAfter * 1000);
    const again = await issues(sim, pair.token);
    expect(again.status).toBe(200);
    expect(again.headers.get("x-sentry-rate-limit-remaining")).toBe("2");
    expect(sim.stats()).toMatchObject({ apiCalls: 5, rateLimited: 1 });
  });

  it("rejects a missing or unknown token, another organization, a bad cursor", async () => {
    const sim = await simulator();
    const { pair } = await connect(sim);
    const none = await fetch(`${sim.url}/api/0/organizations/acme/issues/`);
    expect(none.status).toBe(401);
    const unknown = await issues(sim, "f".repeat(64));
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ detail: "Invalid token" });
    const otherOrg = await fetch(`${sim.url}/api/0/organizations/globex/issues/`, {
      headers: { authorization: `Bearer ${pair.token}` },
    });
    expect(otherOrg.status).toBe(403);
    const badCursor = await issues(sim, pair.token, "?cursor=banana");
    expect(badCursor.status).toBe(400);
    expect(await badCursor.json()).toEqual({ detail: "Invalid cursor parameter." });
  });
});
