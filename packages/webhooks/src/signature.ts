import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * How a provider signs its deliveries. Providers only configure this; the comparison and the freshness
 * window live here once, so no provider can get them subtly wrong.
 */
export interface SignatureScheme {
  /** Header names that may carry the signature, in order of preference (lower-case). */
  signatureHeaders: readonly string[];
  /** Text before the hex digest, e.g. `sha256=` for GitHub; none for Sentry. */
  prefix?: string;
  /** Unix-seconds timestamp header checked for freshness, if the provider sends one. */
  timestampHeader?: string;
  maxAgeSeconds: number;
  maxFutureSeconds: number;
}

export type SignatureFailure =
  | "missing-signature"
  | "bad-signature"
  | "missing-timestamp"
  | "bad-timestamp"
  | "stale-timestamp"
  | "future-timestamp";

export type SignatureResult = { ok: true } | { ok: false; reason: SignatureFailure };

/** HMAC-SHA256 of the exact bytes received, lowercase hex. */
export function hmacSha256Hex(secret: string, body: string | Buffer): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

export function headerValue(headers: Headers, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/**
 * Freshness alone. The timestamp header is not covered by the signature (Sentry signs only the body), so an
 * attacker replaying a captured body can set any timestamp: this check only bounds accidental and lazy
 * replays, and content dedupe of the stored payload is the real replay guard.
 */
export function checkFreshness(
  scheme: SignatureScheme,
  headers: Headers,
  now: Date = new Date(),
): SignatureResult {
  if (!scheme.timestampHeader) return { ok: true };
  const raw = headers.get(scheme.timestampHeader);
  if (!raw) return { ok: false, reason: "missing-timestamp" };
  const seconds = Number(raw);
  if (!Number.isFinite(seconds)) return { ok: false, reason: "bad-timestamp" };
  const age = now.getTime() / 1000 - seconds;
  if (age > scheme.maxAgeSeconds) return { ok: false, reason: "stale-timestamp" };
  if (-age > scheme.maxFutureSeconds) return { ok: false, reason: "future-timestamp" };
  return { ok: true };
}

/**
 * Verifies the signature over the raw body in constant time. Comparing the decoded digests (not strings)
 * with `timingSafeEqual` leaks nothing about how much of a forged signature was right.
 */
export function verifySignature(
  scheme: SignatureScheme,
  input: { secret: string; body: string | Buffer; headers: Headers },
): SignatureResult {
  const provided = headerValue(input.headers, scheme.signatureHeaders);
  if (!provided) return { ok: false, reason: "missing-signature" };
  const hex = scheme.prefix
    ? provided.startsWith(scheme.prefix)
      ? provided.slice(scheme.prefix.length)
      : ""
    : provided;
  const expected = Buffer.from(hmacSha256Hex(input.secret, input.body), "hex");
  const given = /^[0-9a-fA-F]{64}$/.test(hex) ? Buffer.from(hex, "hex") : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "bad-signature" };
  }
  return { ok: true };
}
