import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { type SourceConfig, type WorkspaceIntegration, workspaceIntegrations } from "../schema";
import { newId } from "./ids";

/** Connects (or reconnects) an upstream installation to a workspace with its capture config. */
export async function upsertIntegration(
  db: Executor,
  params: { workspaceId: string; provider: string; externalId: string; sourceConfig: SourceConfig },
): Promise<WorkspaceIntegration> {
  const [row] = await db
    .insert(workspaceIntegrations)
    .values({ id: newId("int"), ...params })
    .onConflictDoUpdate({
      target: [workspaceIntegrations.provider, workspaceIntegrations.externalId],
      set: {
        workspaceId: params.workspaceId,
        sourceConfig: params.sourceConfig,
        status: "active",
        updatedAt: new Date(),
      },
    })
    .returning();
  return row!;
}

export async function getIntegrationByExternalId(
  db: Executor,
  params: { provider: string; externalId: string },
): Promise<WorkspaceIntegration | undefined> {
  const [row] = await db
    .select()
    .from(workspaceIntegrations)
    .where(
      and(
        eq(workspaceIntegrations.provider, params.provider),
        eq(workspaceIntegrations.externalId, params.externalId),
      ),
    );
  return row;
}

export function listIntegrations(
  db: Executor,
  params: { workspaceId: string },
): Promise<WorkspaceIntegration[]> {
  return db
    .select()
    .from(workspaceIntegrations)
    .where(eq(workspaceIntegrations.workspaceId, params.workspaceId))
    .orderBy(asc(workspaceIntegrations.createdAt));
}

export async function revokeIntegration(
  db: Executor,
  params: { provider: string; externalId: string },
): Promise<boolean> {
  const rows = await db
    .update(workspaceIntegrations)
    .set({ status: "revoked", updatedAt: new Date() })
    .where(
      and(
        eq(workspaceIntegrations.provider, params.provider),
        eq(workspaceIntegrations.externalId, params.externalId),
      ),
    )
    .returning({ id: workspaceIntegrations.id });
  return rows.length > 0;
}
