import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../src/client";
import {
  createWorkspace,
  EmbeddingModelMismatchError,
  ensureEmbeddingModel,
  getWorkspace,
  listWorkspaces,
  renameWorkspace,
  resetEmbeddingModel,
} from "../src/queries";
import { openTestDatabase, testDatabaseTarget } from "../src/testing";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(() => handle.close());

describe(`workspaces (${testDatabaseTarget()})`, () => {
  it("creates, lists and renames", async () => {
    const ws = await createWorkspace(handle.db, { name: "  Payments team " });
    expect(ws.id).toMatch(/^ws_[0-9a-z]{16}$/);
    expect(ws.name).toBe("Payments team");
    await renameWorkspace(handle.db, { workspaceId: ws.id, name: "Payments" });
    expect((await getWorkspace(handle.db, { workspaceId: ws.id }))?.name).toBe("Payments");
    expect((await listWorkspaces(handle.db)).map((w) => w.id)).toContain(ws.id);
  });

  it("records the embedding model on first use and refuses another one", async () => {
    const ws = await createWorkspace(handle.db, { name: "Search" });
    const use = { workspaceId: ws.id, model: "use:universal-sentence-encoder@512", dimension: 512 };
    await ensureEmbeddingModel(handle.db, use);
    await ensureEmbeddingModel(handle.db, use);
    const other = {
      workspaceId: ws.id,
      model: "openai:text-embedding-3-small@1536",
      dimension: 1536,
    };
    const error = await ensureEmbeddingModel(handle.db, other).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingModelMismatchError);
    expect(String((error as Error).message)).toContain(`pnpm cli reindex --workspace ${ws.id}`);

    await resetEmbeddingModel(handle.db, other);
    await expect(ensureEmbeddingModel(handle.db, other)).resolves.toBeUndefined();
  });

  it("agrees on one model when two first uses race", async () => {
    const ws = await createWorkspace(handle.db, { name: "Race" });
    const results = await Promise.allSettled([
      ensureEmbeddingModel(handle.db, { workspaceId: ws.id, model: "a", dimension: 3 }),
      ensureEmbeddingModel(handle.db, { workspaceId: ws.id, model: "b", dimension: 3 }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });
});
