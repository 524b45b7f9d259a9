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

const errorOf = (payload: { data: Record<string, unknown> }) =>
  payload.data.error as Record<string, unknown>;

const frame = (filename: string, fn: string, lineno: number, inApp: boolean) => ({
  filename,
  function: fn,
  lineno,
  in_app: inApp,
});

describe("error.created", () => {
  it("turns the documented example into an event keyed by event_id", () => {
    const event = transformFixture("error.created.json");
    expect(event).toMatchObject({
      sourceType: "error.created",
      sourceId: "sentry:error:bb78c1407cea4519aa397afc059c793d",
      title: "ReferenceError: blooopy is not defined",
      actor: null,
      occurredAt: "2019-08-19T20:58:37.391Z",
    });
    expect(refsOf(event, "issue")).toEqual([
      {
        type: "issue",
        id: "1170820242",
        url: "https://sentry.io/organizations/test-org/issues/1170820242/",
      },
    ]);
    expect(refsOf(event, "project")).toEqual([
      { type: "project", id: "front-end", label: "front-end" },
    ]);
    expect(refsOf(event, "release")).toEqual([]);
    for (const fragment of [
      "Culprit: ?(runner)",
      "Level: error",
      "Project: front-end",
      "Handled: no",
      "Mechanism: onerror",
      "Sentry issue: 1170820242",
      // No frame is in-app here, so the innermost frames stand in.
      "Top frames (innermost first):\n  /runner at line 3",
    ]) {
      expect(event.body).toContain(fragment);
    }
    expect(event.metadata).toMatchObject({
      level: "error",
      project: "front-end",
      projectId: "1",
      organization: "test-org",
      issueId: "1170820242",
      eventId: "bb78c1407cea4519aa397afc059c793d",
      errorType: "ReferenceError",
      platform: "javascript",
      handled: false,
      action: "created",
      installationUuid: "a8e5d37a-696c-4c54-adb5-b3f28d64c7de",
    });
  });

  it("reads epoch-second floats when there is no ISO datetime", () => {
    const payload = clone(loadFixture("error.created.json"));
    delete errorOf(payload).datetime;
    expect(transformPayload("error", payload).occurredAt).toBe("2019-08-19T20:58:37.391Z");
    delete errorOf(payload).timestamp;
    // A whole float such as 1770305703.0 parses to an integer; it is still seconds.
    errorOf(payload).received = JSON.parse("1770305703.0");
    expect(transformPayload("error", payload).occurredAt).toBe("2026-02-05T15:35:03.000Z");
    delete errorOf(payload).received;
    expect(transformPayload("error", payload).occurredAt).toBe(RECEIVED_AT.toISOString());
  });

  it("accepts +00:00 datetimes", () => {
    const payload = clone(loadFixture("error.created.json"));
    errorOf(payload).datetime = "2026-02-02T23:57:51.387000+00:00";
    expect(transformPayload("error", payload).occurredAt).toBe("2026-02-02T23:57:51.387Z");
  });

  it("lists the innermost in-app frames first and skips library frames", () => {
    const payload = clone(loadFixture("error.created.json"));
    errorOf(payload).exception = {
      values: [
        {
          type: "RangeError",
          value: "Invalid time value",
          stacktrace: {
            // Oldest first, as Sentry sends them.
            frames: [
              frame("node_modules/react-dom/client.js", "dispatchEvent", 2454, false),
              frame("src/app/checkout/page.tsx", "CheckoutPage", 252, true),
              frame("src/checkout/delivery-slot-picker.tsx", "formatSlotLabel", 215, true),
              frame("node_modules/date-fns/format.js", "format", 10, false),
            ],
          },
        },
      ],
    };
    const body = transformPayload("error", payload).body;
    expect(body).toContain(
      "Top in-app frames (innermost first):\n" +
        "  src/checkout/delivery-slot-picker.tsx in formatSlotLabel at line 215\n" +
        "  src/app/checkout/page.tsx in CheckoutPage at line 252",
    );
    expect(body).not.toContain("react-dom");
    expect(body).not.toContain("date-fns");
  });

  it("names chained causes and takes the release from the tags", () => {
    const payload = clone(loadFixture("error.created.json"));
    const error = errorOf(payload);
    error.metadata = null;
    error.exception = {
      values: [
        { type: "ConnectionRefusedError", value: "[Errno 111] Connection refused" },
        { type: "OperationalError", value: "could not connect to server" },
      ],
    };
    error.tags = [
      ["release", "payments-api@1.2.3"],
      ["environment", "staging"],
    ];
    const event = transformPayload("error", payload);
    expect(event.title).toBe("OperationalError: could not connect to server");
    expect(event.body).toContain(
      "Caused by: ConnectionRefusedError: [Errno 111] Connection refused",
    );
    expect(refsOf(event, "release")).toEqual([{ type: "release", id: "payments-api@1.2.3" }]);
    expect(event.metadata).toMatchObject({ release: "payments-api@1.2.3", environment: "staging" });
  });

  it("gives a retry the same sourceId", () => {
    const a = transformFixture("error.created.json");
    const b = transformFixture("error.created.json", new Date("2030-01-02T03:09:05Z"));
    expect(b.sourceId).toBe(a.sourceId);
  });

  it("throws SentryPayloadError without an event_id", () => {
    const payload = clone(loadFixture("error.created.json"));
    delete errorOf(payload).event_id;
    expect(() => transformPayload("error", payload)).toThrow(SentryPayloadError);
    expect(() => transformPayload("error", payload)).toThrow(/data\.error\.event_id/);
  });
});
