import { describe, expect, it } from "vitest";
import { sourceEventSchema, TITLE_MAX, truncateTitle } from "../src/source-event";

const valid = {
  source: "sentry",
  sourceType: "issue.created",
  sourceId: "sentry:issue:1:created",
  title: "TypeError: x is undefined",
  body: "",
  actor: null,
  occurredAt: "2026-03-01T10:00:00.000Z",
  references: [{ type: "issue", id: "PAYMENTS-API-1F", url: "https://sentry.io/x" }],
  metadata: {},
};

describe("SourceEvent", () => {
  it("accepts a well-formed event and rejects malformed ones", () => {
    expect(sourceEventSchema.parse(valid)).toEqual(valid);
    expect(sourceEventSchema.safeParse({ ...valid, sourceType: "created" }).success).toBe(false);
    expect(sourceEventSchema.safeParse({ ...valid, occurredAt: "yesterday" }).success).toBe(false);
    expect(sourceEventSchema.safeParse({ ...valid, title: "x".repeat(201) }).success).toBe(false);
    expect(
      sourceEventSchema.safeParse({ ...valid, references: [{ type: "nope", id: "1" }] }).success,
    ).toBe(false);
  });

  it("truncates long titles at a word boundary within the cap", () => {
    const long = `StripeCardError: ${"card declined ".repeat(30)}`;
    const cut = truncateTitle(long);
    expect(cut.length).toBeLessThanOrEqual(TITLE_MAX);
    expect(cut.endsWith("…")).toBe(true);
    expect(cut).not.toContain("  ");
    expect(truncateTitle("  short   title ")).toBe("short title");
  });
});
