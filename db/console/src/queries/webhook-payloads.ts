import { createHash } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { type Executor, jsonOf, rowsOf } from "../client";
import {
  type NewWebhookPayload,
  type OutboxEvent,
  type PayloadStatus,
  payloadStatuses,
  workspaceWebhookPayloads as payloads,
  type WebhookPayload,
} from "../schema";
import { newId } from "./ids";

export function sha256Hex(body: string): string {
  return createHash("sha256").update(body, "utf8").digest("hex");
}

export type InsertPayloadParams = Omit<
  NewWebhookPayload,
  "id" | "bodySha256" | "attempts" | "stepState" | "lockedUntil" | "processedAt"
> & {
  /** Chosen by the caller when the event it stores must already name the row. */
  id?: string;
  /** `sha256Hex(body)`, when the caller has it already; computed otherwise. */
  bodySha256?: string;
};

/** What the ingest path needs back from a store; not the body, which it already has. */
export type StoredPayload = Pick<WebhookPayload, "id" | "status" | "event" | "bodySha256">;

interface StoredRow {
  id: string;
  status: PayloadStatus;
  event: OutboxEvent | null;
  body_sha256: string;
}

const toStored = (row: StoredRow): StoredPayload => ({
  id: row.id,
  status: row.status,
  event: row.event,
  bodySha256: row.body_sha256,
});

/**
 * Stores a delivery once. The unique (source, body_sha256) key turns a redelivery of the same bytes (Sentry
 * retries with a new Request-ID) into a no-op that hands back the row already stored.
 */
export async function insertWebhookPayload(
  db: Executor,
  params: InsertPayloadParams,
): Promise<{ payload: StoredPayload; duplicate: boolean }> {
  const [result] = await insertWebhookPayloads(db, [params]);
  return result!;
}

/**
 * Stores many deliveries in one statement, answering each in order. This is the webhook's hot path: on
 * PGlite a statement's commit costs more than its rows, so concurrent deliveries share one (group commit);
 * the SQL is written by hand because the query builder costs more than the insert itself, and only the
 * columns the caller needs come back. Rows the statement did not insert were already there (or repeated
 * within the batch): they are duplicates and get the stored row.
 */
export async function insertWebhookPayloads(
  db: Executor,
  batch: readonly InsertPayloadParams[],
): Promise<{ payload: StoredPayload; duplicate: boolean }[]> {
  if (batch.length === 0) return [];
  const rows = batch.map((params) => ({
    params,
    id: params.id ?? newId("pl"),
    sha: params.bodySha256 ?? sha256Hex(params.body),
  }));
  const values = rows.map(
    ({ params, id, sha }) => sql`(${id}, ${params.workspaceId ?? null}, ${params.source},
      ${params.resource}, ${params.action}, ${params.requestId ?? null},
      ${JSON.stringify(params.headers ?? {})}::jsonb, ${params.body}, ${sha},
      ${(params.receivedAt ?? new Date()).toISOString()}::timestamptz, ${params.ingestionSource ?? "webhook"},
      ${params.status ?? "pending"}, ${params.event ? JSON.stringify(params.event) : null}::jsonb,
      ${params.lastError ?? null}, ${(params.nextAttemptAt ?? new Date()).toISOString()}::timestamptz)`,
  );
  // The caller already holds what it inserted; only a duplicate's stored event has to come back.
  const inserted = rowsOf<Pick<StoredRow, "id">>(
    await db.execute(sql`
      insert into ${payloads} (id, workspace_id, source, resource, action, request_id, headers, body,
        body_sha256, received_at, ingestion_source, status, event, last_error, next_attempt_at)
      values ${sql.join(values, sql`, `)}
      on conflict (source, body_sha256) do nothing
      returning id`),
  );
  const insertedIds = new Set(inserted.map((row) => row.id));
  const missing = rows.filter((r) => !insertedIds.has(r.id));
  const existing = new Map<string, StoredRow>();
  if (missing.length > 0) {
    const keys = missing.map((r) => sql`(${r.params.source}, ${r.sha})`);
    const found = rowsOf<StoredRow & { source: string }>(
      await db.execute(sql`
        select id, status, event, body_sha256, source from ${payloads}
        where (source, body_sha256) in (${sql.join(keys, sql`, `)})`),
    );
    for (const row of found) existing.set(`${row.source}:${row.body_sha256}`, row);
  }
  return rows.map(({ params, id, sha }) => {
    if (insertedIds.has(id)) {
      const own = {
        id,
        status: params.status ?? "pending",
        event: params.event ?? null,
        body_sha256: sha,
      };
      return { payload: toStored(own), duplicate: false };
    }
    const stored = existing.get(`${params.source}:${sha}`);
    if (!stored) throw new Error(`payload ${params.source}:${sha} was neither inserted nor found`);
    return { payload: toStored(stored), duplicate: true };
  });
}

export async function getWebhookPayload(
  db: Executor,
  params: { payloadId: string },
): Promise<WebhookPayload | undefined> {
  const [row] = await db.select().from(payloads).where(eq(payloads.id, params.payloadId));
  return row;
}

/** A leased outbox row, as the runner sees it. */
export type ClaimedPayload = Pick<
  WebhookPayload,
  "id" | "workspaceId" | "event" | "stepState" | "attempts" | "nextAttemptAt" | "seq"
>;

/**
 * Leases due rows to one runner. Rows whose lease ran out (a runner that crashed mid-run) are due again,
 * which is how a restart resumes unfinished work. SKIP LOCKED lets several runners share a server database.
 */
export async function claimDuePayloads(
  db: Executor,
  params: {
    limit: number;
    leaseMs: number;
    now?: Date;
    /**
     * Only rows whose event some workflow listens to. A row nothing handles yet stays pending instead of
     * being marked done, so a workflow added later still finds it.
     */
    eventNames?: readonly string[];
  },
): Promise<ClaimedPayload[]> {
  const now = params.now ?? new Date();
  if (params.eventNames && params.eventNames.length === 0) return [];
  const names = params.eventNames
    ? sql`and (event->>'name') in (${sql.join(
        params.eventNames.map((n) => sql`${n}`),
        sql`, `,
      )})`
    : sql``;
  const leaseUntil = new Date(now.getTime() + params.leaseMs);
  // Only what a runner needs: the stored body stays behind (it can be large, and the event carries it).
  const rows = rowsOf<{
    id: string;
    workspace_id: string | null;
    event: OutboxEvent | string | null;
    step_state: Record<string, unknown> | string;
    attempts: number;
    next_attempt_at: string | Date;
    seq: string | number;
  }>(
    await db.execute(sql`
    update ${payloads} set status = 'processing', locked_until = ${leaseUntil.toISOString()}::timestamptz,
      attempts = attempts + 1
    where id in (
      select id from ${payloads}
      where event is not null and (
        (status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz)
        or (status = 'processing' and locked_until < ${now.toISOString()}::timestamptz)
      ) ${names}
      order by next_attempt_at, seq
      limit ${params.limit}
      for update skip locked
    )
    returning id, workspace_id, event, step_state, attempts, next_attempt_at, seq`),
  );
  return (
    rows
      .map(
        (r): ClaimedPayload => ({
          id: r.id,
          workspaceId: r.workspace_id,
          event: r.event === null ? null : jsonOf(r.event),
          stepState: jsonOf(r.step_state),
          attempts: Number(r.attempts),
          nextAttemptAt: new Date(r.next_attempt_at),
          seq: Number(r.seq),
        }),
      )
      // In arrival order: a batch captures an issue's events in the order they came.
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.seq - b.seq)
  );
}

/** Memoises one workflow step's result on the row, so a retry resumes after the steps that finished. */
export async function saveStepResult(
  db: Executor,
  params: { payloadId: string; stepId: string; result: unknown },
): Promise<void> {
  await db
    .update(payloads)
    .set({
      stepState: sql`${payloads.stepState} || jsonb_build_object(${params.stepId}::text, ${JSON.stringify(params.result ?? null)}::jsonb)`,
    })
    .where(eq(payloads.id, params.payloadId));
}

/** A terminal status set by the workflow itself (done, filtered, ignored) or by the runner. */
export async function setPayloadStatus(
  db: Executor,
  params: { payloadId: string; status: PayloadStatus; error?: string | null },
): Promise<void> {
  await setPayloadStatuses(db, { outcomes: [params] });
}

/** Many workflow outcomes in one statement (a capture batch records all of its payloads at once). */
export async function setPayloadStatuses(
  db: Executor,
  params: {
    outcomes: readonly { payloadId: string; status: PayloadStatus; error?: string | null }[];
  },
): Promise<void> {
  if (params.outcomes.length === 0) return;
  const values = params.outcomes.map(
    (o) =>
      sql`(${o.payloadId}, ${o.status}, ${o.error !== undefined}::boolean, ${o.error ?? null}::text)`,
  );
  await db.execute(sql`
    update ${payloads} set
      status = v.status,
      locked_until = null,
      processed_at = case when v.status = 'pending' then null else now() end,
      last_error = case when v.has_error then v.error else ${payloads.lastError} end
    from (values ${sql.join(values, sql`, `)}) as v(id, status, has_error, error)
    where ${payloads.id} = v.id`);
}

/** After a successful run: `done`, unless the workflow already chose a terminal status. */
export async function completePayloads(
  db: Executor,
  params: { payloadIds: readonly string[] },
): Promise<void> {
  if (params.payloadIds.length === 0) return;
  await db
    .update(payloads)
    .set({ status: "done", lockedUntil: null, processedAt: new Date(), lastError: null })
    .where(and(inArray(payloads.id, [...params.payloadIds]), eq(payloads.status, "processing")));
}

/** A failed attempt: back to pending at `retryAt`, or `failed` when there is no retry left. */
export async function failPayloadAttempts(
  db: Executor,
  params: { payloadIds: readonly string[]; error: string; retryAt: Date | null },
): Promise<void> {
  if (params.payloadIds.length === 0) return;
  await db
    .update(payloads)
    .set(
      params.retryAt
        ? {
            status: "pending",
            nextAttemptAt: params.retryAt,
            lockedUntil: null,
            lastError: params.error,
          }
        : { status: "failed", lockedUntil: null, processedAt: new Date(), lastError: params.error },
    )
    .where(inArray(payloads.id, [...params.payloadIds]));
}

export async function attachPayloadEvent(
  db: Executor,
  params: { payloadId: string; event: OutboxEvent },
): Promise<void> {
  await db.update(payloads).set({ event: params.event }).where(eq(payloads.id, params.payloadId));
}

export type OutboxCounts = Record<PayloadStatus, number>;

export async function countPayloadsByStatus(
  db: Executor,
  params: { workspaceId?: string } = {},
): Promise<OutboxCounts> {
  const rows = await db
    .select({ status: payloads.status, n: sql<number>`count(*)::int` })
    .from(payloads)
    .where(params.workspaceId ? eq(payloads.workspaceId, params.workspaceId) : undefined)
    .groupBy(payloads.status);
  const counts = Object.fromEntries(payloadStatuses.map((s) => [s, 0])) as OutboxCounts;
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/** Payloads stuck pending longer than `olderThanMs`: the Inngest-mode sweeper re-sends their events. */
export async function listStalePendingPayloads(
  db: Executor,
  params: { olderThanMs: number; limit: number; now?: Date },
): Promise<WebhookPayload[]> {
  const cutoff = new Date((params.now ?? new Date()).getTime() - params.olderThanMs);
  return db
    .select()
    .from(payloads)
    .where(
      sql`${payloads.status} = 'pending' and ${payloads.event} is not null and ${payloads.receivedAt} < ${cutoff.toISOString()}::timestamptz`,
    )
    .orderBy(payloads.receivedAt)
    .limit(params.limit);
}

/** Puts failed rows (or the given ids) back in the queue with a fresh attempt budget. */
export async function retryPayloads(
  db: Executor,
  params: { payloadIds?: string[]; workspaceId?: string } = {},
): Promise<number> {
  const conditions = [eq(payloads.status, "failed")];
  if (params.payloadIds?.length) conditions.push(inArray(payloads.id, params.payloadIds));
  if (params.workspaceId) conditions.push(eq(payloads.workspaceId, params.workspaceId));
  const rows = await db
    .update(payloads)
    .set({
      status: "pending",
      attempts: 0,
      nextAttemptAt: new Date(),
      lockedUntil: null,
      lastError: null,
      processedAt: null,
    })
    .where(and(...conditions))
    .returning({ id: payloads.id });
  return rows.length;
}

/**
 * Returns every leased row to the queue. Only safe for the single process that owns an embedded database:
 * any lease it finds on start belonged to a run that died with the previous process.
 */
export async function releaseLeases(db: Executor): Promise<number> {
  const rows = await db
    .update(payloads)
    .set({ status: "pending", lockedUntil: null, nextAttemptAt: new Date() })
    .where(eq(payloads.status, "processing"))
    .returning({ id: payloads.id });
  return rows.length;
}
