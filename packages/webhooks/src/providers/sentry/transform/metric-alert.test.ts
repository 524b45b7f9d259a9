import { describe, expect, it } from "vitest";
import { SentryPayloadError } from "./shared";
import {
  clone,
  loadFixture,
  RECEIVED_AT,
  refsOf,
  transformFixture,
  transformPayload,
} from "./test-helpers";

const incidentOf = (payload: { data: Record<string, unknown> }) =>
  payload.data.metric_alert as Record<string, unknown>;

describe("metric_alert", () => {
  it("turns the documented resolved example into an alert event", () => {
    const event = transformFixture("metric_alert.resolved.json");
    expect(event).toMatchObject({
      sourceType: "metric_alert.resolved",
      sourceId: "sentry:metric_alert:4:resolved",
      title: "Metric alert resolved: Sacred Marmot",
      actor: null,
      // date_closed is null in the example, so the delivery time stands in.
      occurredAt: RECEIVED_AT.toISOString(),
    });
    expect(refsOf(event, "alert")).toEqual([
      {
        type: "alert",
        id: "4",
        url: "https://sentry.io/organizations/baz/alerts/1/",
        label: "Sacred Marmot",
      },
    ]);
    expect(refsOf(event, "project")).toEqual([{ type: "project", id: "bar", label: "bar" }]);
    // The documented literal backslash-n becomes a line break.
    expect(event.body).toContain(
      "Resolved: Too many errors\n1000 events in the last 10 minutes\nFilter: level:error",
    );
    expect(event.body).toContain("Alert rule: Too many errors");
    expect(event.body).toContain("Metric: count()");
    expect(event.body).toContain("Incident: #1 (id 4)");
    expect(event.metadata).toMatchObject({
      alertStatus: "resolved",
      incidentStatus: "closed",
      alertId: "4",
      alertRuleId: "7",
      organization: "baz",
      organizationId: "5",
      projects: ["bar"],
    });
    expect(event.metadata.level).toBeUndefined();
  });

  it("dates a resolution by date_closed when Sentry sends it", () => {
    const payload = clone(loadFixture("metric_alert.resolved.json"));
    incidentOf(payload).date_closed = "2020-09-13T13:01:02.500000Z";
    expect(transformPayload("metric_alert", payload).occurredAt).toBe("2020-09-13T13:01:02.500Z");
  });

  it.each([
    ["synthesized/metric_alert.critical.json", "critical"],
    ["synthesized/metric_alert.warning.json", "warning"],
  ])("keys %s by incident and action", (fixture, action) => {
    const event = transformFixture(fixture);
    expect(event.sourceType).toBe(`metric_alert.${action}`);
    expect(event.sourceId).toBe(`sentry:metric_alert:4:${action}`);
    expect(event.title).toBe(`Metric alert ${action}: Sacred Marmot`);
    expect(event.metadata).toMatchObject({ alertStatus: action, incidentStatus: action });
    expect(event.occurredAt).toBe(RECEIVED_AT.toISOString());
  });

  it("handles the example app's mocks, whose status code contradicts the action", () => {
    const event = transformFixture("metric_alert.critical.json");
    expect(event.sourceId).toBe("sentry:metric_alert:789:critical");
    expect(event.title).toBe("Metric alert critical: metric alert");
    expect(refsOf(event, "alert")).toEqual([{ type: "alert", id: "789", label: "metric alert" }]);
    expect(event.body).toContain("5 events in the last 10 minutes");
    expect(event.metadata).toMatchObject({
      alertStatus: "critical",
      incidentStatus: "closed",
      organization: "example",
    });
    expect(transformFixture("metric_alert.warning.json").sourceId).toBe(
      "sentry:metric_alert:789:warning",
    );
  });

  it("keeps the phases of one incident apart", () => {
    const ids = ["critical", "warning", "resolved"].map(
      (action) =>
        transformFixture(`integration-platform-example/metric_alert.${action}.json`).sourceId,
    );
    expect(new Set(ids).size).toBe(3);
  });

  it("captures the rarely sent open action", () => {
    const payload = clone(loadFixture("synthesized/metric_alert.critical.json"));
    payload.action = "open";
    const event = transformPayload("metric_alert", payload);
    expect(event.sourceType).toBe("metric_alert.open");
    expect(event.sourceId).toBe("sentry:metric_alert:4:open");
  });

  it("lists thresholds from the rule's triggers", () => {
    const payload = clone(loadFixture("synthesized/metric_alert.critical.json"));
    (incidentOf(payload).alert_rule as Record<string, unknown>).triggers = [
      { label: "critical", alert_threshold: 2000.0 },
      { label: "warning", alert_threshold: 1500.0 },
    ];
    expect(transformPayload("metric_alert", payload).body).toContain(
      "Thresholds: critical 2000, warning 1500",
    );
  });

  it("throws SentryPayloadError without an incident id", () => {
    const payload = clone(loadFixture("metric_alert.resolved.json"));
    delete incidentOf(payload).id;
    expect(() => transformPayload("metric_alert", payload)).toThrow(SentryPayloadError);
    expect(() => transformPayload("metric_alert", payload)).toThrow(/data\.metric_alert\.id/);
  });
});
