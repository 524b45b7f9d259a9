import { type DatabaseHandle, openDatabase } from "@db/console";
import { env } from "@db/console/env";
import { openTestDatabase } from "@db/console/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertPgvectorAvailable } from "../src/index";
import { createPgvectorStore } from "../src/pgvector";
import { describeVectorStoreContract } from "./contract";

/**
 * The server path runs only when TEST_DATABASE_URL names a Postgres that offers the vector extension; it is
 * decided here, before tests are collected, so a skip shows up with its reason instead of as a failure.
 */
const serverUrl = env.TEST_DATABASE_URL;
let serverHasPgvector = false;
if (serverUrl) {
  const probe = await openDatabase({ databaseUrl: serverUrl, dataDir: "memory://" });
  try {
    serverHasPgvector = await probe.supportsPgvector();
  } finally {
    await probe.close();
  }
}

const skipReason = !serverUrl
  ? "TEST_DATABASE_URL is not set"
  : !serverHasPgvector
    ? "server has no vector extension"
    : undefined;
if (serverUrl && skipReason) {
  console.warn(`[vectors] skipping pgvector on TEST_DATABASE_URL: ${skipReason}`);
}

describe.skipIf(skipReason !== undefined)(
  `pgvector on TEST_DATABASE_URL${skipReason ? ` (${skipReason})` : ""}`,
  () => {
    let handle: DatabaseHandle;
    beforeAll(async () => {
      // A throwaway database on the server, dropped on close.
      handle = await openTestDatabase();
    });
    afterAll(() => handle?.close());

    describeVectorStoreContract("pgvector on a Postgres server", async (dimension) =>
      createPgvectorStore({ db: handle.db, dimension }),
    );
  },
);

describe.skipIf(!serverUrl || serverHasPgvector)(
  "a Postgres server without pgvector (TEST_DATABASE_URL)",
  () => {
    it("is reported with what to do instead", async () => {
      const handle = await openDatabase({ databaseUrl: serverUrl!, dataDir: "memory://" });
      try {
        await expect(assertPgvectorAvailable(handle)).rejects.toThrow(
          `the database at ${handle.target} has no pgvector extension; set PINECONE_API_KEY and PINECONE_INDEX, or use a Postgres with pgvector`,
        );
        const store = createPgvectorStore({ db: handle.db, dimension: 8 });
        await expect(store.ping()).rejects.toThrow(/set PINECONE_API_KEY and PINECONE_INDEX/);
      } finally {
        await handle.close();
      }
    });
  },
);
