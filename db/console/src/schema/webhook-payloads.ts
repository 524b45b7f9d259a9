import { sql } from "drizzle-orm";
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

export const payloadStatuses = [
  "pending",
  "processing",
  "done",
  "failed",
  "filtered",
  "ignored",
  // Outcomes of the capture workflow: the same fact was captured before; or it scored below the threshold.
  "duplicate",
  "below_threshold",
] as const;
export type PayloadStatus = (typeof payloadStatuses)[number];

export const ingestionSources = ["webhook", "backfill", "replay"] as const;
export type IngestionSource = (typeof ingestionSources)[number];

export interface OutboxEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
}

/**
 * Every delivery as received, and at the same time the outbox of the embedded workflow runner: the row is
 * stored before the sender is answered, so a crash or a failed emit leaves it `pending` for the runner or
 * the sweeper instead of losing it.
 */
export const workspaceWebhookPayloads = pgTable(
  "workspace_webhook_payloads",
  {
    id: text("id").primaryKey(),
    // Arrival order: deliveries stored by one group commit share their timestamps, and capture links an
    // issue's events in the order they came.
    seq: bigserial("seq", { mode: "number" }).notNull(),
    // Null until the delivery is bound to a workspace (for example `installation.created` before OAuth).
    workspaceId: text("workspace_id").references(() => workspaces.id, { onDelete: "cascade" }),
    source: text("source").notNull(),
    resource: text("resource").notNull(),
    action: text("action").notNull(),
    requestId: text("request_id"),
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    body: text("body").notNull(),
    bodySha256: text("body_sha256").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    ingestionSource: text("ingestion_source").$type<IngestionSource>().notNull().default("webhook"),
    status: text("status").$type<PayloadStatus>().notNull().default("pending"),
    event: jsonb("event").$type<OutboxEvent>(),
    stepState: jsonb("step_state").$type<Record<string, unknown>>().notNull().default({}),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [
    // A Sentry retry carries a new Request-ID with the same bytes: the content hash is the dedupe key.
    uniqueIndex("webhook_payloads_source_sha_uq").on(t.source, t.bodySha256),
    index("webhook_payloads_outbox_idx")
      .on(t.nextAttemptAt, t.seq)
      .where(sql`${t.status} in ('pending', 'processing')`),
    index("webhook_payloads_workspace_idx").on(t.workspaceId, t.receivedAt),
  ],
);

export type WebhookPayload = typeof workspaceWebhookPayloads.$inferSelect;
export type NewWebhookPayload = typeof workspaceWebhookPayloads.$inferInsert;
