import {
  EmbeddingModelMismatchError,
  entityKeysOf,
  listCapturedObservations,
  type Observation,
} from "@db/console";
import type { SourceEvent } from "@repo/schemas";
import { vectorId } from "@repo/vectors";
import type { WorkflowDeps } from "../types";
import { embedObservations, VIEWS } from "./vectors";

/** The SourceEvent an observation was captured from, as far as the row keeps it. */
function eventOf(row: Observation): SourceEvent {
  return {
    source: row.source as SourceEvent["source"],
    sourceType: row.sourceType,
    sourceId: row.sourceId,
    title: row.title,
    body: row.body,
    actor: null,
    occurredAt: row.occurredAt.toISOString(),
    references: row.references as SourceEvent["references"],
    metadata: row.metadata,
  };
}

/**
 * Re-embeds captured observations whose vectors are missing from the store (a store that was reset, an
 * upsert lost with a store outage, or `pnpm cli reindex` after a model switch). Capture writes vectors
 * before the row, so this only repairs damage from outside; it runs as an Inngest cron, or on a timer in
 * the embedded runtime, and re-embeds a workspace after `pnpm cli reindex`. Pages through every workspace
 * (or one); returns how many observations it repaired.
 */
export async function reconcileVectors(
  deps: WorkflowDeps,
  options: { workspaceId?: string; pageSize?: number; maxRepairs?: number } = {},
): Promise<{ checked: number; repaired: number }> {
  const pageSize = options.pageSize ?? 200;
  const maxRepairs = options.maxRepairs ?? 500;
  let checked = 0;
  let repaired = 0;
  let afterId: string | undefined;
  for (;;) {
    const page = await listCapturedObservations(deps.db, {
      workspaceId: options.workspaceId,
      afterId,
      limit: pageSize,
    });
    if (page.length === 0) break;
    afterId = page.at(-1)!.id;
    const byWorkspace = new Map<string, Observation[]>();
    for (const row of page) {
      const rows = byWorkspace.get(row.workspaceId) ?? [];
      rows.push(row);
      byWorkspace.set(row.workspaceId, rows);
    }
    for (const [workspaceId, rows] of byWorkspace) {
      const ids = rows.flatMap((r) => VIEWS.map((view) => vectorId(view, r.id)));
      const present = new Set((await deps.vectors.fetch(workspaceId, ids)).map((v) => v.id));
      checked += rows.length;
      const missing = rows.filter((r) => VIEWS.some((view) => !present.has(vectorId(view, r.id))));
      const entityKeys = await entityKeysOf(deps.db, { observationIds: missing.map((r) => r.id) });
      const batch = missing.slice(0, maxRepairs - repaired);
      try {
        await embedObservations(deps, {
          workspaceId,
          items: batch.map((row) => ({
            observationId: row.id,
            event: eventOf(row),
            observationType: row.observationType,
            snippet: row.snippet,
            entityKeys: entityKeys.get(row.id) ?? [],
          })),
        });
      } catch (error) {
        // A workspace indexed with another model waits for `pnpm cli reindex`; the others go on.
        if (error instanceof EmbeddingModelMismatchError) continue;
        throw error;
      }
      repaired += batch.length;
      if (repaired >= maxRepairs) return { checked, repaired };
    }
  }
  return { checked, repaired };
}
