import { and, eq, gt } from "drizzle-orm";
import type { Executor } from "../client";
import { verifications } from "../schema";
import { newId } from "./ids";
import { sha256Hex } from "./webhook-payloads";

/**
 * Stores a one-time secret for `identifier` as a hash, replacing any earlier one: only the newest link
 * works. The secret itself exists only in the caller's hands.
 */
export async function replaceOneTimeSecret(
  db: Executor,
  params: { identifier: string; secret: string; expiresAt: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(verifications).where(eq(verifications.identifier, params.identifier));
    await tx.insert(verifications).values({
      id: newId("ver"),
      identifier: params.identifier,
      value: sha256Hex(params.secret),
      expiresAt: params.expiresAt,
    });
  });
}

/** True once: the matching unexpired row is deleted, so a second use (or a racing one) gets false. */
export async function takeOneTimeSecret(
  db: Executor,
  params: { identifier: string; secret: string },
): Promise<boolean> {
  const rows = await db
    .delete(verifications)
    .where(
      and(
        eq(verifications.identifier, params.identifier),
        eq(verifications.value, sha256Hex(params.secret)),
        gt(verifications.expiresAt, new Date()),
      ),
    )
    .returning({ id: verifications.id });
  return rows.length > 0;
}

/** Whether an unexpired secret exists for `identifier` (without consuming it). */
export async function hasOneTimeSecret(
  db: Executor,
  params: { identifier: string; secret: string },
): Promise<boolean> {
  const [row] = await db
    .select({ id: verifications.id })
    .from(verifications)
    .where(
      and(
        eq(verifications.identifier, params.identifier),
        eq(verifications.value, sha256Hex(params.secret)),
        gt(verifications.expiresAt, new Date()),
      ),
    );
  return row !== undefined;
}
