import { describe, expect, it } from "vitest";
import { sentryEnvelopeSchema, sentrySourceConfigSchema } from "./schema";

describe("sentrySourceConfigSchema", () => {
  it("defaults to every project and every captured resource", () => {
    expect(
      sentrySourceConfigSchema.parse({ sourceType: "sentry", organizationSlug: "acme" }),
    ).toEqual({
      sourceType: "sentry",
      organizationSlug: "acme",
      projectSlugs: [],
      sync: { events: ["issue", "error", "event_alert", "metric_alert", "comment"] },
    });
  });

  it("rejects unknown resources and levels", () => {
    const base = { sourceType: "sentry", organizationSlug: "acme" };
    expect(
      sentrySourceConfigSchema.safeParse({ ...base, sync: { events: ["seer"] } }).success,
    ).toBe(false);
    expect(
      sentrySourceConfigSchema.safeParse({ ...base, sync: { events: [], minLevel: "critical" } })
        .success,
    ).toBe(false);
    expect(sentrySourceConfigSchema.safeParse({ ...base, sourceType: "github" }).success).toBe(
      false,
    );
  });
});

describe("sentryEnvelopeSchema", () => {
  const envelope = { action: "created", installation: { uuid: "u" }, data: {} };

  it("accepts a missing actor and numeric or string actor ids", () => {
    expect(sentryEnvelopeSchema.safeParse(envelope).success).toBe(true);
    for (const id of [1, "sentry"]) {
      const actor = { type: "user", id, name: "n" };
      expect(sentryEnvelopeSchema.safeParse({ ...envelope, actor }).success).toBe(true);
    }
  });

  it("rejects an envelope without installation uuid or with an unknown actor type", () => {
    expect(sentryEnvelopeSchema.safeParse({ ...envelope, installation: {} }).success).toBe(false);
    const actor = { type: "robot", id: 1, name: "n" };
    expect(sentryEnvelopeSchema.safeParse({ ...envelope, actor }).success).toBe(false);
  });
});
