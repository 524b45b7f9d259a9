import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { type ApiKey, apiKeys } from "../schema";
import { newId } from "./ids";

export const API_KEY_PREFIX = "nmc_";

export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Public view of a key: never the hash, never the secret. */
export type ApiKeySummary = Omit<ApiKey, "keyHash">;

function summarize({ keyHash: _hash, ...rest }: ApiKey): ApiKeySummary {
  return rest;
}

/** Creates a key and returns its secret, which exists only in this return value. */
export async function createApiKey(
  db: Executor,
  params: { workspaceId: string; name?: string; expiresAt?: Date },
): Promise<{ apiKey: string; key: ApiKeySummary }> {
  const secret = `${API_KEY_PREFIX}${randomBytes(24).toString("base64url")}`;
  const [row] = await db
    .insert(apiKeys)
    .values({
      id: newId("key"),
      workspaceId: params.workspaceId,
      name: params.name?.trim() || "default",
      keyHash: hashApiKey(secret),
      prefix: secret.slice(0, API_KEY_PREFIX.length + 4),
      suffix: secret.slice(-4),
      expiresAt: params.expiresAt,
    })
    .returning();
  return { apiKey: secret, key: summarize(row!) };
}

/**
 * The workspace a secret belongs to, or undefined for an unknown, revoked or expired key. Lookup is by
 * hash; the final comparison is constant-time so the answer leaks nothing about near misses.
 */
export async function verifyApiKey(
  db: Executor,
  params: { secret: string; now?: Date },
): Promise<ApiKeySummary | undefined> {
  if (!params.secret.startsWith(API_KEY_PREFIX)) return undefined;
  const hash = hashApiKey(params.secret);
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, hash));
  if (!row) return undefined;
  if (!timingSafeEqual(Buffer.from(row.keyHash, "hex"), Buffer.from(hash, "hex"))) return undefined;
  if (!row.isActive) return undefined;
  if (row.expiresAt && row.expiresAt.getTime() <= (params.now ?? new Date()).getTime()) {
    return undefined;
  }
  return summarize(row);
}

export async function touchApiKey(db: Executor, params: { keyId: string }): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, params.keyId));
}

export async function listApiKeys(
  db: Executor,
  params: { workspaceId: string },
): Promise<ApiKeySummary[]> {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.workspaceId, params.workspaceId))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(summarize);
}

/** Scoped by workspace so one workspace can never revoke another's key by guessing its id. */
export async function revokeApiKey(
  db: Executor,
  params: { workspaceId: string; keyId: string },
): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ isActive: false })
    .where(and(eq(apiKeys.id, params.keyId), eq(apiKeys.workspaceId, params.workspaceId)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}
