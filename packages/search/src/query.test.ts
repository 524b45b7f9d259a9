import { describe, expect, it } from "vitest";
import { SearchCorpus } from "./corpus";
import type { SearchDocument } from "./document";
import { analyzeQuery, looksLikeIdentifier } from "./query";

let seq = 0;
function doc(partial: Partial<SearchDocument> & Pick<SearchDocument, "title">): SearchDocument {
  seq++;
  return {
    id: `obs_${seq}`,
    seq,
    source: "sentry",
    sourceType: "issue.created",
    observationType: "error",
    status: "active",
    body: partial.title,
    snippet: partial.title,
    url: null,
    occurredAt: new Date(Date.UTC(2026, 1, 1, seq)).toISOString(),
    significance: 50,
    actor: null,
    clusterId: null,
    references: [],
    threadKeys: [],
    metadata: {},
    entities: [],
    ...partial,
  };
}

function issue(project: string, shortId: string, issueId: string, title: string) {
  return doc({
    title,
    references: [{ type: "issue", id: shortId, label: title }],
    threadKeys: [`issue:${shortId}`, `issue:${issueId}`],
    metadata: { project, shortId, issueId, status: "unresolved", platform: "node" },
    entities: [
      { category: "project", key: project },
      { category: "short_id", key: shortId },
      { category: "error_type", key: title.split(":")[0]! },
    ],
  });
}

/** A tiny workspace: three projects, four people (two with non-ASCII names), one alert. */
function corpus(): SearchCorpus {
  const c = new SearchCorpus();
  c.add([
    issue("inventory-sync", "INVENTORY-SYNC-4X", "6204719110", "ShopifyThrottledError: cost"),
    issue("payments-api", "PAYMENTS-API-5B", "6205000001", "PrismaClientKnownRequestError: refund"),
    issue("notifications-worker", "NOTIFICATIONS-WORKER-4R", "6205000002", "IntegrityError: dup"),
    doc({
      title: "Assigned to Priya Raman: PrismaClientKnownRequestError: refund",
      sourceType: "issue.assigned",
      actor: { id: "a1", name: "Ethan Brooks", email: null },
      threadKeys: ["issue:PAYMENTS-API-5B"],
      metadata: {
        shortId: "PAYMENTS-API-5B",
        issueId: "6205000001",
        status: "unresolved",
        assignee: "priya.raman@brightcart.io",
        assigneeName: "Priya Raman",
      },
    }),
    doc({
      title: "Resolved: ShopifyThrottledError: cost",
      sourceType: "issue.resolved",
      actor: { id: "a2", name: "Łukasz Nowak", email: "lukasz.nowak@brightcart.io" },
      threadKeys: ["issue:INVENTORY-SYNC-4X"],
      metadata: { shortId: "INVENTORY-SYNC-4X", issueId: "6204719110", status: "resolved" },
    }),
    doc({
      title: "Comment on issue 6205000002: looking into it",
      sourceType: "comment.created",
      observationType: "discussion",
      actor: { id: "a3", name: "Zoë Adeyemi", email: "zoe.adeyemi@brightcart.io" },
      threadKeys: ["issue:6205000002"],
      metadata: { issueId: "6205000002" },
    }),
  ]);
  return c;
}

const c = corpus();
const people = (q: string) =>
  analyzeQuery(c, q).people.map((p) => [p.person.name, p.role] as const);

describe("analyzeQuery: projects", () => {
  it("reads a project named by its words, its slug, or a word only it has", () => {
    expect(analyzeQuery(c, "what got fixed in inventory sync").projects).toEqual([
      "inventory-sync",
    ]);
    expect(analyzeQuery(c, "errors in inventory-sync").projects).toEqual(["inventory-sync"]);
    expect(analyzeQuery(c, "refund failures in payments").projects).toEqual(["payments-api"]);
    expect(analyzeQuery(c, "notification emails").projects).toEqual(["notifications-worker"]);
  });

  it("does not read a project from a generic word alone", () => {
    expect(analyzeQuery(c, "api errors").projects).toEqual([]);
    expect(analyzeQuery(c, "worker crashed").projects).toEqual([]);
    expect(analyzeQuery(c, "checkout errors").projects).toEqual([]);
  });

  it("never treats a project as an identifier", () => {
    const a = analyzeQuery(c, "inventory-sync");
    expect(a.projects).toEqual(["inventory-sync"]);
    expect(a.identifiers.map((m) => m.entry.category)).not.toContain("project");
  });
});

describe("analyzeQuery: states", () => {
  it.each([
    ["what got fixed", ["resolved"]],
    ["closed issues last week", ["resolved"]],
    ["archived errors in the backend", ["ignored"]],
    ["open issues in payments", ["unresolved"]],
    ["which errors has nobody is assigned to", ["unassigned"]],
    ["ShopifyThrottledError", []],
  ])("%s -> %j", (query, states) => {
    expect(analyzeQuery(c, query).states).toEqual(states);
  });
});

describe("analyzeQuery: people", () => {
  it("finds a person by first name, surname, or an ASCII spelling of their name", () => {
    expect(people("what is priya working on")).toEqual([["Priya Raman", "assignee"]]);
    expect(people("issues Raman touched")).toEqual([["Priya Raman", "any"]]);
    expect(people("what did Lukasz do")).toEqual([["Łukasz Nowak", "any"]]);
    expect(people("what did Łukasz do")).toEqual([["Łukasz Nowak", "any"]]);
    expect(people("zoe")).toEqual([["Zoë Adeyemi", "any"]]);
    expect(people("Ethan")).toEqual([["Ethan Brooks", "any"]]);
  });

  it("finds a person by the local part of their email", () => {
    expect(people("lukasz.nowak")).toEqual([["Łukasz Nowak", "any"]]);
  });

  it("reads the role the query asks about", () => {
    expect(people("assigned to Priya")).toEqual([["Priya Raman", "assignee"]]);
    expect(people("issues Lukasz fixed")).toEqual([["Łukasz Nowak", "resolver"]]);
    expect(people("what Łukasz resolved")).toEqual([["Łukasz Nowak", "resolver"]]);
    expect(people("comments by Zoë")).toEqual([["Zoë Adeyemi", "commenter"]]);
  });

  it("names nobody for a query without a known name", () => {
    expect(people("refund errors in payments")).toEqual([]);
    // Two letters of a name are not a name.
    expect(people("pr review")).toEqual([]);
  });
});

describe("analyzeQuery: identifiers", () => {
  it("matches short ids exactly in any case, and fuzzily when misspelt", () => {
    const exact = analyzeQuery(c, "what happened with PAYMENTS-API-5B?").identifiers[0]!;
    expect(exact).toMatchObject({ how: "exact", strength: 1 });
    expect(exact.entry).toMatchObject({ category: "short_id", key: "PAYMENTS-API-5B" });
    const lower = analyzeQuery(c, "notifications-worker-4r").identifiers[0]!;
    expect(lower.entry.key).toBe("NOTIFICATIONS-WORKER-4R");
    expect(lower.how).toBe("exact");
    const typo = analyzeQuery(c, "paymnets-api-5b").identifiers[0]!;
    expect(typo.entry.key).toBe("PAYMENTS-API-5B");
    expect(typo.how).toBe("fuzzy");
    expect(typo.strength).toBeLessThan(0.9);
  });

  it("reads Sentry's numeric issue ids, not short numbers or zero-padded ones", () => {
    expect(analyzeQuery(c, "details for sentry issue 6204719110").issueNumbers).toEqual([
      "6204719110",
    ]);
    expect(analyzeQuery(c, "error 503 on port 6379").issueNumbers).toEqual([]);
    expect(analyzeQuery(c, "order 0012345678").issueNumbers).toEqual([]);
  });

  it("reads no states or scope into a query about one named issue", () => {
    const named = analyzeQuery(c, "is INVENTORY-SYNC-4X fixed");
    expect(named.identifiers[0]?.entry.key).toBe("INVENTORY-SYNC-4X");
    expect(named.states).toEqual([]);
    expect(named.projects).toEqual([]);
    expect(analyzeQuery(c, "is sentry issue 6204719110 fixed").states).toEqual([]);
    expect(analyzeQuery(c, "what got fixed in inventory sync").states).toEqual(["resolved"]);
  });

  it("does not count a plain English word exactly matching a plain key as an identifier", () => {
    const c2 = new SearchCorpus();
    c2.add([
      doc({
        title: "Error: boom",
        entities: [
          { category: "error_type", key: "Error" },
          { category: "error_type", key: "TimeoutError" },
        ],
      }),
    ]);
    expect(analyzeQuery(c2, "error").identifiers).toEqual([]);
    expect(analyzeQuery(c2, "TimeoutError").identifiers.map((m) => m.entry.key)).toEqual([
      "TimeoutError",
    ]);
    expect(looksLikeIdentifier("Error")).toBe(false);
    expect(looksLikeIdentifier("PAYMENTS-API-5B")).toBe(true);
    expect(looksLikeIdentifier("createPaymentIntent")).toBe(true);
    expect(looksLikeIdentifier("cart.tsx")).toBe(true);
  });
});

describe("analyzeQuery: platforms and alerts", () => {
  it("maps platform words to Sentry's platform names", () => {
    expect(analyzeQuery(c, "ios crashes").platforms).toEqual(["cocoa"]);
    expect(analyzeQuery(c, "frontend errors").platforms).toEqual(["javascript"]);
    expect(analyzeQuery(c, "backend errors").platforms).toContain("node");
    // A platform scopes to the projects that report it.
    expect(analyzeQuery(c, "backend errors").projects.sort()).toEqual([
      "inventory-sync",
      "notifications-worker",
      "payments-api",
    ]);
    expect(analyzeQuery(c, "ios crashes").projects).toEqual([]);
    expect(analyzeQuery(c, "refund errors").platforms).toEqual([]);
  });

  it("notices a question about alerts", () => {
    expect(analyzeQuery(c, "has the payments error rate alert fired?").alerts).toBe(true);
    expect(analyzeQuery(c, "who was paged last night").alerts).toBe(true);
    expect(analyzeQuery(c, "refund errors").alerts).toBe(false);
  });
});
