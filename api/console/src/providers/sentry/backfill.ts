import {
  createBackfillUnlessUnfinished,
  type Database,
  getBackfill,
  getIntegrationByExternalId,
  getUserSourceTokens,
  type InsertPayloadParams,
  listUnfinishedBackfills,
  newId,
  recordBackfillPage,
  type SourceBackfill,
  setBackfillStatus,
  sha256Hex,
} from "@db/console";
import { webhookProvider } from "@repo/webhooks";
import { captureDecision } from "../../webhooks/emit";
import { payloadWriter } from "../../webhooks/payload-writer";
import type { WorkflowEngine } from "../../workflows/engine";
import { nextCursor, rateLimitOf, sentryClient } from "./client";
import { SentryApiError } from "./oauth-client";
import { SentryNeedsReauthError, SentryNotConnectedError, type SentryTokenService } from "./tokens";

/*
 * What a backfill asks Sentry's organization issue list for. Without `query` Sentry applies its default
 * `is:unresolved`, and an empty `query=` is its documented way to ask for every issue. Without a date
 * range it searches only the last 14 days; `statsPeriod=90d` widens that to 90 (most plans' retention).
 * `sort=new` orders by first seen, which never changes: under the default `date` (last seen) an issue
 * that gets a new event while we page jumps to the front and could be missed. 100 is the largest page.
 */
export const BACKFILL_QUERY = "";
export const BACKFILL_STATS_PERIOD = "90d";
export const BACKFILL_SORT = "new";
export const BACKFILL_PAGE_SIZE = 100;

/** The envelope actor of a backfilled issue: an application, so the transform attributes it to no person. */
export const BACKFILL_ACTOR = { type: "application", id: "backfill", name: "backfill" } as const;

/** Waiting out a rate limit: never hammer (at least 1 s), never stall a worker for long (at most 60 s). */
const MIN_WAIT_MS = 1_000;
const MAX_WAIT_MS = 60_000;
/** Sentry always sends the rate-limit headers; this is for an answer that has none. */
const DEFAULT_WAIT_MS = 10_000;
/** Backoff of the in-process driver before each retry of a page that threw. */
export const RETRY_DELAYS_MS = [1_000, 5_000, 25_000] as const;

export interface BackfillDeps {
  db: Database;
  workflows: Pick<WorkflowEngine, "dispatch">;
  tokens: SentryTokenService;
  /** Sentry's base URL (SENTRY_URL), without `/api/0`. */
  baseUrl: string;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface BackfillPageResult {
  /** Nothing more to do: every page is read, or the backfill failed (its row says why). */
  done: boolean;
  /** How long to pause before the next page: Sentry's rate limit is spent. */
  waitMs?: number;
  /** Issues stored from this page. */
  items: number;
  /** Sentry answered 429: no page was read, the same cursor is asked again after `waitMs`. */
  rateLimited?: boolean;
}

export function backfillIssuesPath(organizationSlug: string, cursor: string | null): string {
  const params = new URLSearchParams({
    query: BACKFILL_QUERY,
    statsPeriod: BACKFILL_STATS_PERIOD,
    sort: BACKFILL_SORT,
    limit: String(BACKFILL_PAGE_SIZE),
  });
  if (cursor) params.set("cursor", cursor);
  return `/organizations/${encodeURIComponent(organizationSlug)}/issues/?${params.toString()}`;
}

/** An issue from the REST list as Sentry's `issue.created` webhook would carry it (same serializer). */
export function issueCreatedBody(installationId: string, issue: unknown) {
  return {
    action: "created",
    installation: { uuid: installationId },
    data: { issue },
    actor: BACKFILL_ACTOR,
  };
}

const clampWait = (ms: number) => Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, Math.ceil(ms)));

/** A 429's pause: `Retry-After` (seconds, or an HTTP date), else the window's reset time. */
function retryAfterMs(headers: Headers, nowMs: number): number {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return clampWait(seconds * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return clampWait(at - nowMs);
  }
  const { resetAt } = rateLimitOf(headers);
  return clampWait(resetAt === undefined ? DEFAULT_WAIT_MS : resetAt - nowMs);
}

async function detailOf(response: Response): Promise<string | undefined> {
  const text = await response.text().catch(() => "");
  try {
    const detail = (JSON.parse(text) as { detail?: unknown }).detail;
    return typeof detail === "string" ? detail.slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}

/** Marks the backfill failed: the error is kept for the Sources page and the page loop ends. */
async function fail(
  deps: BackfillDeps,
  backfill: { id: string; installationId?: string },
  message: string,
): Promise<BackfillPageResult> {
  await setBackfillStatus(deps.db, { id: backfill.id, status: "failed", error: message });
  deps.log?.("sentry backfill failed", {
    backfill: backfill.id,
    installation: backfill.installationId,
    reason: message,
  });
  return { done: true, items: 0 };
}

/**
 * Reads one page of the organization's issues at the backfill's saved cursor and captures each issue
 * exactly as an `issue.created` webhook would be, then saves the next cursor. A lost connection or a 5xx
 * throws for the caller to retry; anything a retry cannot fix (no connection, a refused token, another
 * 4xx) fails the backfill.
 */
export async function backfillPage(
  deps: BackfillDeps,
  params: { backfillId: string },
): Promise<BackfillPageResult> {
  const row = await getBackfill(deps.db, { id: params.backfillId });
  if (!row) {
    deps.log?.("sentry backfill not found", { backfill: params.backfillId });
    return { done: true, items: 0 };
  }
  switch (row.status) {
    case "done":
    case "failed":
      return { done: true, items: 0 };
    case "queued":
      await setBackfillStatus(deps.db, { id: row.id, status: "running" });
      break;
    case "running":
      break;
    default: {
      const unknown: never = row.status;
      throw new Error(`backfill ${row.id} has unknown status ${String(unknown)}`);
    }
  }
  if (row.provider !== "sentry") return fail(deps, row, `not a Sentry backfill (${row.provider})`);

  let response: Response;
  try {
    const source = await getUserSourceTokens(deps.db, {
      provider: "sentry",
      installationId: row.installationId,
    });
    if (!source) throw new SentryNotConnectedError(row.installationId);
    const organization = source.providerMetadata.organizationSlug;
    if (typeof organization !== "string" || organization === "") {
      return fail(deps, row, "the connection does not name its Sentry organization; connect again");
    }
    const client = sentryClient({
      baseUrl: deps.baseUrl,
      installationId: row.installationId,
      tokens: deps.tokens,
    });
    response = await client.request(backfillIssuesPath(organization, row.cursor));
  } catch (error) {
    if (error instanceof SentryNeedsReauthError || error instanceof SentryNotConnectedError) {
      return fail(deps, row, error.message);
    }
    throw error;
  }

  const nowMs = (deps.now?.() ?? new Date()).getTime();
  if (response.status === 429) {
    await response.body?.cancel();
    return {
      done: false,
      waitMs: retryAfterMs(response.headers, nowMs),
      items: 0,
      rateLimited: true,
    };
  }
  if (response.status >= 400 && response.status < 500) {
    const detail = await detailOf(response);
    const said = `${response.status}${detail ? `: ${detail}` : ""}`;
    return fail(
      deps,
      row,
      response.status === 401
        ? `Sentry refused the connection's token (${said}); connect Sentry again`
        : `Sentry refused the issue list (${said})`,
    );
  }
  if (!response.ok) {
    const detail = await detailOf(response);
    throw new SentryApiError(
      "server",
      response.status,
      detail,
      `Sentry answered ${response.status} to the issue list`,
    );
  }
  const issues: unknown = await response.json().catch(() => undefined);
  if (!Array.isArray(issues)) {
    throw new SentryApiError("server", response.status, undefined, "unreadable issue list");
  }

  await captureIssues(deps, row, issues, new Date(nowMs));
  const next = nextCursor(response.headers.get("link"));
  await recordBackfillPage(deps.db, { id: row.id, items: issues.length, nextCursor: next });
  if (next === null) {
    await setBackfillStatus(deps.db, { id: row.id, status: "done" });
    deps.log?.("sentry backfill done", { backfill: row.id, installation: row.installationId });
    return { done: true, items: issues.length };
  }
  const { remaining, resetAt } = rateLimitOf(response.headers);
  if (remaining === 0) {
    return {
      done: false,
      items: issues.length,
      waitMs: clampWait(resetAt === undefined ? DEFAULT_WAIT_MS : resetAt - nowMs),
    };
  }
  return { done: false, items: issues.length };
}

/**
 * Stores one payload row per issue (the same SourceEvent and sourceId as the real webhook, so capture
 * dedupes the two) and dispatches the pending ones. Rows are keyed by their body's hash, so a page read
 * again after a crash stores nothing new; its rows still pending are dispatched again, because the crash
 * may have come before their dispatch and the event id makes a second one harmless.
 */
async function captureIssues(
  deps: BackfillDeps,
  row: SourceBackfill,
  issues: unknown[],
  receivedAt: Date,
): Promise<void> {
  const provider = webhookProvider("sentry");
  const integration = await getIntegrationByExternalId(deps.db, {
    provider: "sentry",
    externalId: row.installationId,
  });
  const writer = payloadWriter(deps.db);
  const stored = await Promise.all(
    issues.map((issue) => {
      const payload = issueCreatedBody(row.installationId, issue);
      const body = JSON.stringify(payload);
      const base: InsertPayloadParams = {
        workspaceId: row.workspaceId,
        source: "sentry",
        resource: "issue",
        action: "created",
        headers: {},
        body,
        bodySha256: sha256Hex(body),
        receivedAt,
        ingestionSource: "backfill",
      };
      let decision: ReturnType<typeof captureDecision>;
      try {
        const transformed = provider.transform({ resource: "issue", payload, receivedAt });
        decision = captureDecision(provider, transformed, {
          workspaceId: row.workspaceId,
          integration: integration?.status === "active" ? integration : undefined,
          ingestionSource: "backfill",
        });
      } catch (error) {
        // Kept as failed, like a malformed webhook: one unreadable issue must not stop the rest.
        const message = error instanceof Error ? error.message : String(error);
        return writer.write({ ...base, status: "failed", lastError: message });
      }
      if (decision.status !== "pending") {
        return writer.write({ ...base, status: decision.status, lastError: decision.reason });
      }
      const id = newId("pl");
      return writer.write({
        ...base,
        id,
        status: "pending",
        event: decision.event(id, base.bodySha256!),
      });
    }),
  );
  await Promise.all(
    stored.map(async ({ payload }) => {
      if (payload.status !== "pending" || !payload.event) return;
      const dispatched = await deps.workflows.dispatch({ id: payload.id, event: payload.event });
      if (!dispatched.ok) {
        // Stored and pending: the runner or the sweeper delivers it later.
        deps.log?.("capture dispatch failed; left pending", {
          payloadId: payload.id,
          error: dispatched.error,
        });
      }
    }),
  );
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** One driver per backfill in this process: a second call joins the running one instead of racing it. */
const running = new Map<string, Promise<SourceBackfill>>();

/**
 * The in-process driver: page after page, pausing where Sentry's rate limit says, retrying a page that
 * threw after 1 s, 5 s and 25 s before failing the backfill. Every page's cursor is saved with its
 * items, so a driver started again on a running backfill (after a restart) continues where it stopped.
 * `maxPages` stops after that many pages read, leaving the backfill running.
 */
export function runBackfill(
  deps: BackfillDeps,
  params: { backfillId: string; maxPages?: number },
): Promise<SourceBackfill> {
  let run = running.get(params.backfillId);
  if (!run) {
    run = drive(deps, params).finally(() => running.delete(params.backfillId));
    running.set(params.backfillId, run);
  }
  return run;
}

async function drive(
  deps: BackfillDeps,
  params: { backfillId: string; maxPages?: number },
): Promise<SourceBackfill> {
  const sleep = deps.sleep ?? defaultSleep;
  let pages = 0;
  let failures = 0;
  while (params.maxPages === undefined || pages < params.maxPages) {
    let page: BackfillPageResult;
    try {
      page = await backfillPage(deps, { backfillId: params.backfillId });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const delay = RETRY_DELAYS_MS[failures++];
      if (delay === undefined) {
        await fail(deps, { id: params.backfillId }, message);
        break;
      }
      deps.log?.("sentry backfill page failed; retrying", {
        backfill: params.backfillId,
        attempt: failures,
        reason: message,
      });
      await sleep(delay);
      continue;
    }
    failures = 0;
    if (!page.rateLimited) pages++;
    if (page.done || pages === params.maxPages) break;
    if (page.waitMs) await sleep(page.waitMs);
  }
  const row = await getBackfill(deps.db, { id: params.backfillId });
  if (!row) throw new Error(`backfill ${params.backfillId} does not exist`);
  return row;
}

/**
 * Starts backfilling a connected installation: a new queued backfill, or the one already queued or
 * running for it (never a second). The caller runs it: `runBackfill` in process, or the
 * `sentry-backfill` Inngest function.
 */
export async function startSentryBackfill(
  deps: Pick<BackfillDeps, "db" | "log">,
  params: { workspaceId: string; installationId: string },
): Promise<SourceBackfill> {
  const { backfill, created } = await createBackfillUnlessUnfinished(deps.db, {
    workspaceId: params.workspaceId,
    provider: "sentry",
    installationId: params.installationId,
  });
  if (created) {
    deps.log?.("sentry backfill queued", {
      backfill: backfill.id,
      installation: params.installationId,
    });
  }
  return backfill;
}

/**
 * At the embedded runtime's start: every backfill a stop interrupted runs on from its saved cursor.
 * Resolves when all have finished, so a runtime starts it without awaiting it.
 */
export async function resumeBackfills(deps: BackfillDeps): Promise<SourceBackfill[]> {
  const unfinished = await listUnfinishedBackfills(deps.db, { provider: "sentry" });
  const rows = await Promise.all(
    unfinished.map((row) =>
      runBackfill(deps, { backfillId: row.id }).catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        deps.log?.("sentry backfill could not resume", { backfill: row.id, reason });
        return undefined;
      }),
    ),
  );
  return rows.filter((row) => row !== undefined);
}
