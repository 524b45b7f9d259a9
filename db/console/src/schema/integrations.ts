import { jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

export const integrationStatuses = ["active", "revoked"] as const;
export type IntegrationStatus = (typeof integrationStatuses)[number];

/**
 * A provider's config is one member of a discriminated union on `sourceType` (the Sentry member is
 * `{sourceType: "sentry", organizationSlug, projectSlugs, sync}`); each provider validates its own member
 * with its zod schema when it reads the row.
 */
export type SourceConfig = { sourceType: string } & Record<string, unknown>;

/** A source connected to a workspace: which upstream installation feeds it, and what to capture. */
export const workspaceIntegrations = pgTable(
  "workspace_integrations",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    /** The upstream installation id (Sentry: the installation uuid). */
    externalId: text("external_id").notNull(),
    sourceConfig: jsonb("source_config").$type<SourceConfig>().notNull(),
    status: text("status").$type<IntegrationStatus>().notNull().default("active"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("workspace_integrations_provider_external_uq").on(t.provider, t.externalId)],
);

export type WorkspaceIntegration = typeof workspaceIntegrations.$inferSelect;
