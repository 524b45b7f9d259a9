import { sourceEventSchema } from "@repo/schemas";
import { describe, expect, it } from "vitest";
import { isSentryCapturedResource, sentrySourceTypes } from "../events";
import { SentryPayloadError, transformSentryWebhook } from "./index";
import { clone, loadFixture, RECEIVED_AT, resourceOf, webhookFixtures } from "./test-helpers";

const transform = (resource: string, payload: unknown) =>
  transformSentryWebhook({ resource, payload, receivedAt: RECEIVED_AT });

describe("transformSentryWebhook over every fixture", () => {
  const fixtures = webhookFixtures();

  it("finds the fixtures", () => {
    // 22 at the top level, 16 example-app mocks, 10 synthesized.
    expect(fixtures.length).toBeGreaterThanOrEqual(48);
  });

  it.each(fixtures)("%s", (fixture) => {
    const resource = resourceOf(fixture);
    const result = transform(resource, loadFixture(fixture));
    if (!isSentryCapturedResource(resource)) {
      expect(result.kind).toBe("unsupported");
      if (result.kind === "unsupported") expect(result.reason).toContain(`Sentry ${resource}.`);
      return;
    }
    expect(result.kind).toBe("event");
    if (result.kind !== "event") return;
    expect(sourceEventSchema.parse(result.event)).toEqual(result.event);
    expect(result.event.source).toBe("sentry");
    expect(sentrySourceTypes).toContain(result.event.sourceType);
    expect(result.event.sourceType.startsWith(`${resource}.`)).toBe(true);
    expect(result.event.sourceId.startsWith(`sentry:${resource}:`)).toBe(true);
  });
});

describe("what is not captured", () => {
  it.each([
    ["installation", "installation.created.json"],
    ["installation", "synthesized/installation.deleted.json"],
    ["seer", "seer.root_cause_completed.json"],
    ["preprod_artifact", "preprod_artifact.size_analysis_completed.json"],
  ])("%s (%s) is unsupported with a reason", (resource, fixture) => {
    const result = transform(resource, loadFixture(fixture));
    expect(result).toMatchObject({ kind: "unsupported" });
    if (result.kind === "unsupported") expect(result.reason.length).toBeGreaterThan(20);
  });

  it("does not throw for an unknown resource", () => {
    expect(transform("uptime_monitor", { action: "failed" })).toEqual({
      kind: "unsupported",
      reason: "Sentry uptime_monitor.failed: unknown resource",
    });
  });

  it("does not throw for an unknown action of a captured resource", () => {
    const payload = clone(loadFixture("issue.created.json"));
    payload.action = "merged";
    expect(transform("issue", payload)).toEqual({
      kind: "unsupported",
      reason: "Sentry issue.merged: action is not captured",
    });
  });
});

describe("malformed deliveries", () => {
  it("throws SentryPayloadError for a broken envelope", () => {
    expect(() => transform("issue", null)).toThrow(SentryPayloadError);
    const noInstallation = clone(loadFixture("issue.created.json"));
    delete noInstallation.installation;
    expect(() => transform("issue", noInstallation)).toThrow(/envelope is malformed.*installation/);
    const badData = clone(loadFixture("issue.created.json"));
    (badData as Record<string, unknown>).data = "nope";
    expect(() => transform("issue", badData)).toThrow(SentryPayloadError);
  });

  it("accepts an envelope without actor, as in the example app's mocks", () => {
    expect(transform("issue", loadFixture("issue.resolved.json")).kind).toBe("event");
  });

  it("exposes the event name and the issues on the error", () => {
    const payload = clone(loadFixture("comment.created.json"));
    payload.data = { comment: "orphan" };
    try {
      transform("comment", payload);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SentryPayloadError);
      const e = error as SentryPayloadError;
      expect(e.eventName).toBe("comment.created");
      expect(e.issues.some((issue) => issue.startsWith("data.comment_id"))).toBe(true);
    }
  });

  it("never lets an invalid URL or email drop an event", () => {
    const payload = clone(loadFixture("issue.created.json"));
    const issue = payload.data.issue as Record<string, unknown>;
    issue.permalink = "not a url";
    issue.assignedTo = { type: "user", id: "9", name: "X", email: "not-an-email" };
    const result = transform("issue", payload);
    expect(result.kind).toBe("event");
    if (result.kind === "event") {
      expect(result.event.references.find((ref) => ref.type === "issue")?.url).toBeUndefined();
      expect(result.event.references.find((ref) => ref.type === "assignee")?.id).toBe("9");
    }
  });
});
