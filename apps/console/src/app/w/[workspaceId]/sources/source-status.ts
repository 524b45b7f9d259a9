import type {
  SentryInstallationKind,
  SourceConnectionStatus,
  SourceEventFilter,
} from "@db/console";
import { type PayloadStatus, payloadStatuses } from "@db/console/schema";

/** How a status reads at a glance; the page maps each tone to its colours. */
export type Tone = "default" | "muted" | "warning" | "destructive";

export interface StatusLabel {
  label: string;
  tone: Tone;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Below this a token that refreshes itself is at risk of lapsing before the next refresh. */
const TOKEN_WARNING_MS = HOUR_MS;

/** A span as the page says it: "45 s", "12 min", "5 h", "3 days"; always rounded down. */
export function formatSpan(ms: number): string {
  const span = Math.max(0, ms);
  if (span < MINUTE_MS) return `${Math.floor(span / 1000)} s`;
  if (span < HOUR_MS) return `${Math.floor(span / MINUTE_MS)} min`;
  if (span < DAY_MS) return `${Math.floor(span / HOUR_MS)} h`;
  const days = Math.floor(span / DAY_MS);
  return days === 1 ? "1 day" : `${days} days`;
}

/** "just now", "12 min ago", "in 5 h"; relative to `now` so a render and its test agree. */
export function formatRelative(date: Date, now: Date): string {
  const delta = now.getTime() - date.getTime();
  if (Math.abs(delta) < MINUTE_MS) return "just now";
  return delta > 0 ? `${formatSpan(delta)} ago` : `in ${formatSpan(-delta)}`;
}

/**
 * The full instant for a tooltip, in UTC: the server renders it, and the reader's time zone is not known
 * there.
 */
export function formatTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/**
 * What the OAuth token means for the connection. Sentry's tokens live eight hours and are refreshed
 * before they lapse, so one that has lapsed means refreshing failed and only a new authorization helps.
 */
export function tokenStatus(
  connection: {
    kind: SentryInstallationKind | null;
    tokenExpiresAt: Date | null;
    tokenState?: "none" | "active" | "needs_reauth" | "revoked";
    tokenReason?: string | null;
  },
  now: Date,
): StatusLabel {
  if (connection.tokenState === "needs_reauth") {
    const reason = connection.tokenReason ? `: ${connection.tokenReason}` : "";
    return { label: `Needs re-auth${reason}`, tone: "destructive" };
  }
  if (connection.tokenState === "revoked") {
    return { label: "Tokens deleted (uninstalled or disconnected)", tone: "muted" };
  }
  if (connection.kind === "internal") {
    return { label: "Internal integration: fixed token, no OAuth", tone: "muted" };
  }
  if (connection.tokenExpiresAt === null) {
    return { label: "Not connected through OAuth yet", tone: "muted" };
  }
  const left = connection.tokenExpiresAt.getTime() - now.getTime();
  if (left <= 0) return { label: "Needs re-auth", tone: "destructive" };
  const label = `Expires in ${formatSpan(left)}`;
  return { label, tone: left < TOKEN_WARNING_MS ? "warning" : "default" };
}

export function connectionStatusLabel(status: SourceConnectionStatus): StatusLabel {
  switch (status) {
    case "active":
      return { label: "Active", tone: "default" };
    case "pending":
      return { label: "Pending", tone: "warning" };
    case "revoked":
      return { label: "Revoked", tone: "destructive" };
    default: {
      const unknown: never = status;
      throw new Error(`unknown connection status ${String(unknown)}`);
    }
  }
}

export function payloadStatusLabel(status: PayloadStatus): StatusLabel {
  switch (status) {
    case "pending":
      return { label: "Pending", tone: "muted" };
    case "processing":
      return { label: "Processing", tone: "muted" };
    case "done":
      return { label: "Captured", tone: "default" };
    case "failed":
      return { label: "Failed", tone: "destructive" };
    case "filtered":
      return { label: "Filtered out", tone: "muted" };
    case "ignored":
      return { label: "Ignored", tone: "muted" };
    case "duplicate":
      return { label: "Duplicate", tone: "muted" };
    case "below_threshold":
      return { label: "Below threshold", tone: "muted" };
    default: {
      const unknown: never = status;
      throw new Error(`unknown payload status ${String(unknown)}`);
    }
  }
}

export interface StatusCountRow extends StatusLabel {
  status: PayloadStatus;
  count: number;
}

/** Only the statuses that occurred, in pipeline order: a table of zeros says less than its absence. */
export function statusCountRows(counts: Record<PayloadStatus, number>): StatusCountRow[] {
  return payloadStatuses
    .filter((status) => (counts[status] ?? 0) > 0)
    .map((status) => ({ status, count: counts[status], ...payloadStatusLabel(status) }));
}

/**
 * The event filter in words. `allEvents` is what the provider captures by default, so a config that
 * lists every one of them reads the same as one that lists none.
 */
export function describeEventFilter(
  filter: SourceEventFilter,
  allEvents: readonly string[],
): { events: string; level: string } {
  const events = filter.events;
  const everything = events === null || allEvents.every((e) => events.includes(e));
  return {
    events: everything
      ? "All event types"
      : events.length === 0
        ? "No event types (nothing is captured)"
        : events.map((e) => e.replaceAll("_", " ")).join(", "),
    level: filter.minLevel ? `Level ${filter.minLevel} and above` : "Every level",
  };
}
