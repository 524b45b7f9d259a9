import { and, desc, eq, isNotNull, lt, sql } from "drizzle-orm";
import type { Executor } from "../client";
import {
  type ProviderMetadata,
  type UserSource,
  type UserSourceStatus,
  userSources,
} from "../schema";
import { newId } from "./ids";

/** A connection as pages and APIs may show it: never the sealed tokens. */
export type UserSourceSummary = Omit<UserSource, "accessTokenSealed" | "refreshTokenSealed">;

function summarize({
  accessTokenSealed: _a,
  refreshTokenSealed: _r,
  ...rest
}: UserSource): UserSourceSummary {
  return rest;
}

export interface SealedTokens {
  accessTokenSealed: string;
  refreshTokenSealed: string | null;
  expiresAt: Date | null;
}

/** Stores a freshly authorised installation's tokens; a reconnect replaces the old pair and clears needs_reauth. */
export async function upsertUserSource(
  db: Executor,
  params: SealedTokens & {
    workspaceId: string;
    userId: string | null;
    provider: string;
    installationId: string;
    scopes: string[];
    providerMetadata: ProviderMetadata;
  },
): Promise<UserSourceSummary> {
  const values = {
    ...params,
    status: "active" as UserSourceStatus,
    statusReason: null,
    lastRefreshedAt: new Date(),
    updatedAt: new Date(),
  };
  const [row] = await db
    .insert(userSources)
    .values({ id: newId("src"), ...values })
    .onConflictDoUpdate({ target: [userSources.provider, userSources.installationId], set: values })
    .returning();
  return summarize(row!);
}

/** The full row, sealed tokens included: only the token service reads this. */
export async function getUserSourceTokens(
  db: Executor,
  params: { provider: string; installationId: string },
): Promise<UserSource | undefined> {
  const [row] = await db
    .select()
    .from(userSources)
    .where(
      and(
        eq(userSources.provider, params.provider),
        eq(userSources.installationId, params.installationId),
      ),
    );
  return row;
}

/**
 * Writes a rotated pair only if the row still holds the refresh token the rotation started from, so a
 * slower process can never overwrite a newer pair with an older one. False: someone else rotated first.
 */
export async function rotateUserSourceTokens(
  db: Executor,
  params: SealedTokens & { id: string; previousRefreshTokenSealed: string | null },
): Promise<boolean> {
  const rows = await db
    .update(userSources)
    .set({
      accessTokenSealed: params.accessTokenSealed,
      refreshTokenSealed: params.refreshTokenSealed,
      expiresAt: params.expiresAt,
      status: "active",
      statusReason: null,
      lastRefreshedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(userSources.id, params.id),
        params.previousRefreshTokenSealed === null
          ? sql`${userSources.refreshTokenSealed} is null`
          : eq(userSources.refreshTokenSealed, params.previousRefreshTokenSealed),
      ),
    )
    .returning({ id: userSources.id });
  return rows.length > 0;
}

export async function markUserSourceNeedsReauth(
  db: Executor,
  params: { id: string; reason: string },
): Promise<void> {
  await db
    .update(userSources)
    .set({ status: "needs_reauth", statusReason: params.reason, updatedAt: new Date() })
    .where(eq(userSources.id, params.id));
}

/** Uninstall or disconnect: the tokens are deleted, not kept sealed; the row remains as history. */
export async function dropUserSourceTokens(
  db: Executor,
  params: { provider: string; installationId: string },
): Promise<boolean> {
  const rows = await db
    .update(userSources)
    .set({
      accessTokenSealed: null,
      refreshTokenSealed: null,
      expiresAt: null,
      status: "revoked",
      statusReason: "Uninstalled",
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(userSources.provider, params.provider),
        eq(userSources.installationId, params.installationId),
      ),
    )
    .returning({ id: userSources.id });
  return rows.length > 0;
}

/** Active connections whose token lapses before `before` (the refresh cron's work list). */
export async function listUserSourcesExpiringBefore(
  db: Executor,
  params: { provider: string; before: Date },
): Promise<UserSourceSummary[]> {
  const rows = await db
    .select()
    .from(userSources)
    .where(
      and(
        eq(userSources.provider, params.provider),
        eq(userSources.status, "active"),
        isNotNull(userSources.refreshTokenSealed),
        lt(userSources.expiresAt, params.before),
      ),
    );
  return rows.map(summarize);
}

export async function listUserSources(
  db: Executor,
  params: { workspaceId: string },
): Promise<UserSourceSummary[]> {
  const rows = await db
    .select()
    .from(userSources)
    .where(eq(userSources.workspaceId, params.workspaceId))
    .orderBy(desc(userSources.createdAt));
  return rows.map(summarize);
}
