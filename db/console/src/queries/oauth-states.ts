import { eq, lt } from "drizzle-orm";
import type { Executor } from "../client";
import { oauthStates } from "../schema";

export type OAuthState = typeof oauthStates.$inferSelect;

export async function createOAuthState(
  db: Executor,
  params: Omit<OAuthState, "createdAt">,
): Promise<void> {
  // Abandoned flows would otherwise pile up: each new one sweeps the expired.
  await db.delete(oauthStates).where(lt(oauthStates.expiresAt, new Date()));
  await db.insert(oauthStates).values(params);
}

/**
 * Consumes a state: deleted whatever comes next, so it works at most once. Returned even when expired,
 * so the callback can tell a person "this link expired" rather than "unknown".
 */
export async function takeOAuthState(
  db: Executor,
  params: { stateHash: string },
): Promise<OAuthState | undefined> {
  const [row] = await db
    .delete(oauthStates)
    .where(eq(oauthStates.stateHash, params.stateHash))
    .returning();
  return row;
}
