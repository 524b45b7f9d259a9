import { describe, expect, it } from "vitest";
import { baseSignificance, webhookProvider } from "../../registry";
import { isSentryCapturedResource, sentrySourceTypes } from "./events";
import { sentrySignificance } from "./significance";
import { transformSentryWebhook } from "./transform";
import { loadFixture, RECEIVED_AT, resourceOf, webhookFixtures } from "./transform/test-helpers";

describe("Sentry significance weights", () => {
  it("gives every Sentry source type its own weight through the registry", () => {
    for (const sourceType of sentrySourceTypes) {
      const weight = baseSignificance("sentry", sourceType);
      expect(weight, sourceType).toBe(sentrySignificance[sourceType]);
      expect(weight, sourceType).toBeGreaterThanOrEqual(0);
      expect(weight, sourceType).toBeLessThanOrEqual(100);
    }
    expect(Object.keys(sentrySignificance).sort()).toEqual([...sentrySourceTypes].sort());
    expect(webhookProvider("sentry").significance).toBe(sentrySignificance);
  });

  // The earlier registry was keyed by names the transformers never emit, so every lookup missed and
  // every event got the same default weight. Equal weights are the symptom; these catch it.
  it("does not weigh every source type the same", () => {
    const weights = sentrySourceTypes.map((sourceType) => baseSignificance("sentry", sourceType));
    expect(new Set(weights).size).toBeGreaterThan(1);
    const weight = (sourceType: (typeof sentrySourceTypes)[number]) =>
      baseSignificance("sentry", sourceType) ?? Number.NaN;
    expect(weight("metric_alert.critical")).toBeGreaterThan(weight("metric_alert.warning"));
    expect(weight("event_alert.triggered")).toBeGreaterThan(weight("issue.created"));
    expect(weight("issue.created")).toBeGreaterThan(weight("issue.assigned"));
    expect(weight("issue.assigned")).toBeGreaterThan(weight("issue.ignored"));
    expect(weight("comment.created")).toBeGreaterThan(weight("comment.deleted"));
  });

  it("finds a weight for the sourceType of every event the transformers produce from the fixtures", () => {
    const weighed = webhookFixtures()
      .filter((fixture) => isSentryCapturedResource(resourceOf(fixture)))
      .map((fixture) => {
        const result = transformSentryWebhook({
          resource: resourceOf(fixture),
          payload: loadFixture(fixture),
          receivedAt: RECEIVED_AT,
        });
        if (result.kind !== "event") throw new Error(`${fixture}: ${result.reason}`);
        const { source, sourceType } = result.event;
        return { fixture, sourceType, weight: baseSignificance(source, sourceType) };
      });
    expect(weighed.length).toBeGreaterThan(20);
    for (const { fixture, weight } of weighed) expect(weight, fixture).toBeTypeOf("number");
    expect(new Set(weighed.map(({ weight }) => weight)).size).toBeGreaterThan(3);
    // `issue.archived` deliveries are folded into `issue.ignored`, and weighed as such.
    expect(baseSignificance("sentry", "issue.archived")).toBeUndefined();
  });

  it("answers undefined for an unknown source or source type, including prototype names", () => {
    expect(baseSignificance("github", "push.created")).toBeUndefined();
    expect(baseSignificance("sentry", "installation.created")).toBeUndefined();
    expect(baseSignificance("sentry", "constructor")).toBeUndefined();
    expect(baseSignificance("sentry", "__proto__")).toBeUndefined();
    expect(baseSignificance("constructor", "issue.created")).toBeUndefined();
    expect(baseSignificance("toString", "issue.created")).toBeUndefined();
  });
});
