import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { workspaces } from "./workspaces";

export const userSourceStatuses = ["active", "needs_reauth", "revoked"] as const;
export type UserSourceStatus = (typeof userSourceStatuses)[number];

/** What the connect flow learned about the upstream account; `version` lets the shape evolve. */
export type ProviderMetadata = {
  version: 1;
  sourceType: string;
  installationId: string;
  scopes: string[];
} & Record<string, unknown>;

/**
 * A provider's credentials for one installation (Sentry: an 8-hour access token and its refresh token).
 * Both are sealed with the keyring (AES-256-GCM, versioned); nothing here is ever logged or returned by
 * an API. One row per (provider, installation): a refresh rotates the pair in place.
 */
export const userSources = pgTable(
  "user_sources",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** Who connected it; null for an operator's internal install from the CLI. */
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    provider: text("provider").notNull(),
    installationId: text("installation_id").notNull(),
    accessTokenSealed: text("access_token_sealed"),
    refreshTokenSealed: text("refresh_token_sealed"),
    /** Null for tokens that do not expire (Sentry internal integrations). */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    scopes: text("scopes").array().notNull().default([]),
    status: text("status").$type<UserSourceStatus>().notNull().default("active"),
    /** Why it needs re-authorising, in words a person can act on. */
    statusReason: text("status_reason"),
    providerMetadata: jsonb("provider_metadata").$type<ProviderMetadata>().notNull(),
    lastRefreshedAt: timestamp("last_refreshed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("user_sources_provider_installation_key").on(t.provider, t.installationId),
    index("user_sources_workspace_idx").on(t.workspaceId),
    index("user_sources_expires_idx").on(t.expiresAt),
  ],
);

export type UserSource = typeof userSources.$inferSelect;

/**
 * OAuth `state` for a connect flow: stored as its SHA-256, bound to the session and workspace that
 * started it, consumed by the callback (deleted), and dead after 10 minutes.
 */
export const oauthStates = pgTable("oauth_states", {
  stateHash: text("state_hash").primaryKey(),
  provider: text("provider").notNull(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  sessionId: text("session_id").notNull(),
  workspaceId: text("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const backfillStatuses = ["queued", "running", "done", "failed"] as const;
export type BackfillStatus = (typeof backfillStatuses)[number];

/** A backfill of a source's history: resumable from `cursor`, with progress a person can watch. */
export const sourceBackfills = pgTable(
  "source_backfills",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    installationId: text("installation_id").notNull(),
    status: text("status").$type<BackfillStatus>().notNull().default("queued"),
    /** The upstream's paging cursor of the next page to read; null before the first page. */
    cursor: text("cursor"),
    pages: integer("pages").notNull().default(0),
    items: integer("items").notNull().default(0),
    error: text("error"),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("source_backfills_installation_idx").on(t.provider, t.installationId)],
);

export type SourceBackfill = typeof sourceBackfills.$inferSelect;
