import type { Executor } from "../client";
import { type RelationshipType, relationships } from "../schema";
import { newId } from "./ids";

export interface RelationshipInput {
  type: RelationshipType;
  toObservationId: string | null;
  /** What the edge points at: `obs:<id>` for an observation, `commit:<sha>` for a commit, … */
  targetKey: string;
  confidence?: number;
}

export async function insertRelationships(
  db: Executor,
  params: {
    workspaceId: string;
    edges: readonly (RelationshipInput & { fromObservationId: string })[];
  },
): Promise<void> {
  if (params.edges.length === 0) return;
  await db
    .insert(relationships)
    .values(
      params.edges.map((e) => ({
        id: newId("rel"),
        workspaceId: params.workspaceId,
        fromObservationId: e.fromObservationId,
        type: e.type,
        toObservationId: e.toObservationId,
        targetKey: e.targetKey,
        confidence: e.confidence ?? 1,
      })),
    )
    .onConflictDoNothing();
}
