import { eq, inArray, sql } from "drizzle-orm";
import { type Executor, rowsOf } from "../client";
import { entities, observationEntities } from "../schema";
import { newId } from "./ids";

/** The identity of an entity within a workspace, as a map key. */
export const entityIdentity = (e: { category: string; key: string }) =>
  `${e.category}\u0000${e.key}`;

export interface EntityInput {
  category: string;
  key: string;
  label: string;
}

/** An entity and how often a batch of observations named it. */
export interface EntityCount extends EntityInput {
  count: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/**
 * Adds each entity's occurrences (creating the ones first seen) and returns their ids in input order; the
 * input holds each (category, key) once. Runs inside the capture transaction, after the observation rows
 * were inserted, so a retried capture never counts twice.
 */
export async function upsertEntities(
  db: Executor,
  params: { workspaceId: string; entities: readonly EntityCount[] },
): Promise<string[]> {
  if (params.entities.length === 0) return [];
  const values = params.entities.map(
    (e) =>
      sql`(${newId("ent")}, ${params.workspaceId}, ${e.category}, ${e.key}, ${e.label}, ${e.count}::int, ${e.firstSeenAt.toISOString()}::timestamptz, ${e.lastSeenAt.toISOString()}::timestamptz)`,
  );
  const rows = rowsOf<{ id: string; category: string; key: string }>(
    await db.execute(sql`
      insert into ${entities} (id, workspace_id, category, key, label, occurrence_count, first_seen_at, last_seen_at)
      values ${sql.join(values, sql`, `)}
      on conflict (workspace_id, category, key) do update set
        occurrence_count = ${entities.occurrenceCount} + excluded.occurrence_count,
        last_seen_at = greatest(${entities.lastSeenAt}, excluded.last_seen_at),
        first_seen_at = least(${entities.firstSeenAt}, excluded.first_seen_at)
      returning id, category, key`),
  );
  const byKey = new Map(rows.map((r) => [entityIdentity(r), r.id]));
  return params.entities.map((e) => {
    const id = byKey.get(entityIdentity(e));
    if (!id) throw new Error(`entity ${e.category}:${e.key} was not stored`);
    return id;
  });
}

export async function linkObservationEntities(
  db: Executor,
  params: { links: readonly { observationId: string; entityId: string }[] },
): Promise<void> {
  if (params.links.length === 0) return;
  await db
    .insert(observationEntities)
    .values([...params.links])
    .onConflictDoNothing();
}

/** `<category>:<key>` of each observation's entities, for rebuilding its vector metadata. */
export async function entityKeysOf(
  db: Executor,
  params: { observationIds: readonly string[] },
): Promise<Map<string, string[]>> {
  const keys = new Map<string, string[]>();
  if (params.observationIds.length === 0) return keys;
  const rows = await db
    .select({
      observationId: observationEntities.observationId,
      category: entities.category,
      key: entities.key,
    })
    .from(observationEntities)
    .innerJoin(entities, eq(entities.id, observationEntities.entityId))
    .where(inArray(observationEntities.observationId, [...params.observationIds]));
  for (const row of rows) {
    const list = keys.get(row.observationId) ?? [];
    list.push(`${row.category}:${row.key}`);
    keys.set(row.observationId, list);
  }
  return keys;
}
