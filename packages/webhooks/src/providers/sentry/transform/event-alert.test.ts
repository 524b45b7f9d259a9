import { describe, expect, it } from "vitest";
import { SentryPayloadError } from "./shared";
import { clone, loadFixture, refsOf, transformFixture, transformPayload } from "./test-helpers";

describe("event_alert.triggered", () => {
  it("names the rule and the error, and references the event's issue", () => {
    const event = transformFixture("event_alert.triggered.json");
    expect(event).toMatchObject({
      sourceType: "event_alert.triggered",
      sourceId: "sentry:event_alert:e4874d664c3540c1a32eab185f12c5ab:Very Important Alert Rule!",
      title: 'Issue alert "Very Important Alert Rule!": ReferenceError: heck is not defined',
      actor: null,
      // The rule fired while Sentry processed the event: `received`, an epoch float.
      occurredAt: "2019-08-19T21:06:17.677Z",
    });
    expect(refsOf(event, "issue")).toEqual([
      {
        type: "issue",
        id: "1117540176",
        url: "https://sentry.io/organizations/test-org/issues/1117540176/",
      },
    ]);
    expect(event.body).toContain('Alert rule "Very Important Alert Rule!" triggered');
    expect(event.body).toContain("Alert settings: channel=#general");
    expect(event.body).toContain("Culprit: ?(<anonymous>)");
    expect(event.metadata).toMatchObject({
      rule: "Very Important Alert Rule!",
      level: "error",
      issueId: "1117540176",
      errorType: "ReferenceError",
      project: "front-end",
    });
  });

  it("copes with the example app's mock, which has no triggered_rule", () => {
    const event = transformFixture("integration-platform-example/event_alert.triggered.json");
    expect(event.sourceId).toBe("sentry:event_alert:def456:unknown rule");
    expect(event.title).toBe('Issue alert "unknown rule": Another Error #1: This is a test error!');
    expect(event.occurredAt).toBe("2022-04-04T18:17:18.320Z");
    expect(refsOf(event, "issue")).toEqual([
      { type: "issue", id: "123", url: "https://sentry.io/organizations/lxyz/issues/123/" },
    ]);
    // The installation's organisation outranks the one in the event's link.
    expect(event.metadata).toMatchObject({ organization: "example", environment: "production" });
  });

  it("takes the rule from the alert-rule-action block", () => {
    const event = transformFixture(
      "integration-platform-example/event_alert.triggered.with_alert_rule_action.json",
    );
    expect(event.sourceId).toBe("sentry:event_alert:def456:issue alert");
    expect(event.metadata).toMatchObject({ rule: "issue alert", ruleId: "456" });
    expect(event.body).toContain(
      "Alert settings: title=Alert Rule Action Item Title, description=Alert Rule Action Item Description, userId=1",
    );
  });

  it("keeps two rules firing on one event apart", () => {
    const payload = loadFixture("event_alert.triggered.json");
    const other = clone(payload);
    other.data.triggered_rule = "Another rule";
    expect(transformPayload("event_alert", other).sourceId).not.toBe(
      transformPayload("event_alert", payload).sourceId,
    );
  });

  it("throws SentryPayloadError without the event", () => {
    const payload = clone(loadFixture("event_alert.triggered.json"));
    delete payload.data.event;
    expect(() => transformPayload("event_alert", payload)).toThrow(SentryPayloadError);
  });
});
