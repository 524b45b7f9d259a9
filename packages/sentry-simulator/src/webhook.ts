import { hmacSha256Hex } from "@repo/webhooks";
import { randomHex } from "./http";

/**
 * Sentry serializes webhook bodies compactly with non-ASCII escaped as `\uXXXX` (Python's json.dumps
 * with ensure_ascii). JSON.stringify output only holds non-ASCII characters inside strings, so escaping
 * them afterwards gives the same bytes.
 */
export function sentryJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new Error("webhook body is not JSON-serializable");
  return text.replace(
    /[\u0080-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The five headers Sentry sends; the signature covers the exact body bytes and nothing else. */
export function sentryHeaders(
  resource: string,
  rawBody: string,
  clientSecret: string,
  nowMs: number,
): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "Request-ID": randomHex(16),
    "Sentry-Hook-Resource": resource,
    "Sentry-Hook-Timestamp": String(Math.floor(nowMs / 1000)),
    "Sentry-Hook-Signature": hmacSha256Hex(clientSecret, rawBody),
  };
}

/**
 * One delivery attempt, as Sentry makes it: POST, redirects not followed, given up after `timeoutMs`.
 * A string body is sent as is (so fixtures keep their exact bytes); anything else is serialized.
 * No retries: the caller sees the single attempt's answer or error.
 */
export function postWebhook(opts: {
  url: string;
  resource: string;
  body: unknown;
  clientSecret: string;
  nowMs: number;
  timeoutMs: number;
}): Promise<Response> {
  const raw = typeof opts.body === "string" ? opts.body : sentryJson(opts.body);
  return fetch(opts.url, {
    method: "POST",
    headers: sentryHeaders(opts.resource, raw, opts.clientSecret, opts.nowMs),
    body: raw,
    redirect: "manual",
    signal: AbortSignal.timeout(opts.timeoutMs),
  });
}
