import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type DatabaseHandle, openDatabase } from "@db/console";
import { afterAll, beforeAll } from "vitest";
import { createPgvectorStore } from "../src/pgvector";
import { describeVectorStoreContract } from "./contract";

/**
 * The server Postgres here has no pgvector, so the postgres-js driver path (arrays instead of {rows}, its own
 * type parsing) is exercised against PGlite served over the Postgres wire protocol, as the console serves it.
 */
const dir = mkdtempSync(path.join(tmpdir(), "vectors-pgjs-"));
let client: DatabaseHandle;

beforeAll(async () => {
  client = await openDatabase({ dataDir: dir, role: "vectors-test", serve: true });
});

afterAll(async () => {
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

describeVectorStoreContract(
  "pgvector through postgres-js (PGlite served on loopback)",
  async (dimension) => createPgvectorStore({ db: client.db, dimension }),
);
