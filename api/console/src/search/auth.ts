import { type ApiKeySummary, type Executor, touchApiKey, verifyApiKey } from "@db/console";

/** Last-used times are written at most this often per key, so a busy key does not write on every call. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The workspace of a request is decided by its API key alone: no header, body field or query parameter
 * can name another. The header is parsed here and never logged.
 */
export async function authenticate(
  db: Executor,
  authorization: string | null,
  touched: Map<string, number>,
): Promise<ApiKeySummary | undefined> {
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match?.[1]) return undefined;
  const key = await verifyApiKey(db, { secret: match[1] });
  if (!key) return undefined;
  const now = Date.now();
  if ((touched.get(key.id) ?? 0) + TOUCH_EVERY_MS <= now) {
    touched.set(key.id, now);
    // Best effort: a failed bookkeeping write must not fail the search.
    await touchApiKey(db, { keyId: key.id }).catch(() => {});
  }
  return key;
}

/**
 * A token bucket per API key: `perMinute` requests a minute, with bursts up to that many. In memory, so
 * per process: enough for one console; several instances would share a store instead.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: number) {}

  /** Takes one token, or says how many seconds until one is free. */
  take(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const rate = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000)),
    };
  }
}
