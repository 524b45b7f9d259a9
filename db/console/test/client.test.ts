import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, pendingMigrations } from "../src/client";
import { createWorkspace, listWorkspaces } from "../src/queries";

const dir = mkdtempSync(path.join(tmpdir(), "nmc-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("embedded PGlite database", () => {
  it("persists across a restart and applies migrations on open", async () => {
    const first = await openDatabase({ dataDir: dir, migrate: true, role: "test" });
    expect(await pendingMigrations(first.db)).toBe(0);
    const ws = await createWorkspace(first.db, { name: "Persisted" });
    await first.close();

    const second = await openDatabase({ dataDir: dir, migrate: true, role: "test" });
    expect((await listWorkspaces(second.db)).map((w) => w.id)).toContain(ws.id);
    await second.close();
  });

  it("reports unapplied migrations on a fresh database", async () => {
    const fresh = await openDatabase({ dataDir: "memory://" });
    expect(await pendingMigrations(fresh.db)).toBeGreaterThan(0);
    await fresh.migrate();
    expect(await pendingMigrations(fresh.db)).toBe(0);
    await fresh.close();
  });
});
