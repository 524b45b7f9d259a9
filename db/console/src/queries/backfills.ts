import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import { type BackfillStatus, type SourceBackfill, sourceBackfills } from "../schema";
import { newId } from "./ids";

export async function createBackfill(
  db: Executor,
  params: { workspaceId: string; provider: string; installationId: string },
): Promise<SourceBackfill> {
  const [row] = await db
    .insert(sourceBackfills)
    .values({ id: newId("bf"), ...params })
    .returning();
  return row!;
}

export async function getBackfill(
  db: Executor,
  params: { id: string },
): Promise<SourceBackfill | undefined> {
  const [row] = await db.select().from(sourceBackfills).where(eq(sourceBackfills.id, params.id));
  return row;
}

export async function latestBackfill(
  db: Executor,
  params: { workspaceId: string; provider: string; installationId: string },
): Promise<SourceBackfill | undefined> {
  const [row] = await db
    .select()
    .from(sourceBackfills)
    .where(
      and(
        eq(sourceBackfills.workspaceId, params.workspaceId),
        eq(sourceBackfills.provider, params.provider),
        eq(sourceBackfills.installationId, params.installationId),
      ),
    )
    .orderBy(desc(sourceBackfills.createdAt))
    .limit(1);
  return row;
}

/** One page done: its items counted and the next page's cursor saved together, so a resume neither skips nor repeats a page. */
export async function recordBackfillPage(
  db: Executor,
  params: { id: string; items: number; nextCursor: string | null },
): Promise<void> {
  await db
    .update(sourceBackfills)
    .set({
      status: "running",
      cursor: params.nextCursor,
      pages: sql`${sourceBackfills.pages} + 1`,
      items: sql`${sourceBackfills.items} + ${params.items}`,
      startedAt: sql`coalesce(${sourceBackfills.startedAt}, now())`,
      updatedAt: new Date(),
    })
    .where(eq(sourceBackfills.id, params.id));
}

export async function setBackfillStatus(
  db: Executor,
  params: { id: string; status: BackfillStatus; error?: string | null },
): Promise<void> {
  const finished = params.status === "done" || params.status === "failed";
  await db
    .update(sourceBackfills)
    .set({
      status: params.status,
      error: params.error ?? null,
      ...(params.status === "running"
        ? { startedAt: sql`coalesce(${sourceBackfills.startedAt}, now())` }
        : {}),
      ...(finished ? { finishedAt: new Date() } : {}),
      updatedAt: new Date(),
    })
    .where(eq(sourceBackfills.id, params.id));
}

const unfinished: BackfillStatus[] = ["queued", "running"];

/**
 * The installation's queued or running backfill, else a new one. Connecting twice (a double click, a
 * reconnect) must not start two backfills paging the same history; the advisory lock makes the check and
 * the insert one step across processes on a Postgres server.
 */
export async function createBackfillUnlessUnfinished(
  db: Database,
  params: { workspaceId: string; provider: string; installationId: string },
): Promise<{ backfill: SourceBackfill; created: boolean }> {
  return db.transaction(async (tx) => {
    const key = `backfill:${params.provider}:${params.installationId}`;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
    const [existing] = await tx
      .select()
      .from(sourceBackfills)
      .where(
        and(
          eq(sourceBackfills.provider, params.provider),
          eq(sourceBackfills.installationId, params.installationId),
          inArray(sourceBackfills.status, unfinished),
        ),
      )
      .orderBy(desc(sourceBackfills.createdAt))
      .limit(1);
    if (existing) return { backfill: existing, created: false };
    return { backfill: await createBackfill(tx, params), created: true };
  });
}

/** Queued or running backfills, oldest first: what a restarted runtime picks up again. */
export function listUnfinishedBackfills(
  db: Executor,
  params: { provider?: string } = {},
): Promise<SourceBackfill[]> {
  return db
    .select()
    .from(sourceBackfills)
    .where(
      and(
        inArray(sourceBackfills.status, unfinished),
        params.provider ? eq(sourceBackfills.provider, params.provider) : undefined,
      ),
    )
    .orderBy(asc(sourceBackfills.createdAt));
}
