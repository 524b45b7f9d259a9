import { eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import {
  type SentryInstallation,
  type SentryInstallationKind,
  sentryInstallations,
} from "../schema";

/**
 * `installation.created`: remembers the installation and its one-time grant code for the OAuth callback.
 * A redelivery refreshes the code but never revives a revoked installation or unlinks a workspace.
 */
export async function recordPendingInstallation(
  db: Executor,
  params: {
    uuid: string;
    organizationSlug: string;
    organizationId?: string;
    appSlug?: string;
    grantCodeSealed?: string;
  },
): Promise<SentryInstallation> {
  const [row] = await db
    .insert(sentryInstallations)
    .values({ ...params, status: "pending", kind: "public" })
    .onConflictDoUpdate({
      target: sentryInstallations.uuid,
      set: {
        grantCodeSealed: sql`case when ${sentryInstallations.status} = 'revoked' then ${sentryInstallations.grantCodeSealed} else excluded.grant_code_sealed end`,
        updatedAt: new Date(),
      },
    })
    .returning();
  return row!;
}

export async function getSentryInstallation(
  db: Executor,
  params: { uuid: string },
): Promise<SentryInstallation | undefined> {
  const [row] = await db
    .select()
    .from(sentryInstallations)
    .where(eq(sentryInstallations.uuid, params.uuid));
  return row;
}

/** Binds an installation to a workspace (operator `sentry link`, the OAuth callback, internal installs). */
export async function linkSentryInstallation(
  db: Executor,
  params: {
    uuid: string;
    workspaceId: string;
    organizationSlug: string;
    kind: SentryInstallationKind;
    clientSecretSealed?: string | null;
  },
): Promise<SentryInstallation> {
  const values = {
    uuid: params.uuid,
    workspaceId: params.workspaceId,
    organizationSlug: params.organizationSlug,
    kind: params.kind,
    status: "installed" as const,
    clientSecretSealed: params.clientSecretSealed ?? null,
    revokedAt: null,
  };
  const [row] = await db
    .insert(sentryInstallations)
    .values(values)
    .onConflictDoUpdate({
      target: sentryInstallations.uuid,
      set: { ...values, updatedAt: new Date() },
    })
    .returning();
  return row!;
}

/** `installation.deleted`: revoked for good, its secrets dropped. */
export async function revokeSentryInstallation(
  db: Executor,
  params: { uuid: string },
): Promise<SentryInstallation | undefined> {
  const [row] = await db
    .update(sentryInstallations)
    .set({
      status: "revoked",
      grantCodeSealed: null,
      clientSecretSealed: null,
      revokedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(eq(sentryInstallations.uuid, params.uuid))
    .returning();
  return row;
}
