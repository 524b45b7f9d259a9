import type { SourceEvent } from "@repo/schemas";
import { describe, expect, it } from "vitest";
import { sentryEventAllowed, sentryLevelRank } from "./filter";
import { type SentrySourceConfig, sentrySourceConfigSchema } from "./schema";
import { clone, loadFixture, transformFixture, transformPayload } from "./transform/test-helpers";

const config = (overrides: Record<string, unknown> = {}): SentrySourceConfig =>
  sentrySourceConfigSchema.parse({
    sourceType: "sentry",
    organizationSlug: "test-org",
    ...overrides,
  });

const withLevel = (event: SourceEvent, level: string): SourceEvent => ({
  ...event,
  metadata: { ...event.metadata, level },
});

describe("sentryLevelRank", () => {
  it("orders Sentry levels from debug to fatal", () => {
    expect(sentryLevelRank).toEqual({ debug: 0, info: 1, warning: 2, error: 3, fatal: 4 });
  });
});

describe("sentryEventAllowed", () => {
  const issue = transformFixture("issue.created.json"); // project front-end, level error
  const error = transformFixture("error.created.json"); // project front-end, level error
  const comment = transformFixture("comment.created.json"); // project sentry, no level
  const alert = transformFixture("synthesized/metric_alert.critical.json"); // organization baz

  it("allows everything under the default configuration", () => {
    for (const event of [issue, error, comment, alert]) {
      expect(sentryEventAllowed(event, config())).toEqual({ allowed: true });
    }
  });

  it("drops resources the workspace does not sync", () => {
    const onlyIssues = config({ sync: { events: ["issue"] } });
    expect(sentryEventAllowed(issue, onlyIssues)).toEqual({ allowed: true });
    expect(sentryEventAllowed(error, onlyIssues)).toEqual({
      allowed: false,
      reason: "error events are not synced for this integration",
    });
    expect(sentryEventAllowed(comment, onlyIssues).allowed).toBe(false);
  });

  it("drops levels below the minimum and lets level-less events through", () => {
    const warningUp = config({
      sync: { events: ["issue", "error", "comment", "metric_alert"], minLevel: "warning" },
    });
    expect(sentryEventAllowed(issue, warningUp)).toEqual({ allowed: true });
    expect(sentryEventAllowed(withLevel(issue, "warning"), warningUp)).toEqual({ allowed: true });
    expect(sentryEventAllowed(withLevel(error, "info"), warningUp)).toEqual({
      allowed: false,
      reason: "level info is below the minimum warning",
    });
    expect(sentryEventAllowed(comment, warningUp)).toEqual({ allowed: true });
    expect(sentryEventAllowed(alert, warningUp)).toEqual({ allowed: true });
    const fatalOnly = config({ sync: { events: ["issue"], minLevel: "fatal" } });
    expect(sentryEventAllowed(issue, fatalOnly).allowed).toBe(false);
    expect(sentryEventAllowed(withLevel(issue, "fatal"), fatalOnly).allowed).toBe(true);
  });

  it("filters by project slug when projects are chosen", () => {
    const frontEnd = config({ projectSlugs: ["front-end"] });
    expect(sentryEventAllowed(issue, frontEnd)).toEqual({ allowed: true });
    expect(sentryEventAllowed(error, frontEnd)).toEqual({ allowed: true });
    expect(sentryEventAllowed(comment, frontEnd)).toEqual({
      allowed: false,
      reason: "project sentry is not synced for this integration",
    });
    expect(sentryEventAllowed(comment, config({ projectSlugs: ["sentry"] }))).toEqual({
      allowed: true,
    });
  });

  it("rejects, with a reason, an event that names no project when projects are chosen", () => {
    const event = transformFixture("integration-platform-example/event_alert.triggered.json");
    expect(event.metadata.project).toBeUndefined();
    expect(sentryEventAllowed(event, config())).toEqual({ allowed: true });
    expect(sentryEventAllowed(event, config({ projectSlugs: ["front-end"] }))).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("names no project"),
    });
  });

  describe("metric alerts, which carry no project id", () => {
    it("pass the project filter in their own organisation", () => {
      expect(
        sentryEventAllowed(alert, config({ organizationSlug: "baz", projectSlugs: ["front-end"] })),
      ).toEqual({
        allowed: true,
      });
    });

    it("pass it when the organisation is unknown", () => {
      const payload = clone(loadFixture("synthesized/metric_alert.critical.json"));
      delete payload.data.web_url;
      const anonymous = transformPayload("metric_alert", payload);
      expect(anonymous.metadata.organization).toBeUndefined();
      expect(sentryEventAllowed(anonymous, config({ projectSlugs: ["front-end"] }))).toEqual({
        allowed: true,
      });
    });

    it("are rejected, with a reason, only when they name another organisation", () => {
      expect(sentryEventAllowed(alert, config({ projectSlugs: ["front-end"] }))).toEqual({
        allowed: false,
        reason: "metric alert belongs to organization baz, not test-org",
      });
    });
  });
});
