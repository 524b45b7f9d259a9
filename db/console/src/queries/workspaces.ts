import { asc, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { type Workspace, workspaces } from "../schema";
import { newId } from "./ids";

/** A URL-friendly slug from a name, made unique by a random tail (better-auth requires unique slugs). */
export function workspaceSlug(name: string): string {
  const base = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return `${base || "workspace"}-${newId("x", 4).slice(2)}`;
}

export async function createWorkspace(db: Executor, params: { name: string }): Promise<Workspace> {
  const name = params.name.trim();
  const [row] = await db
    .insert(workspaces)
    .values({ id: newId("ws"), name, slug: workspaceSlug(name) })
    .returning();
  return row!;
}

export async function getWorkspace(
  db: Executor,
  params: { workspaceId: string },
): Promise<Workspace | undefined> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, params.workspaceId));
  return row;
}

export function listWorkspaces(db: Executor): Promise<Workspace[]> {
  return db.select().from(workspaces).orderBy(asc(workspaces.createdAt));
}

export async function renameWorkspace(
  db: Executor,
  params: { workspaceId: string; name: string },
): Promise<Workspace | undefined> {
  const [row] = await db
    .update(workspaces)
    .set({ name: params.name.trim(), updatedAt: new Date() })
    .where(eq(workspaces.id, params.workspaceId))
    .returning();
  return row;
}

export class EmbeddingModelMismatchError extends Error {
  constructor(
    readonly workspaceId: string,
    readonly recorded: { model: string; dimension: number },
    readonly current: { model: string; dimension: number },
  ) {
    super(
      `workspace ${workspaceId} was indexed with ${recorded.model} (${recorded.dimension}-d) but the ` +
        `console now embeds with ${current.model} (${current.dimension}-d); vectors from different models ` +
        `cannot be compared. Switch back, or run: pnpm cli reindex --workspace ${workspaceId}`,
    );
    this.name = "EmbeddingModelMismatchError";
  }
}

/**
 * Records the embedding model on first use and refuses a different one afterwards. The conditional update
 * makes two concurrent first uses agree on one model.
 */
export async function ensureEmbeddingModel(
  db: Executor,
  params: { workspaceId: string; model: string; dimension: number },
): Promise<void> {
  await db
    .update(workspaces)
    .set({ embeddingModel: params.model, embeddingDimension: params.dimension })
    .where(sql`${workspaces.id} = ${params.workspaceId} and ${isNull(workspaces.embeddingModel)}`);
  const row = await getWorkspace(db, { workspaceId: params.workspaceId });
  if (!row) throw new Error(`workspace ${params.workspaceId} does not exist`);
  if (row.embeddingModel !== params.model || row.embeddingDimension !== params.dimension) {
    throw new EmbeddingModelMismatchError(
      params.workspaceId,
      { model: row.embeddingModel ?? "unknown", dimension: row.embeddingDimension ?? 0 },
      { model: params.model, dimension: params.dimension },
    );
  }
}

export async function resetEmbeddingModel(
  db: Executor,
  params: { workspaceId: string; model: string; dimension: number },
): Promise<void> {
  await db
    .update(workspaces)
    .set({
      embeddingModel: params.model,
      embeddingDimension: params.dimension,
      updatedAt: new Date(),
    })
    .where(eq(workspaces.id, params.workspaceId));
}
