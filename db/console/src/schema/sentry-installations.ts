import { pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

export const sentryInstallationStatuses = ["pending", "installed", "revoked"] as const;
export type SentryInstallationStatus = (typeof sentryInstallationStatuses)[number];
export type SentryInstallationKind = "public" | "internal";

/**
 * A Sentry app installation as Sentry announced it (`installation.created`) or an operator linked it.
 * Secrets here are sealed (`@repo/secrets`): the one-time grant code until the OAuth callback uses it, and
 * an internal integration's own client secret, which verifies that installation's webhooks.
 */
export const sentryInstallations = pgTable("sentry_installations", {
  uuid: text("uuid").primaryKey(),
  workspaceId: text("workspace_id").references(() => workspaces.id, { onDelete: "set null" }),
  organizationSlug: text("organization_slug").notNull(),
  organizationId: text("organization_id"),
  appSlug: text("app_slug"),
  kind: text("kind").$type<SentryInstallationKind>().notNull().default("public"),
  status: text("status").$type<SentryInstallationStatus>().notNull().default("pending"),
  grantCodeSealed: text("grant_code_sealed"),
  clientSecretSealed: text("client_secret_sealed"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

export type SentryInstallation = typeof sentryInstallations.$inferSelect;
