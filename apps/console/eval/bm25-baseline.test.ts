import { describe, expect, it } from "vitest";
import { buildCorpus, rankKeys, tokenize } from "./bm25-baseline";

const installation = { uuid: "inst-1" };
const sentry = { type: "application", id: "sentry", name: "Sentry" };
const project = { id: "1", slug: "payments-api", name: "payments-api" };

function issue(id: string, shortId: string, title: string, action = "created") {
  const data = { issue: { id, shortId, title, project, level: "error", status: "unresolved" } };
  return {
    resource: "issue",
    body: JSON.stringify({ action, installation, data, actor: sentry }),
  };
}

function errorEvent(issueId: string, eventId: string, title: string) {
  const error = {
    issue_id: issueId,
    event_id: eventId,
    title,
    level: "error",
    project: 1,
    datetime: "2026-02-02T10:00:00+00:00",
  };
  return {
    resource: "error",
    body: JSON.stringify({ action: "created", installation, data: { error }, actor: sentry }),
  };
}

function metricAlert(id: string, rule: string) {
  const data = {
    metric_alert: { id, alert_rule: { id: "456", name: rule }, title: rule },
    description_text: "p95 above 2s",
  };
  return {
    resource: "metric_alert",
    body: JSON.stringify({ action: "critical", installation, data }),
  };
}

describe("tokenize", () => {
  it("lowercases, folds accents and splits on non-alphanumerics", () => {
    expect(tokenize("Zoë's TimeoutError: /api/v1_search!")).toEqual([
      "zoe",
      "s",
      "timeouterror",
      "api",
      "v1",
      "search",
    ]);
  });
});

describe("buildCorpus", () => {
  it("keys error events by their issue's shortId, even when the error arrives first", () => {
    const corpus = buildCorpus([
      errorEvent("100", "e1", "TimeoutError in checkout"),
      issue("100", "PAY-1", "TimeoutError: gateway did not answer"),
      errorEvent("200", "e2", "KeyError in orphan"),
      metricAlert("789", "Checkout latency"),
      { resource: "installation", body: JSON.stringify({ action: "created", installation }) },
    ]);
    expect(corpus.documents.map((d) => d.key)).toEqual(["PAY-1", "PAY-1", "200", "alert:789"]);
    expect(corpus.skipped).toBe(1);
  });
});

describe("rankKeys", () => {
  const corpus = buildCorpus([
    issue("1", "WEB-1", "Hydration mismatch on the product page"),
    issue("2", "PAY-2", "Card declined by the payment gateway"),
    errorEvent("2", "e2", "Card declined again for a returning customer"),
    issue("3", "SRCH-3", "Elasticsearch cluster unreachable"),
    metricAlert("789", "Checkout latency above two seconds"),
  ]);

  it("ranks documents holding the query terms above those without", () => {
    const keys = rankKeys(corpus, "card declined");
    expect(keys[0]).toBe("PAY-2");
    // Each key once, and documents matching no term are not returned at all.
    expect(keys).toEqual(["PAY-2"]);
    expect(rankKeys(corpus, "checkout latency")).toEqual(["alert:789"]);
  });

  it("matches whole tokens only", () => {
    // `decline` must not match inside `declined`, nor `search` inside `elasticsearch`.
    expect(rankKeys(corpus, "decline")).toEqual([]);
    expect(rankKeys(corpus, "search")).toEqual([]);
    expect(rankKeys(corpus, "Elasticsearch CLUSTER")).toEqual(["SRCH-3"]);
  });

  it("returns nothing for a query with no terms", () => {
    expect(rankKeys(corpus, "?!")).toEqual([]);
  });
});
