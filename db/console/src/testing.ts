import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type DatabaseHandle, openDatabase } from "./client";
import { env } from "./env";

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or, when TEST_DATABASE_URL
 * names a Postgres server, a throwaway database created on it (dropped on close) so files never share state.
 */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const serverUrl = env.TEST_DATABASE_URL;
  if (!serverUrl) return openDatabase({ dataDir: "memory://", migrate: true, role: "test" });

  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({
    databaseUrl: url.toString(),
    dataDir: "unused",
    migrate: true,
  });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export function testDatabaseTarget(): "postgres" | "pglite" {
  return env.TEST_DATABASE_URL ? "postgres" : "pglite";
}
