import { describe, expect, it } from "vitest";
import {
  KEYWORD_BOOST_CAP,
  REFERENCE_CAP,
  SIGNIFICANCE_THRESHOLD,
  scoreSignificance,
} from "../src/significance";
import { makeEvent } from "./make-event";

const BASE = 50;
const score = (overrides: Parameters<typeof makeEvent>[0], base = BASE) =>
  scoreSignificance(makeEvent(overrides), base).score;
const neutral = score({});

describe("scoreSignificance", () => {
  it("returns the base weight untouched when nothing in the event says more", () => {
    const result = scoreSignificance(makeEvent(), BASE);
    expect(result).toEqual({ score: BASE, signals: [] });
  });

  it("orders levels from fatal down to debug, around an unchanged warning", () => {
    const byLevel = (level: string) => score({ metadata: { level } });
    expect(byLevel("fatal")).toBeGreaterThan(byLevel("error"));
    expect(byLevel("error")).toBeGreaterThan(byLevel("warning"));
    expect(byLevel("warning")).toBe(neutral);
    expect(byLevel("info")).toBeLessThan(neutral);
    expect(byLevel("debug")).toBeLessThan(byLevel("info"));
    // Other loggers' names for the same severities, and unknown levels, which carry no signal.
    expect(byLevel("critical")).toBe(byLevel("fatal"));
    expect(byLevel("WARN")).toBe(neutral);
    expect(byLevel("verbose")).toBe(neutral);
  });

  it("raises alarming words and lowers test/staging/flaky noise", () => {
    for (const words of [
      "prod outage on the orders service",
      "the app crashed on launch",
      "possible data loss after migration",
      "payment capture failing",
      "security: token exposed in logs",
      "regression since the last deploy",
      "upstream timeout talking to the carrier",
    ]) {
      expect(score({ title: words }), words).toBeGreaterThan(neutral);
    }
    for (const words of ["test", "staging", "flaky"]) {
      expect(score({ title: `TypeError in ${words} run` }), words).toBeLessThan(neutral);
    }
    // Whole words only: `latest` and `contest` are not tests.
    expect(score({ title: "latest contest results" })).toBe(neutral);
  });

  it("caps the keyword boost however many alarming words appear", () => {
    const alarming = "production outage: crash, data loss, payment and security regression timeout";
    const result = scoreSignificance(makeEvent({ title: alarming }), BASE);
    const boost = result.signals
      .filter((signal) => signal.name.startsWith("keyword:"))
      .reduce((sum, signal) => sum + signal.delta, 0);
    expect(boost).toBe(KEYWORD_BOOST_CAP);
    expect(result.score).toBe(BASE + KEYWORD_BOOST_CAP);
  });

  it("does not read keywords out of links", () => {
    const body = "Details at https://staging.example.com/test/flaky for the team to review.";
    expect(score({ body })).toBe(neutral);
  });

  it("rewards references up to a cap, and code references more", () => {
    const issue = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ type: "issue" as const, id: `ORDERS-${i + 1}` }));
    expect(score({ references: issue(1) })).toBeGreaterThan(neutral);
    expect(score({ references: issue(2) })).toBeGreaterThan(score({ references: issue(1) }));
    expect(score({ references: issue(10) })).toBe(neutral + REFERENCE_CAP);
    expect(score({ references: [{ type: "commit", id: "9f2c1ab" }] })).toBeGreaterThan(
      score({ references: issue(1) }),
    );
    expect(score({ references: [{ type: "release", id: "web@1.2.3" }] })).toBeGreaterThan(
      score({ references: issue(1) }),
    );
  });

  it("penalises a near-empty body and rewards a rich one", () => {
    expect(score({ body: "" })).toBeLessThan(neutral);
    expect(score({ body: "see logs" })).toBeLessThan(neutral);
    const rich = "Worker drained the queue but left orders in a pending state. ".repeat(8);
    expect(rich.length).toBeGreaterThan(400);
    expect(score({ body: rich })).toBeGreaterThan(neutral);
  });

  it("rewards many events and many affected users, reading counts sent as strings", () => {
    expect(score({ metadata: { count: "250" } })).toBeGreaterThan(neutral);
    expect(score({ metadata: { count: 99 } })).toBe(neutral);
    expect(score({ metadata: { userCount: 33 } })).toBeGreaterThan(neutral);
    expect(score({ metadata: { userCount: 9 } })).toBe(neutral);
    expect(score({ metadata: { count: 500, userCount: 40 } })).toBeGreaterThan(
      score({ metadata: { count: 500 } }),
    );
    expect(score({ metadata: { count: "many" } })).toBe(neutral);
  });

  it("clamps to 0..100 and always returns an integer", () => {
    const loud = {
      title: "Production outage: checkout crash",
      body: "Checkout crashed for every customer in production. ".repeat(10),
      metadata: { level: "fatal", count: 5000, userCount: 900 },
      references: [{ type: "commit" as const, id: "9f2c1ab" }],
    };
    expect(score(loud, 95)).toBe(100);
    const quiet = { title: "flaky test on staging", body: "", metadata: { level: "debug" } };
    expect(score(quiet, 5)).toBe(0);
    expect(Number.isInteger(score({}, 47.6))).toBe(true);
    expect(score({}, Number.NaN)).toBe(0);
  });

  it("explains the score: base plus the listed deltas, when not clamped", () => {
    const event = makeEvent({
      title: "TypeError in checkout",
      body: "short",
      metadata: { level: "error", userCount: 12 },
      references: [{ type: "issue", id: "WEB-CHECKOUT-2A" }],
    });
    const result = scoreSignificance(event, 40);
    expect(result.signals.every((signal) => signal.delta !== 0)).toBe(true);
    expect(result.score).toBe(40 + result.signals.reduce((sum, s) => sum + s.delta, 0));
    expect(result.signals.map((signal) => signal.name)).toEqual(
      expect.arrayContaining(["level:error", "keyword:payment", "body:short", "volume:users"]),
    );
  });

  it("puts a fatal production checkout crash above the threshold and a staging debug note below", () => {
    const crash = makeEvent({
      title: "NSInvalidArgumentException: *** -[__NSCFString objectForKey:]: unrecognized selector",
      body: [
        "Culprit: AnalyticsTracker.track(_:properties:)",
        "Level: fatal",
        "Environment: production",
        "Transaction: CheckoutViewController",
        "Handled: no",
      ].join("\n"),
      metadata: { level: "fatal", environment: "production" },
      references: [{ type: "release", id: "com.brightcart.ios@4.12.1+4124" }],
    });
    const note = makeEvent({
      title: "Cache warmed",
      body: "Environment: staging",
      metadata: { level: "debug" },
    });
    expect(scoreSignificance(crash, 45).score).toBeGreaterThanOrEqual(SIGNIFICANCE_THRESHOLD);
    expect(scoreSignificance(note, 45).score).toBeLessThan(SIGNIFICANCE_THRESHOLD);
  });
});
