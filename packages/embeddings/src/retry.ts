export interface RetryPolicy {
  /** Total tries including the first one. */
  maxAttempts: number;
  /** Backoff before the second try; doubles each time, with full jitter. */
  baseDelayMs: number;
  /** Ceiling for computed backoff and for a server's retry-after, so one header cannot stall a caller. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * The wait a server asked for, in milliseconds, or undefined when it did not ask. OpenAI sends
 * `retry-after-ms` (precise) next to the standard `retry-after`, which is seconds or an HTTP date.
 */
export function parseRetryAfter(
  headers: HeaderSource | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get("retry-after");
  if (after === null || after.trim() === "") return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with "equal jitter" (half the ceiling fixed, half random): clients that failed
 * together must not retry together, yet none retries instantly into the same overload. A server's
 * retry-after wins when it is present.
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
