import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../src/client";
import {
  createApiKey,
  createWorkspace,
  hashApiKey,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
  verifyApiKey,
} from "../src/queries";
import { apiKeys } from "../src/schema";
import { openTestDatabase, testDatabaseTarget } from "../src/testing";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(() => handle.close());

describe(`api keys (${testDatabaseTarget()})`, () => {
  it("stores only a hash and resolves the secret to its workspace", async () => {
    const ws = await createWorkspace(handle.db, { name: "Acme" });
    const { apiKey, key } = await createApiKey(handle.db, { workspaceId: ws.id, name: "ci" });
    expect(apiKey).toMatch(/^nmc_[A-Za-z0-9_-]{32}$/);
    expect(key.prefix).toBe(apiKey.slice(0, 8));
    expect(key.suffix).toBe(apiKey.slice(-4));

    const rows = await handle.db.select().from(apiKeys);
    const stored = rows.find((r) => r.id === key.id)!;
    expect(stored.keyHash).toBe(hashApiKey(apiKey));
    expect(JSON.stringify(rows)).not.toContain(apiKey);

    const verified = await verifyApiKey(handle.db, { secret: apiKey });
    expect(verified?.workspaceId).toBe(ws.id);
    expect(verified).not.toHaveProperty("keyHash");
  });

  it("refuses unknown, tampered, revoked and expired keys", async () => {
    const ws = await createWorkspace(handle.db, { name: "Beta" });
    const { apiKey, key } = await createApiKey(handle.db, { workspaceId: ws.id });
    expect(await verifyApiKey(handle.db, { secret: `${apiKey.slice(0, -1)}x` })).toBeUndefined();
    expect(await verifyApiKey(handle.db, { secret: "not-a-key" })).toBeUndefined();

    const expiring = await createApiKey(handle.db, {
      workspaceId: ws.id,
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(await verifyApiKey(handle.db, { secret: expiring.apiKey })).toBeDefined();
    expect(
      await verifyApiKey(handle.db, {
        secret: expiring.apiKey,
        now: new Date(Date.now() + 120_000),
      }),
    ).toBeUndefined();

    expect(await revokeApiKey(handle.db, { workspaceId: ws.id, keyId: key.id })).toBe(true);
    expect(await verifyApiKey(handle.db, { secret: apiKey })).toBeUndefined();
  });

  it("never lets one workspace list or revoke another's keys", async () => {
    const a = await createWorkspace(handle.db, { name: "A" });
    const b = await createWorkspace(handle.db, { name: "B" });
    const keyA = await createApiKey(handle.db, { workspaceId: a.id });
    expect((await listApiKeys(handle.db, { workspaceId: b.id })).map((k) => k.id)).not.toContain(
      keyA.key.id,
    );
    expect(await revokeApiKey(handle.db, { workspaceId: b.id, keyId: keyA.key.id })).toBe(false);
    expect(await verifyApiKey(handle.db, { secret: keyA.apiKey })).toBeDefined();
  });

  it("records last use", async () => {
    const ws = await createWorkspace(handle.db, { name: "C" });
    const { key } = await createApiKey(handle.db, { workspaceId: ws.id });
    expect(key.lastUsedAt).toBeNull();
    await touchApiKey(handle.db, { keyId: key.id });
    const [listed] = await listApiKeys(handle.db, { workspaceId: ws.id });
    expect(listed?.lastUsedAt).toBeInstanceOf(Date);
  });
});
