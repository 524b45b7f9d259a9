import {
  type Database,
  type DatabaseKind,
  getUserSourceTokens,
  listUserSourcesExpiringBefore,
  markUserSourceNeedsReauth,
  rotateUserSourceTokens,
  type UserSource,
} from "@db/console";
import { type Keyring, open, seal } from "@repo/secrets";
import { sql } from "drizzle-orm";
import {
  jwtBearerGrant,
  refreshGrant,
  SentryApiError,
  type SentryAppConfig,
  type SentryTokenGrant,
} from "./oauth-client";

/** Refresh ahead of expiry: an 8-hour token is renewed once under 30 minutes remain. */
export const REFRESH_MARGIN_MS = 30 * 60_000;

/** The connection cannot be used until someone authorises it again (shown on the Sources page). */
export class SentryNeedsReauthError extends Error {
  constructor(
    readonly installationId: string,
    readonly reason: string,
  ) {
    super(`Sentry installation ${installationId} needs to be connected again: ${reason}`);
    this.name = "SentryNeedsReauthError";
  }
}

export class SentryNotConnectedError extends Error {
  constructor(readonly installationId: string) {
    super(`Sentry installation ${installationId} has no stored token: connect it first`);
    this.name = "SentryNotConnectedError";
  }
}

/** What makes a refresh due: a token Sentry refused, or expiry within a window. */
type Due = { stale?: string | undefined; dueWithinMs?: number };

export interface SentryTokenDeps {
  db: Database;
  databaseKind: DatabaseKind;
  keyring: Keyring;
  config: SentryAppConfig;
  now?: () => number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Every Sentry API call gets its token here. A refresh rotates the pair and deletes the old one, so two
 * refreshes of one installation must never race: callers in this process share one in-flight refresh,
 * and on a Postgres server a transaction-scoped advisory lock extends that across processes (PGlite is a
 * single session, where holding a transaction through an HTTP call would stall every other query; there
 * the compare-and-set write plus the re-read on a rejected refresh settle a rare cross-process race).
 */
export class SentryTokenService {
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly now: () => number;

  constructor(private readonly deps: SentryTokenDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * A usable access token. `stale`: a token Sentry just refused (401); unless the stored one already
   * differs from it, the pair is refreshed now whatever its expiry says.
   */
  async accessToken(installationId: string, options: { stale?: string } = {}): Promise<string> {
    const row = await this.row(installationId);
    const token = this.openAccess(row);
    if (this.usable(row, token, { stale: options.stale })) return token;
    return this.refresh(installationId, { stale: options.stale });
  }

  /**
   * Refreshes the pair once, whoever asks and however many ask at the same time. With `stale`, only if
   * the stored token is still that one (Sentry refused it); without, only if it lapses within
   * `dueWithinMs` (default: the 30-minute margin).
   */
  refresh(installationId: string, due: Due = {}): Promise<string> {
    let pending = this.inFlight.get(installationId);
    if (!pending) {
      pending = this.locked(installationId, () => this.rotate(installationId, due)).finally(() =>
        this.inFlight.delete(installationId),
      );
      this.inFlight.set(installationId, pending);
    }
    return pending;
  }

  /** A token stays in use while it is not due for renewal and is not the one Sentry just refused. */
  private usable(row: UserSource, token: string, due: Due): boolean {
    if (due.stale !== undefined) return token !== due.stale;
    const margin = due.dueWithinMs ?? REFRESH_MARGIN_MS;
    return row.expiresAt === null || row.expiresAt.getTime() - this.now() > margin;
  }

  /** The cron's work: every active pair lapsing within `withinMs` is renewed now. */
  async refreshExpiring(withinMs = 60 * 60_000): Promise<{ refreshed: number; failed: number }> {
    const due = await listUserSourcesExpiringBefore(this.deps.db, {
      provider: "sentry",
      before: new Date(this.now() + withinMs),
    });
    let refreshed = 0;
    let failed = 0;
    for (const source of due) {
      try {
        await this.refresh(source.installationId, { dueWithinMs: withinMs });
        refreshed++;
      } catch (error) {
        failed++;
        this.deps.log?.("sentry token refresh failed", {
          installation: source.installationId,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return { refreshed, failed };
  }

  private async row(installationId: string): Promise<UserSource> {
    const row = await getUserSourceTokens(this.deps.db, { provider: "sentry", installationId });
    if (!row?.accessTokenSealed) throw new SentryNotConnectedError(installationId);
    if (row.status === "needs_reauth") {
      throw new SentryNeedsReauthError(installationId, row.statusReason ?? "authorisation lapsed");
    }
    return row;
  }

  private openAccess(row: UserSource): string {
    return open(this.deps.keyring, row.accessTokenSealed!);
  }

  private async locked<T>(installationId: string, fn: () => Promise<T>): Promise<T> {
    if (this.deps.databaseKind !== "postgres") return fn();
    return this.deps.db.transaction(async (tx) => {
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtext(${`sentry-token:${installationId}`}))`,
      );
      return fn();
    });
  }

  private async rotate(installationId: string, due: Due): Promise<string> {
    // Read again under the lock: another caller or process may have rotated while this one waited.
    const row = await this.row(installationId);
    const current = this.openAccess(row);
    if (this.usable(row, current, due) || !row.refreshTokenSealed) return current;
    const refreshToken = open(this.deps.keyring, row.refreshTokenSealed);
    let grant: SentryTokenGrant;
    try {
      grant = await refreshGrant(this.deps.config, { installationId, refreshToken });
    } catch (error) {
      if (!(error instanceof SentryApiError) || error.kind === "server") throw error;
      // Rejected: rotated by someone else (use theirs), or rotated by a refresh whose answer was lost.
      // No answer: Sentry may have rotated already. Either way the old refresh token is unusable.
      const current = await getUserSourceTokens(this.deps.db, {
        provider: "sentry",
        installationId,
      });
      if (current?.accessTokenSealed && current.refreshTokenSealed !== row.refreshTokenSealed) {
        return this.openAccess(current);
      }
      grant = await this.manualRefresh(row, error);
    }
    return this.persist(row, grant);
  }

  private async manualRefresh(row: UserSource, cause: SentryApiError): Promise<SentryTokenGrant> {
    try {
      return await jwtBearerGrant(this.deps.config, {
        installationId: row.installationId,
        nowMs: this.now(),
      });
    } catch (error) {
      if (error instanceof SentryApiError && error.kind === "rejected") {
        const reason = `Sentry refused to renew the token (${cause.detail ?? cause.message}); connect Sentry again`;
        await markUserSourceNeedsReauth(this.deps.db, { id: row.id, reason });
        this.deps.log?.("sentry connection needs re-authorisation", {
          installation: row.installationId,
        });
        throw new SentryNeedsReauthError(row.installationId, reason);
      }
      throw error;
    }
  }

  private async persist(row: UserSource, grant: SentryTokenGrant): Promise<string> {
    const written = await rotateUserSourceTokens(this.deps.db, {
      id: row.id,
      previousRefreshTokenSealed: row.refreshTokenSealed,
      accessTokenSealed: seal(this.deps.keyring, grant.token),
      refreshTokenSealed: seal(this.deps.keyring, grant.refreshToken),
      expiresAt: new Date(grant.expiresAt),
    });
    if (written) return grant.token;
    // Another process stored a pair after ours was issued; ours deleted theirs at Sentry only if it came
    // later, in which case theirs fails on use and is refreshed again. Prefer what is stored.
    const current = await this.row(row.installationId);
    return this.openAccess(current);
  }
}
