import { payloadStatuses } from "@db/console/schema";
import { sentryCapturedResources } from "@repo/webhooks/sentry";
import { describe, expect, it } from "vitest";
import {
  connectionStatusLabel,
  describeEventFilter,
  formatRelative,
  formatSpan,
  formatTimestamp,
  payloadStatusLabel,
  statusCountRows,
  tokenStatus,
} from "../src/app/w/[workspaceId]/sources/source-status";

const NOW = new Date("2026-03-02T12:00:00.000Z");
const later = (ms: number) => new Date(NOW.getTime() + ms);
const MIN = 60_000;
const HOUR = 60 * MIN;

describe("formatSpan and formatRelative", () => {
  it("rounds down to the largest unit", () => {
    expect(formatSpan(45_000)).toBe("45 s");
    expect(formatSpan(12 * MIN + 59_000)).toBe("12 min");
    expect(formatSpan(5 * HOUR + 59 * MIN)).toBe("5 h");
    expect(formatSpan(36 * HOUR)).toBe("1 day");
    expect(formatSpan(3 * 24 * HOUR)).toBe("3 days");
    expect(formatSpan(-5)).toBe("0 s");
  });

  it("says how long ago, or how long until", () => {
    expect(formatRelative(later(-30_000), NOW)).toBe("just now");
    expect(formatRelative(later(30_000), NOW)).toBe("just now");
    expect(formatRelative(later(-12 * MIN), NOW)).toBe("12 min ago");
    expect(formatRelative(later(-3 * HOUR), NOW)).toBe("3 h ago");
    expect(formatRelative(later(5 * HOUR), NOW)).toBe("in 5 h");
  });

  it("gives the full instant in UTC", () => {
    expect(formatTimestamp(new Date("2026-03-02T11:55:07.123Z"))).toBe("2026-03-02 11:55:07 UTC");
  });
});

describe("tokenStatus", () => {
  it("counts down an OAuth token's eight hours", () => {
    expect(
      tokenStatus({ kind: "public", tokenExpiresAt: later(5 * HOUR + 10 * MIN) }, NOW),
    ).toEqual({ label: "Expires in 5 h", tone: "default" });
    expect(tokenStatus({ kind: "public", tokenExpiresAt: later(20 * MIN) }, NOW)).toEqual({
      label: "Expires in 20 min",
      tone: "warning",
    });
  });

  it("asks for re-auth once the token has lapsed", () => {
    for (const expiresAt of [NOW, later(-HOUR)]) {
      expect(tokenStatus({ kind: "public", tokenExpiresAt: expiresAt }, NOW)).toEqual({
        label: "Needs re-auth",
        tone: "destructive",
      });
    }
  });

  it("says when there is no OAuth token at all", () => {
    expect(tokenStatus({ kind: "public", tokenExpiresAt: null }, NOW)).toEqual({
      label: "Not connected through OAuth yet",
      tone: "muted",
    });
    expect(tokenStatus({ kind: null, tokenExpiresAt: null }, NOW).label).toBe(
      "Not connected through OAuth yet",
    );
    expect(tokenStatus({ kind: "internal", tokenExpiresAt: null }, NOW).label).toMatch(/internal/i);
  });
});

describe("status labels", () => {
  it("labels every connection status", () => {
    expect(connectionStatusLabel("active")).toEqual({ label: "Active", tone: "default" });
    expect(connectionStatusLabel("pending").tone).toBe("warning");
    expect(connectionStatusLabel("revoked").tone).toBe("destructive");
  });

  it("labels every payload status, failures as destructive", () => {
    const labels = payloadStatuses.map((s) => payloadStatusLabel(s).label);
    expect(new Set(labels).size).toBe(payloadStatuses.length);
    expect(payloadStatusLabel("failed").tone).toBe("destructive");
    expect(payloadStatusLabel("done").label).toBe("Captured");
  });

  it("keeps only the statuses that occurred, in pipeline order", () => {
    const counts = Object.fromEntries(payloadStatuses.map((s) => [s, 0])) as Record<
      (typeof payloadStatuses)[number],
      number
    >;
    counts.failed = 2;
    counts.done = 7;
    counts.below_threshold = 1;
    expect(statusCountRows(counts).map((r) => [r.status, r.count, r.label])).toEqual([
      ["done", 7, "Captured"],
      ["failed", 2, "Failed"],
      ["below_threshold", 1, "Below threshold"],
    ]);
    counts.failed = 0;
    counts.done = 0;
    counts.below_threshold = 0;
    expect(statusCountRows(counts)).toEqual([]);
  });
});

describe("describeEventFilter", () => {
  it("reads a missing or complete list as everything", () => {
    const all = describeEventFilter({ events: null, minLevel: null }, sentryCapturedResources);
    expect(all).toEqual({ events: "All event types", level: "Every level" });
    expect(
      describeEventFilter(
        { events: [...sentryCapturedResources], minLevel: null },
        sentryCapturedResources,
      ).events,
    ).toBe("All event types");
  });

  it("names a partial list and the minimum level", () => {
    expect(
      describeEventFilter(
        { events: ["issue", "metric_alert"], minLevel: "warning" },
        sentryCapturedResources,
      ),
    ).toEqual({ events: "issue, metric alert", level: "Level warning and above" });
  });

  it("warns that an empty list captures nothing", () => {
    expect(
      describeEventFilter({ events: [], minLevel: null }, sentryCapturedResources).events,
    ).toMatch(/nothing is captured/);
  });
});

describe("tokenStatus from the stored credentials", () => {
  it("says a rejected refresh needs re-auth, with the reason, whatever the expiry", () => {
    expect(
      tokenStatus(
        {
          kind: "public",
          tokenExpiresAt: new Date(NOW.getTime() + 5 * 3_600_000),
          tokenState: "needs_reauth",
          tokenReason: "Sentry refused to renew the token",
        },
        NOW,
      ),
    ).toEqual({ label: "Needs re-auth: Sentry refused to renew the token", tone: "destructive" });
    expect(
      tokenStatus({ kind: "public", tokenExpiresAt: null, tokenState: "revoked" }, NOW).label,
    ).toMatch(/deleted/);
  });
});
