import { ensureEmbeddingModel } from "@db/console";
import { observationViews } from "@repo/observations";
import type { SourceEvent } from "@repo/schemas";
import { type VectorRecord, type VectorView, vectorId } from "@repo/vectors";
import type { WorkflowDeps } from "../types";

export const VIEWS = ["title", "content", "summary"] as const satisfies readonly VectorView[];

/** How an entity is named in vector metadata and cluster overlap: `<category>:<key>`. */
export const entityKey = (e: { category: string; key: string }) => `${e.category}:${e.key}`;

export type EmbedItem = Omit<Parameters<typeof vectorRecords>[0], "embeddings" | "workspaceId">;

/** Floats kept by `recentVectors` across all workspaces: 16 MB, e.g. 8,192 USE vectors. */
const REMEMBERED_FLOATS = 4 * 1024 * 1024;

/**
 * View texts embedded recently, per workspace and model, least recently used first out. Every event of a
 * Sentry issue shares its title, and repeated errors repeat their summary, so a workspace's next batch
 * often asks again for vectors it already has; with a local model that is CPU capture waits on, with
 * OpenAI it is money. Keyed by workspace, so one workspace's texts never answer another's (the memory
 * itself is shared, oldest out first), and kept as float32, the precision both vector stores keep anyway.
 */
class RecentVectors {
  private readonly entries = new Map<string, Float32Array>();
  private floats = 0;

  get(key: string): number[] | undefined {
    const values = this.entries.get(key);
    if (!values) return undefined;
    this.entries.delete(key);
    this.entries.set(key, values);
    return Array.from(values);
  }

  set(key: string, values: readonly number[]): void {
    if (this.entries.has(key)) return;
    this.entries.set(key, Float32Array.from(values));
    this.floats += values.length;
    for (const [oldest, old] of this.entries) {
      if (this.floats <= REMEMBERED_FLOATS) break;
      this.entries.delete(oldest);
      this.floats -= old.length;
    }
  }
}

const recentVectors = new RecentVectors();

/**
 * Embeds the three views of a batch of observations in one call and upserts them in one write. The
 * workspace's recorded model is checked first, so neither capture nor reconciliation ever mixes vectors of
 * two models in a workspace. Texts the workspace had embedded recently are not sent again.
 */
export async function embedObservations(
  deps: WorkflowDeps,
  params: { workspaceId: string; items: readonly EmbedItem[] },
): Promise<void> {
  if (params.items.length === 0) return;
  await ensureEmbeddingModel(deps.db, {
    workspaceId: params.workspaceId,
    model: deps.embeddings.model,
    dimension: deps.embeddings.dimension,
  });
  const texts = params.items.flatMap((item) => {
    const views = observationViews(item.event);
    return VIEWS.map((view) => views[view]);
  });
  const keyOf = (text: string) =>
    `${params.workspaceId}\u0000${deps.embeddings.model}\u0000${text}`;
  const embeddings = texts.map((text) => recentVectors.get(keyOf(text)));
  const missing = [...new Set(texts.filter((_, i) => !embeddings[i]))];
  if (missing.length > 0) {
    const fresh = await deps.embeddings.embed(missing, "document");
    const byText = new Map(missing.map((text, i) => [text, fresh[i]!]));
    texts.forEach((text, i) => {
      if (!embeddings[i]) embeddings[i] = byText.get(text)!;
    });
    for (const [text, values] of byText) recentVectors.set(keyOf(text), values);
  }
  await deps.vectors.upsert(
    params.workspaceId,
    params.items.flatMap((item, i) =>
      vectorRecords({
        ...item,
        workspaceId: params.workspaceId,
        embeddings: embeddings.slice(i * VIEWS.length, (i + 1) * VIEWS.length) as number[][],
      }),
    ),
  );
}

/**
 * The three views of one observation as vector records. Ids are deterministic, so a retried upsert
 * overwrites; the metadata carries what search filters and shows without reading the database.
 */
export function vectorRecords(params: {
  workspaceId: string;
  observationId: string;
  event: SourceEvent;
  observationType: string;
  snippet: string;
  entityKeys: readonly string[];
  embeddings: readonly number[][];
}): VectorRecord[] {
  const { event } = params;
  return VIEWS.map((view, i) => ({
    id: vectorId(view, params.observationId),
    values: params.embeddings[i]!,
    metadata: {
      workspaceId: params.workspaceId,
      view,
      observationId: params.observationId,
      source: event.source,
      sourceType: event.sourceType,
      observationType: params.observationType,
      title: event.title,
      snippet: params.snippet,
      occurredAt: event.occurredAt,
      actor: event.actor?.name ?? "",
      entityKeys: [...params.entityKeys],
    },
  }));
}

/**
 * The upstream threads an event belongs to: each issue it references, and the issue its provider names as
 * `metadata.issueId` (a Sentry error or comment names its issue by numeric id while the issue's own events
 * reference its short id; both are keys of the same thread).
 */
export function threadKeysOf(event: SourceEvent): string[] {
  const keys = new Set<string>();
  for (const ref of event.references) if (ref.type === "issue") keys.add(`issue:${ref.id}`);
  const issueId = event.metadata.issueId;
  if (typeof issueId === "string" || typeof issueId === "number") keys.add(`issue:${issueId}`);
  return [...keys].sort();
}
