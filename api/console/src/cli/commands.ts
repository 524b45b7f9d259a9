import {
  captureStats,
  countPayloadsByStatus,
  createApiKey,
  createWorkspace,
  type DatabaseHandle,
  getWorkspace,
  listWorkspaces,
  pendingMigrations,
  resetEmbeddingModel,
  retryPayloads,
} from "@db/console";
import { createEmbeddingProvider } from "@repo/embeddings";
import { createVectorStore } from "@repo/vectors";
import { reconcileVectors } from "../workflows/capture/reconcile";
import { type Output, table, UsageError } from "./output";

export interface CommandContext {
  args: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
  out: Output;
  database: () => Promise<DatabaseHandle>;
}

function requireFlag(ctx: CommandContext, name: string): string {
  const value = ctx.flags[name];
  if (typeof value !== "string" || value.trim() === "") {
    throw new UsageError(`--${name} is required`);
  }
  return value;
}

async function requireWorkspace(ctx: CommandContext, db: DatabaseHandle) {
  const workspaceId = requireFlag(ctx, "workspace");
  const workspace = await getWorkspace(db.db, { workspaceId });
  if (!workspace)
    throw new UsageError(`workspace ${workspaceId} does not exist (see: pnpm cli workspace list)`);
  return workspace;
}

export const commands: Record<string, (ctx: CommandContext) => Promise<void>> = {
  "workspace create": async (ctx) => {
    const name = requireFlag(ctx, "name");
    const ws = await createWorkspace((await ctx.database()).db, { name });
    ctx.out.result(
      { workspaceId: ws.id, name: ws.name },
      `created workspace ${ws.id} (${ws.name})`,
    );
  },

  "workspace list": async (ctx) => {
    const rows = await listWorkspaces((await ctx.database()).db);
    const view = rows.map((w) => ({
      workspaceId: w.id,
      name: w.name,
      embeddingModel: w.embeddingModel,
      createdAt: w.createdAt,
    }));
    ctx.out.result(view, () => table(view));
  },

  "api-key create": async (ctx) => {
    const db = await ctx.database();
    const workspace = await requireWorkspace(ctx, db);
    const days = ctx.flags["expires-in-days"];
    const expiresAt =
      typeof days === "string" ? new Date(Date.now() + Number(days) * 86_400_000) : undefined;
    if (expiresAt && Number.isNaN(expiresAt.getTime())) {
      throw new UsageError("--expires-in-days must be a number");
    }
    const name = typeof ctx.flags.name === "string" ? ctx.flags.name : undefined;
    const { apiKey, key } = await createApiKey(db.db, {
      workspaceId: workspace.id,
      name,
      expiresAt,
    });
    ctx.out.result(
      { apiKey, workspaceId: workspace.id, keyId: key.id },
      `${apiKey}\n(shown once: only its hash is stored) workspace ${workspace.id}, key ${key.id}`,
    );
  },

  migrate: async (ctx) => {
    const db = await ctx.database();
    const before = await pendingMigrations(db.db);
    await db.migrate();
    ctx.out.result(
      { applied: before, target: db.target },
      `applied ${before} migration(s) to ${db.target}`,
    );
  },

  "outbox status": async (ctx) => {
    const db = await ctx.database();
    const workspaceId = typeof ctx.flags.workspace === "string" ? ctx.flags.workspace : undefined;
    const counts = await countPayloadsByStatus(db.db, { workspaceId });
    ctx.out.result(counts, () =>
      table(Object.entries(counts).map(([status, count]) => ({ status, count }))),
    );
  },

  stats: async (ctx) => {
    const db = await ctx.database();
    const workspace = await requireWorkspace(ctx, db);
    const counts = await captureStats(db.db, { workspaceId: workspace.id });
    // Vectors are counted in the store itself, not inferred from rows, so a missing upsert shows.
    const dimension = workspace.embeddingDimension ?? createEmbeddingProvider().dimension;
    const vectors = await createVectorStore({ db: db.db, dimension }).count(workspace.id);
    const stats = { workspaceId: workspace.id, ...counts, vectors };
    ctx.out.result(stats, () =>
      table([
        ...Object.entries(counts.payloads).map(([status, n]) => ({
          what: `payloads ${status}`,
          n,
        })),
        { what: "observations", n: counts.observations },
        { what: "below threshold", n: counts.belowThreshold },
        { what: "entities", n: counts.entities },
        { what: "actors", n: counts.actors },
        { what: "clusters", n: counts.clusters },
        { what: "relationships", n: counts.relationships },
        { what: "vectors", n: vectors },
      ]),
    );
  },

  "outbox retry": async (ctx) => {
    const db = await ctx.database();
    const ids = ctx.flags.id;
    const payloadIds = Array.isArray(ids) ? ids : typeof ids === "string" ? [ids] : undefined;
    const workspaceId = typeof ctx.flags.workspace === "string" ? ctx.flags.workspace : undefined;
    const retried = await retryPayloads(db.db, { payloadIds, workspaceId });
    ctx.out.result({ retried }, `${retried} failed payload(s) queued again`);
  },

  reindex: async (ctx) => {
    const db = await ctx.database();
    const workspace = await requireWorkspace(ctx, db);
    const embeddings = createEmbeddingProvider();
    const vectors = createVectorStore({ db: db.db, dimension: embeddings.dimension });
    const previous = { model: workspace.embeddingModel, dimension: workspace.embeddingDimension };
    // Vectors of the old model live in the old dimension's space: they are cleared, the new model is
    // recorded, and the stored observations are embedded again instead of compared across models.
    if (previous.dimension) {
      const old = createVectorStore({ db: db.db, dimension: previous.dimension });
      await old.deleteNamespace(workspace.id);
    }
    await vectors.deleteNamespace(workspace.id);
    await resetEmbeddingModel(db.db, {
      workspaceId: workspace.id,
      model: embeddings.model,
      dimension: embeddings.dimension,
    });
    // Every captured observation is re-embedded with the new model from its stored row.
    const { repaired } = await reconcileVectors(
      { db: db.db, embeddings, vectors },
      { workspaceId: workspace.id, maxRepairs: Number.POSITIVE_INFINITY },
    );
    ctx.out.result(
      {
        workspaceId: workspace.id,
        previous,
        model: embeddings.model,
        dimension: embeddings.dimension,
        reembedded: repaired,
      },
      `workspace ${workspace.id}: now embedding with ${embeddings.model}; ${repaired} observation(s) re-embedded`,
    );
  },
};
