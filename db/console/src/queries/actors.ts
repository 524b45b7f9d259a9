import { and, eq, inArray, or, sql } from "drizzle-orm";
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

const keyOf = (source: string, externalId: string) => `${source}\u001f${externalId}`;

export interface ActorTouch {
  actor: ActorInput;
  /** Counts an observation for them and moves their last activity; a mention only fills in the profile. */
  acted: boolean;
  at: Date;
}

interface Profile {
  id: string;
  isNew: boolean;
  source: string;
  externalId: string;
  name: string | null;
  email: string | null;
  avatarUrl: string | null;
  added: number;
  lastActiveAt: Date | null;
}

/** Who each touch is, decided by `planActors`, written by `writeActors`. */
export interface ActorPlan {
  workspaceId: string;
  /** The profile id of each touch, in order. */
  ids: string[];
  profiles: Profile[];
}

/**
 * One profile per person per workspace, for a batch of observations at once: found by email first (so a
 * Sentry assignee known only by email and the same person commenting under their user id are one profile),
 * then by (source, external id); people first seen in this batch get one new profile. One read, so the
 * capture transaction can plan before it begins and only write inside it.
 */
export async function planActors(
  db: Executor,
  params: { workspaceId: string; touches: readonly ActorTouch[] },
): Promise<ActorPlan> {
  const { workspaceId, touches } = params;
  if (touches.length === 0) return { workspaceId, ids: [], profiles: [] };
  const emailOf = (a: ActorInput) => a.email?.trim().toLowerCase() || null;
  const emails = [...new Set(touches.flatMap((t) => emailOf(t.actor) ?? []))];
  const keys = [...new Set(touches.map((t) => keyOf(t.actor.source, t.actor.externalId)))];
  const existing = await db
    .select({
      id: actors.id,
      source: actors.source,
      externalId: actors.externalId,
      email: actors.email,
    })
    .from(actors)
    .where(
      and(
        eq(actors.workspaceId, workspaceId),
        or(
          emails.length > 0 ? inArray(actors.email, emails) : sql`false`,
          inArray(sql`${actors.source} || chr(31) || ${actors.externalId}`, keys),
        ),
      ),
    )
    .orderBy(actors.createdAt);
  const profiles = new Map<string, Profile>();
  const byEmail = new Map<string, Profile>();
  const byKey = new Map<string, Profile>();
  for (const row of existing) {
    const profile: Profile = {
      id: row.id,
      isNew: false,
      source: row.source,
      externalId: row.externalId,
      name: null,
      email: null,
      avatarUrl: null,
      added: 0,
      lastActiveAt: null,
    };
    profiles.set(row.id, profile);
    if (row.email && !byEmail.has(row.email)) byEmail.set(row.email, profile);
    byKey.set(keyOf(row.source, row.externalId), profile);
  }
  const ids = touches.map(({ actor, acted, at }) => {
    const email = emailOf(actor);
    const key = keyOf(actor.source, actor.externalId);
    let profile = (email ? byEmail.get(email) : undefined) ?? byKey.get(key);
    if (!profile) {
      profile = {
        id: newId("act"),
        isNew: true,
        source: actor.source,
        externalId: actor.externalId,
        name: actor.name || email || actor.externalId,
        email: null,
        avatarUrl: null,
        added: 0,
        lastActiveAt: null,
      };
      profiles.set(profile.id, profile);
      byKey.set(key, profile);
    }
    if (email) {
      profile.email = email;
      if (!byEmail.has(email)) byEmail.set(email, profile);
    }
    if (actor.avatarUrl) profile.avatarUrl = actor.avatarUrl;
    // A real name beats an email used as a name.
    if (actor.name && !actor.name.includes("@")) profile.name = actor.name;
    if (acted) {
      profile.added++;
      if (!profile.lastActiveAt || at > profile.lastActiveAt) profile.lastActiveAt = at;
    }
    return profile.id;
  });
  return { workspaceId, ids, profiles: [...profiles.values()] };
}

/**
 * Writes a plan: new profiles in one insert, counts and details of known ones in one update. Returns the
 * profile id of each touch (a person someone else created meanwhile is counted on their row).
 */
export async function writeActors(db: Executor, plan: ActorPlan): Promise<string[]> {
  const { workspaceId } = plan;
  const ids = [...plan.ids];
  const created = plan.profiles.filter((p) => p.isNew);
  if (created.length > 0) {
    const rows = await db
      .insert(actors)
      .values(
        created.map((p) => ({
          id: p.id,
          workspaceId,
          source: p.source,
          externalId: p.externalId,
          name: p.name ?? p.externalId,
          email: p.email,
          avatarUrl: p.avatarUrl,
          observationCount: p.added,
          lastActiveAt: p.lastActiveAt,
        })),
      )
      // Someone else created the same person meanwhile: count on their row.
      .onConflictDoUpdate({
        target: [actors.workspaceId, actors.source, actors.externalId],
        set: {
          observationCount: sql`${actors.observationCount} + excluded.observation_count`,
          lastActiveAt: sql`greatest(${actors.lastActiveAt}, excluded.last_active_at)`,
        },
      })
      .returning({ id: actors.id, source: actors.source, externalId: actors.externalId });
    const winners = new Map(rows.map((r) => [keyOf(r.source, r.externalId), r.id]));
    for (const p of created) {
      const winner = winners.get(keyOf(p.source, p.externalId));
      if (winner && winner !== p.id) {
        for (const [i, id] of ids.entries()) if (id === p.id) ids[i] = winner;
      }
    }
  }
  const touched = plan.profiles.filter(
    (p) => !p.isNew && (p.added > 0 || p.name || p.email || p.avatarUrl),
  );
  if (touched.length > 0) {
    const values = touched.map(
      (p) =>
        sql`(${p.id}, ${p.added}::int, ${p.lastActiveAt?.toISOString() ?? null}::timestamptz, ${p.name}::text, ${p.email}::text, ${p.avatarUrl}::text)`,
    );
    await db.execute(sql`
      update ${actors} set
        observation_count = ${actors.observationCount} + v.added,
        last_active_at = greatest(${actors.lastActiveAt}, v.last_active),
        name = coalesce(v.name, ${actors.name}),
        email = coalesce(v.email, ${actors.email}),
        avatar_url = coalesce(v.avatar_url, ${actors.avatarUrl})
      from (values ${sql.join(values, sql`, `)}) as v(id, added, last_active, name, email, avatar_url)
      where ${actors.id} = v.id`);
  }
  return ids;
}
