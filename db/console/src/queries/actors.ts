import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { actors } from "../schema";
import { newId } from "./ids";

export interface ActorInput {
  source: string;
  externalId: string;
  name: string;
  email?: string | null;
  avatarUrl?: string | null;
}

/**
 * One profile per person per workspace: found by email first (so a Sentry assignee known only by email and
 * the same person commenting under their user id are one profile), then by (source, external id).
 * `acted` counts an observation for them and moves their last activity; a mention only fills in the profile.
 */
export async function resolveActor(
  db: Executor,
  params: { workspaceId: string; actor: ActorInput; acted: boolean; at: Date },
): Promise<string> {
  const { workspaceId, actor } = params;
  const email = actor.email?.trim().toLowerCase() || null;
  const [byEmail] = email
    ? await db
        .select({ id: actors.id })
        .from(actors)
        .where(and(eq(actors.workspaceId, workspaceId), eq(actors.email, email)))
        .limit(1)
    : [];
  const byId = byEmail ?? (await findBySourceId(db, workspaceId, actor));
  const counted = params.acted
    ? {
        observationCount: sql`${actors.observationCount} + 1`,
        lastActiveAt: sql`greatest(${actors.lastActiveAt}, ${params.at.toISOString()}::timestamptz)`,
      }
    : {};
  if (byId) {
    await db
      .update(actors)
      .set({
        ...counted,
        ...(email ? { email } : {}),
        ...(actor.avatarUrl ? { avatarUrl: actor.avatarUrl } : {}),
        // A real name beats an email used as a name.
        ...(actor.name && !actor.name.includes("@") ? { name: actor.name } : {}),
      })
      .where(eq(actors.id, byId.id));
    return byId.id;
  }
  const id = newId("act");
  await db
    .insert(actors)
    .values({
      id,
      workspaceId,
      source: actor.source,
      externalId: actor.externalId,
      name: actor.name || email || actor.externalId,
      email,
      avatarUrl: actor.avatarUrl ?? null,
      observationCount: params.acted ? 1 : 0,
      lastActiveAt: params.acted ? params.at : null,
    })
    .onConflictDoNothing();
  // Whoever won a concurrent insert of the same person, this is their row.
  return (await findBySourceId(db, workspaceId, actor))!.id;
}

async function findBySourceId(
  db: Executor,
  workspaceId: string,
  actor: Pick<ActorInput, "source" | "externalId">,
): Promise<{ id: string } | undefined> {
  const [row] = await db
    .select({ id: actors.id })
    .from(actors)
    .where(
      and(
        eq(actors.workspaceId, workspaceId),
        eq(actors.source, actor.source),
        eq(actors.externalId, actor.externalId),
      ),
    )
    .limit(1);
  return row;
}
