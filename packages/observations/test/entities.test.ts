import { describe, expect, it } from "vitest";
import {
  type EntityCategory,
  entityCategories,
  extractEntities,
  extractedEntitySchema,
  looksLikeShortId,
} from "../src/entities";
import { makeEvent } from "./make-event";

type Entities = ReturnType<typeof extractEntities>;
const keys = (entities: Entities, category: EntityCategory) =>
  entities.filter((entity) => entity.category === category).map((entity) => entity.key);

/** Shaped like the Sentry connector's `issue.assigned` for a real-looking React app issue. */
const assignedIssue = makeEvent({
  sourceType: "issue.assigned",
  sourceId: "sentry:issue:6204312523:assigned:olivia.grant@brightcart.io",
  title:
    "Assigned to Olivia Grant: QuotaExceededError: Failed to execute 'setItem' on 'Storage': Setting the value of 'admin:filters:v3' exceeded the quota.",
  body: [
    "QuotaExceededError: Failed to execute 'setItem' on 'Storage': Setting the value of 'admin:filters:v3' exceeded the quota.",
    "Issue: ADMIN-DASHBOARD-3S (Sentry issue 6204312523)",
    "Project: admin-dashboard",
    "Culprit: persistFilters(src/hooks/use-persisted-filters)",
    "Location: src/hooks/use-persisted-filters.ts in persistFilters",
    "Level: error",
    "Events: 41",
    "Users affected: 33",
    "Assigned to: Olivia Grant <olivia.grant@brightcart.io>",
    "Assigned by: Marcus Lee",
    "Link: https://brightcart.sentry.io/issues/6204312523/",
  ].join("\n"),
  actor: { id: "2190180", name: "Marcus Lee", email: "Marcus.Lee@brightcart.io" },
  references: [
    {
      type: "issue",
      id: "ADMIN-DASHBOARD-3S",
      url: "https://brightcart.sentry.io/issues/6204312523/",
    },
    { type: "project", id: "admin-dashboard", label: "Admin Dashboard" },
    { type: "assignee", id: "olivia.grant@brightcart.io", label: "Olivia Grant" },
  ],
  metadata: {
    level: "error",
    project: "admin-dashboard",
    shortId: "ADMIN-DASHBOARD-3S",
    errorType: "QuotaExceededError",
    culprit: "persistFilters(src/hooks/use-persisted-filters)",
    filename: "src/hooks/use-persisted-filters.ts",
    function: "persistFilters",
    count: 41,
    userCount: 33,
  },
});

/** Shaped like `error.created` from a Node service, with a JavaScript stack in the body. */
const nodeError = makeEvent({
  sourceType: "error.created",
  sourceId: "sentry:error:2f9059ca0675f3989ccea698e2abe7ca",
  title: "StripeCardError: Your card was declined.",
  body: [
    "StripeCardError: Your card was declined.",
    "Culprit: POST /api/checkout",
    "Level: error",
    "Environment: production",
    "Release: v2.14.0",
    "Caused by: UnhandledPromiseRejection: charge failed",
    "Top in-app frames (innermost first):",
    "  at chargeCustomer (app/api/checkout/route.ts:42:13)",
    "  src/jobs/payout-scheduler.ts in schedulePayouts at line 17",
    "Notes: STRIPE_SECRET_KEY rotated by @dana-ops in #482; suspect commit 9f2c1ab7e4 (PAYMENTS-API-1F).",
    "Also seen: GET /v1/orders/:id returned 500 for CHECKOUT-7.",
  ].join("\n"),
  references: [
    { type: "issue", id: "6204137652" },
    { type: "release", id: "payments-api@2.14.0" },
    { type: "commit", id: "9F2C1AB7E4" },
  ],
  metadata: { level: "error", project: "payments-api", errorType: "StripeCardError" },
});

describe("extractEntities", () => {
  it("reads a Sentry-like assigned issue: ids, error, file, function, project and people", () => {
    const entities = extractEntities(assignedIssue);
    expect(keys(entities, "short_id")).toEqual(["ADMIN-DASHBOARD-3S"]);
    expect(keys(entities, "error_type")).toEqual(["QuotaExceededError"]);
    expect(keys(entities, "file")).toEqual(["src/hooks/use-persisted-filters.ts"]);
    expect(keys(entities, "function")).toEqual(["persistFilters"]);
    expect(keys(entities, "project")).toEqual(["admin-dashboard"]);
    expect(keys(entities, "email").sort()).toEqual([
      "marcus.lee@brightcart.io",
      "olivia.grant@brightcart.io",
    ]);
    // Nothing from the Sentry link, the event counts or the quoted storage key.
    expect(keys(entities, "endpoint")).toEqual([]);
    expect(keys(entities, "issue_number")).toEqual([]);
    expect(keys(entities, "handle")).toEqual([]);
  });

  it("keeps a provider's labels and gives readable ones otherwise", () => {
    const entities = extractEntities(assignedIssue);
    const label = (category: EntityCategory, key: string) =>
      entities.find((e) => e.category === category && e.key === key)?.label;
    expect(label("project", "admin-dashboard")).toBe("Admin Dashboard");
    expect(label("email", "olivia.grant@brightcart.io")).toBe(
      "Olivia Grant <olivia.grant@brightcart.io>",
    );
    expect(label("function", "persistFilters")).toBe("persistFilters()");
    for (const entity of entities) expect(extractedEntitySchema.parse(entity)).toEqual(entity);
  });

  it("reads a Node error with a stack: endpoints, env vars, handles, issue numbers, commits, releases", () => {
    const entities = extractEntities(nodeError);
    expect(keys(entities, "short_id").sort()).toEqual(["CHECKOUT-7", "PAYMENTS-API-1F"]);
    expect(keys(entities, "error_type").sort()).toEqual([
      "StripeCardError",
      "UnhandledPromiseRejection",
    ]);
    expect(keys(entities, "file").sort()).toEqual([
      "app/api/checkout/route.ts",
      "src/jobs/payout-scheduler.ts",
    ]);
    expect(keys(entities, "function").sort()).toEqual(["chargeCustomer", "schedulePayouts"]);
    expect(keys(entities, "endpoint").sort()).toEqual(["GET /v1/orders/:id", "POST /api/checkout"]);
    expect(keys(entities, "env_var")).toEqual(["STRIPE_SECRET_KEY"]);
    expect(keys(entities, "handle")).toEqual(["dana-ops"]);
    expect(keys(entities, "issue_number")).toEqual(["482"]);
    // The reference and the text name the same commit in different case: one entity.
    expect(keys(entities, "commit")).toEqual(["9f2c1ab7e4"]);
    expect(keys(entities, "release").sort()).toEqual(["payments-api@2.14.0", "v2.14.0"]);
    expect(keys(entities, "project")).toEqual(["payments-api"]);
    // A numeric Sentry group id is not a short id.
    expect(keys(entities, "short_id")).not.toContain("6204137652");
  });

  it("does not mistake standards, hyphenated words or emails for ids and handles", () => {
    const entities = extractEntities(
      makeEvent({
        title: "Encoding failure",
        body: [
          "Body was not UTF-8; SHA-256 mismatch; see CVE-2024-3094.",
          "Reported by ops@brightcart.io from the @sentry/nextjs integration on WEB-CHECKOUT.",
          "Mentioned in https://github.com/acme/web/issues/12 and src/index (no extension).",
          "Thrown at Object.<anonymous> (internal).",
        ].join("\n"),
      }),
    );
    expect(keys(entities, "short_id")).toEqual([]);
    expect(keys(entities, "handle")).toEqual([]);
    expect(keys(entities, "file")).toEqual([]);
    expect(keys(entities, "issue_number")).toEqual([]);
    expect(keys(entities, "function")).toEqual([]);
    expect(keys(entities, "env_var")).toEqual([]);
  });

  it("reads function names from culprit and frame forms, not from prose", () => {
    const entities = extractEntities(
      makeEvent({
        title: "JsonParseException: Unexpected character ('<' (code 60))",
        body: "Released web@2.4.1 in production; error came back in the evening.",
        metadata: {
          culprit: "com.brightcart.search.autocomplete.SuggestClient in fetchSuggestions",
        },
      }),
    );
    expect(keys(entities, "function")).toEqual(["fetchSuggestions"]);
    const swift = extractEntities(
      makeEvent({
        metadata: {
          culprit: "AnalyticsTracker.track(_:properties:)",
          function: "AnalyticsTracker.track(_:properties:)",
        },
      }),
    );
    expect(keys(swift, "function")).toEqual(["AnalyticsTracker.track"]);
  });

  it("treats Node and Apple error codes as errors, not environment variables", () => {
    const entities = extractEntities(
      makeEvent({
        title: "Error [ERR_HTTP_HEADERS_SENT]: Cannot set headers",
        body: "EXC_BAD_ACCESS (KERN_INVALID_ADDRESS) after DATABASE_URL changed",
      }),
    );
    expect(keys(entities, "error_type")).toEqual([
      "ERR_HTTP_HEADERS_SENT",
      "EXC_BAD_ACCESS",
      "KERN_INVALID_ADDRESS",
    ]);
    expect(keys(entities, "env_var")).toEqual(["DATABASE_URL"]);
  });

  it("keeps non-ASCII emails and provider non-paths out of handles and files", () => {
    const entities = extractEntities(
      makeEvent({
        title: "ValidationError: value is not a valid email address",
        body: "input_value='zoë@brightcart', input_type=str",
        metadata: { filename: "webpack/runtime/css loading" },
      }),
    );
    expect(keys(entities, "handle")).toEqual([]);
    expect(keys(entities, "file")).toEqual([]);
  });

  it("dedupes by category and key and orders by category, then key, whatever the text order", () => {
    const a = makeEvent({
      title: "CHECKOUT-7 and PAYMENTS-API-1F",
      body: "then checkout-7 again: CHECKOUT-7",
    });
    const b = makeEvent({ title: "PAYMENTS-API-1F and CHECKOUT-7", body: "CHECKOUT-7 again" });
    expect(extractEntities(a)).toEqual(extractEntities(b));
    const all = extractEntities(nodeError);
    const ids = all.map((e) => `${e.category}:${e.key}`);
    expect(new Set(ids).size).toBe(ids.length);
    const ranks = all.map((e) => entityCategories.indexOf(e.category));
    expect([...ranks].sort((x, y) => x - y)).toEqual(ranks);
  });

  it("reads bare source files of Java, Python and Swift frames, never version numbers", () => {
    const entities = extractEntities(
      makeEvent({
        title: "SocketTimeoutException: 30,000 milliseconds timeout",
        body: [
          "Location: QueryExecutor.java in execute",
          "Top in-app frames (innermost first):",
          "  AnalyticsTracker.swift in AnalyticsTracker.track(_:properties:) at line 363",
          "Release: 2.4.1 in production",
        ].join("\n"),
        metadata: { filename: "tokens.py", function: "refresh" },
      }),
    );
    expect(keys(entities, "file")).toEqual([
      "AnalyticsTracker.swift",
      "QueryExecutor.java",
      "tokens.py",
    ]);
  });

  it("recognises short ids by shape", () => {
    for (const id of ["PAYMENTS-API-1F", "CHECKOUT-7", "FRONT-END-9", "SEARCH-SERVICE-5Y"]) {
      expect(looksLikeShortId(id), id).toBe(true);
    }
    for (const id of ["UTF-8", "WEB-CHECKOUT", "checkout-7", "STRIPE_SECRET_KEY", "X-1"]) {
      expect(looksLikeShortId(id), id).toBe(false);
    }
  });
});
