import { SentryApiError } from "./oauth-client";
import type { SentryTokenService } from "./tokens";

/** Sentry's rate-limit headers on an API answer, when it sent them. */
export interface SentryRateLimit {
  limit?: number;
  remaining?: number;
  /** When the window resets, as epoch milliseconds. */
  resetAt?: number;
}

export function rateLimitOf(headers: Headers): SentryRateLimit {
  const number = (name: string) => {
    const value = Number(headers.get(name));
    return headers.has(name) && Number.isFinite(value) ? value : undefined;
  };
  const reset = number("x-sentry-rate-limit-reset");
  return {
    limit: number("x-sentry-rate-limit-limit"),
    remaining: number("x-sentry-rate-limit-remaining"),
    resetAt: reset === undefined ? undefined : reset * 1000,
  };
}

/** The cursor of Sentry's next page from its `Link` header, or null on the last page. */
export function nextCursor(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(",")) {
    if (!/rel="next"/.test(part)) continue;
    if (!/results="true"/.test(part)) return null;
    return /cursor="([^"]+)"/.exec(part)?.[1] ?? null;
  }
  return null;
}

/**
 * A Sentry REST client for one installation. Every call takes its token from the token service; a 401
 * means the token died early (revoked, or rotated elsewhere), so the pair is refreshed and the call sent
 * once more, never in a loop.
 */
export function sentryClient(params: {
  baseUrl: string;
  installationId: string;
  tokens: SentryTokenService;
}) {
  const base = `${params.baseUrl.replace(/\/+$/, "")}/api/0`;

  async function send(path: string, init: RequestInit, token: string): Promise<Response> {
    try {
      return await fetch(`${base}${path}`, {
        ...init,
        headers: { accept: "application/json", ...init.headers, authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SentryApiError(
        "network",
        undefined,
        undefined,
        `Sentry did not answer ${path}: ${reason}`,
      );
    }
  }

  return {
    async request(path: string, init: RequestInit = {}): Promise<Response> {
      const token = await params.tokens.accessToken(params.installationId);
      const first = await send(path, init, token);
      if (first.status !== 401) return first;
      await first.body?.cancel();
      const renewed = await params.tokens.accessToken(params.installationId, { stale: token });
      return send(path, init, renewed);
    },
  };
}

export type SentryClient = ReturnType<typeof sentryClient>;
