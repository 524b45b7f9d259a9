import {
  actors,
  clusters,
  createWorkspace,
  type DatabaseHandle,
  entities,
  observations,
  relationships,
} from "@db/console";
import { openTestDatabase, testDatabaseTarget } from "@db/console/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkflowDeps } from "../src/workflows/types";
import { testDeps } from "./deps";
import { captureEvents, devWorldDir, worldEvents } from "./world";

let handle: DatabaseHandle;
let deps: WorkflowDeps;
beforeAll(async () => {
  handle = await openTestDatabase();
  deps = await testDeps(handle);
});
afterAll(() => handle.close());

/** Everything capture wrote for a workspace, named by source ids so two workspaces compare. */
async function snapshot(workspaceId: string) {
  const db = handle.db;
  const rows = await db
    .select()
    .from(observations)
    .where(eq(observations.workspaceId, workspaceId));
  const sourceOf = new Map(rows.map((r) => [r.id, r.sourceId]));
  const actorRows = await db.select().from(actors).where(eq(actors.workspaceId, workspaceId));
  const actorName = new Map(actorRows.map((a) => [a.id, a.name]));
  const clusterRows = await db.select().from(clusters).where(eq(clusters.workspaceId, workspaceId));
  const members = new Map<string, string[]>();
  for (const r of rows) {
    if (r.clusterId) members.set(r.clusterId, [...(members.get(r.clusterId) ?? []), r.sourceId]);
  }
  const sorted = <T>(list: T[]) => list.map((x) => JSON.stringify(x)).sort();
  return {
    observations: sorted(
      rows.map((r) => [
        r.sourceId,
        r.status,
        r.significance,
        r.observationType,
        r.actorId ? actorName.get(r.actorId) : null,
      ]),
    ),
    entities: sorted(
      (await db.select().from(entities).where(eq(entities.workspaceId, workspaceId))).map((e) => [
        e.category,
        e.key,
        e.occurrenceCount,
        e.lastSeenAt.toISOString(),
      ]),
    ),
    actors: sorted(actorRows.map((a) => [a.name, a.email, a.observationCount])),
    clusters: sorted(
      clusterRows.map((c) => [(members.get(c.id) ?? []).sort(), c.observationCount]),
    ),
    relationships: sorted(
      (await db.select().from(relationships).where(eq(relationships.workspaceId, workspaceId))).map(
        (e) => [
          sourceOf.get(e.fromObservationId),
          e.type,
          e.toObservationId ? sourceOf.get(e.toObservationId) : e.targetKey,
        ],
      ),
    ),
  };
}

describe(`capture in batches (${testDatabaseTarget()})`, () => {
  it("stores exactly what capturing the same events one by one stores", async () => {
    const events = worldEvents(devWorldDir, 150);
    // A Sentry redelivery of the same fact inside one batch, and one across batches.
    const redelivered = [...events.slice(0, 40), events[3]!, ...events.slice(40), events[10]!];
    const single = (await createWorkspace(handle.db, { name: "one by one" })).id;
    const batched = (await createWorkspace(handle.db, { name: "batched" })).id;

    const one = await captureEvents(deps, single, redelivered, 1);
    const many = await captureEvents(deps, batched, redelivered, 64);

    expect(many.map((r) => r.outcome)).toEqual(one.map((r) => r.outcome));
    expect(many.filter((r) => r.outcome === "duplicate")).toHaveLength(2);
    const a = await snapshot(single);
    const b = await snapshot(batched);
    // The world links issues' events and repeats people and entities, so the comparison has substance.
    expect(a.relationships.length).toBeGreaterThan(20);
    expect(a.clusters.length).toBeLessThan(a.observations.length);
    expect(a.actors.some((row) => (JSON.parse(row) as number[])[2]! > 1)).toBe(true);
    expect(b).toEqual(a);
    expect(await deps.vectors.count(batched)).toBe(await deps.vectors.count(single));
  });
});
