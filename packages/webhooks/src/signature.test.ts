import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sentrySignature } from "./providers/sentry/verify";
import { checkFreshness, hmacSha256Hex, verifySignature } from "./signature";

const fixtures = path.resolve(import.meta.dirname, "../../../../shared/fixtures/sentry");
const vectors = JSON.parse(
  readFileSync(path.join(fixtures, "signature-test-vectors.json"), "utf8"),
) as {
  cases: {
    name: string;
    secret: string;
    raw_body: string;
    expected_signature_hex: string;
    json_stringify_of_parsed_body_equals_raw: boolean;
  }[];
};

const headers = (init: Record<string, string>) => new Headers(init);

describe("shared signature module with Sentry's scheme", () => {
  for (const c of vectors.cases) {
    it(`verifies the raw bytes of ${c.name}`, () => {
      expect(hmacSha256Hex(c.secret, c.raw_body)).toBe(c.expected_signature_hex);
      const h = headers({ "sentry-hook-signature": c.expected_signature_hex });
      expect(
        verifySignature(sentrySignature, { secret: c.secret, body: c.raw_body, headers: h }),
      ).toEqual({
        ok: true,
      });
      const reserialized = JSON.stringify(JSON.parse(c.raw_body));
      const result = verifySignature(sentrySignature, {
        secret: c.secret,
        body: reserialized,
        headers: h,
      });
      // A re-serialization only verifies when it happens to reproduce Sentry's exact bytes.
      expect(result.ok).toBe(c.json_stringify_of_parsed_body_equals_raw);
    });
  }

  const c = vectors.cases[0]!;
  it("accepts the older Sentry-App-Signature header", () => {
    const h = headers({ "sentry-app-signature": c.expected_signature_hex });
    expect(
      verifySignature(sentrySignature, { secret: c.secret, body: c.raw_body, headers: h }).ok,
    ).toBe(true);
  });

  it("rejects a tampered body, a wrong secret, a malformed or missing signature", () => {
    const h = headers({ "sentry-hook-signature": c.expected_signature_hex });
    const verify = (secret: string, body: string, hh: Headers) =>
      verifySignature(sentrySignature, { secret, body, headers: hh });
    expect(verify(c.secret, c.raw_body.replace("adding", "Adding"), h)).toEqual({
      ok: false,
      reason: "bad-signature",
    });
    expect(verify(`${c.secret}0`, c.raw_body, h)).toEqual({ ok: false, reason: "bad-signature" });
    expect(verify(c.secret, c.raw_body, headers({ "sentry-hook-signature": "abc" }))).toEqual({
      ok: false,
      reason: "bad-signature",
    });
    expect(
      verify(
        c.secret,
        c.raw_body,
        headers({ "sentry-hook-signature": c.expected_signature_hex.toUpperCase() }),
      ).ok,
    ).toBe(true);
    expect(verify(c.secret, c.raw_body, headers({}))).toEqual({
      ok: false,
      reason: "missing-signature",
    });
  });

  it("bounds the unsigned timestamp: 5 minutes old, 1 minute ahead", () => {
    const now = new Date("2026-03-04T08:00:00Z");
    const at = (offsetSeconds: number) =>
      headers({ "sentry-hook-timestamp": String(now.getTime() / 1000 + offsetSeconds) });
    expect(checkFreshness(sentrySignature, at(-299), now)).toEqual({ ok: true });
    expect(checkFreshness(sentrySignature, at(-301), now)).toEqual({
      ok: false,
      reason: "stale-timestamp",
    });
    expect(checkFreshness(sentrySignature, at(59), now)).toEqual({ ok: true });
    expect(checkFreshness(sentrySignature, at(61), now)).toEqual({
      ok: false,
      reason: "future-timestamp",
    });
    expect(checkFreshness(sentrySignature, headers({}), now)).toEqual({
      ok: false,
      reason: "missing-timestamp",
    });
    expect(
      checkFreshness(sentrySignature, headers({ "sentry-hook-timestamp": "soon" }), now),
    ).toEqual({
      ok: false,
      reason: "bad-timestamp",
    });
  });
});
