import { describe, expect, it } from "vitest";
import {
  sentryCapturedResources,
  sentryResources,
  sentrySourceType,
  sentrySourceTypes,
  sentrySupportedActions,
} from "./events";

describe("the Sentry event catalogue", () => {
  it("maps each supported pair to its sourceType, folding archived into ignored", () => {
    expect(sentrySourceType("issue", "created")).toBe("issue.created");
    expect(sentrySourceType("issue", "archived")).toBe("issue.ignored");
    expect(sentrySourceType("metric_alert", "open")).toBe("metric_alert.open");
    expect(sentrySourceType("issue", "merged")).toBeUndefined();
    expect(sentrySourceType("installation", "created")).toBeUndefined();
    expect(sentrySourceType("seer", "root_cause_completed")).toBeUndefined();
  });

  it("lists every emitted sourceType exactly once, and nothing else", () => {
    const emitted = new Set(
      sentryCapturedResources.flatMap((resource) =>
        sentrySupportedActions[resource].map((action) => sentrySourceType(resource, action)),
      ),
    );
    expect([...emitted].sort()).toEqual([...sentrySourceTypes].sort());
    expect(new Set(sentrySourceTypes).size).toBe(sentrySourceTypes.length);
    expect(sentrySourceTypes).toHaveLength(14);
  });

  it("captures a subset of the resources Sentry sends", () => {
    for (const resource of sentryCapturedResources) expect(sentryResources).toContain(resource);
  });
});
