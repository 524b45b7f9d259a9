import { readFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { readOwner, releaseOwner, writeOwner } from "./owner";
import { migrationsFolder, resolveDataDir } from "./paths";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The one database type every query function takes: PGlite and postgres-js both satisfy it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Query functions take either the database or an open transaction. */
export type Executor = Database | Transaction;

export type DatabaseKind = "pglite" | "pglite-socket" | "postgres";

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseKind;
  /** Where the data lives, without credentials: a directory, or host:port/database. */
  target: string;
  /** Present when this process owns an embedded PGlite database. */
  pglite?: PGlite;
  /** Whether the `vector` extension can be created on this database. */
  supportsPgvector(): Promise<boolean>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A Postgres server; when absent the embedded PGlite database under `dataDir` is used. */
  databaseUrl?: string;
  /** `memory://` for a throwaway database (tests). */
  dataDir: string;
  /** Who is opening it; recorded so another process can say who holds the directory. */
  role?: string;
  /** Apply pending migrations on open (the embedded default does; a server migrates by command). */
  migrate?: boolean;
}

function redact(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
}

function postgresHandle(url: string, kind: DatabaseKind, target: string): DatabaseHandle {
  const client = postgres(url, { max: kind === "postgres" ? 10 : 4, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema, casing: "snake_case" }) as unknown as Database;
  return {
    db,
    kind,
    target,
    supportsPgvector: () => pgvectorAvailable(db),
    migrate: () =>
      migratePostgres(drizzlePostgres(client), { migrationsFolder: migrationsFolder() }),
    close: () => client.end({ timeout: 5 }),
  };
}

/** `db.execute` answers `{rows}` on PGlite and an array on postgres-js; this reads either. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}

async function pgvectorAvailable(db: Database): Promise<boolean> {
  const result = await db.execute(
    sql`select count(*)::int as n from pg_available_extensions where name = 'vector'`,
  );
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0) > 0;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const handle = postgresHandle(options.databaseUrl, "postgres", redact(options.databaseUrl));
    if (options.migrate) await handle.migrate();
    return handle;
  }

  const dataDir = resolveDataDir(options.dataDir);
  const inMemory = dataDir.startsWith("memory://");
  if (!inMemory) {
    const owner = readOwner(dataDir);
    if (owner?.port) {
      // The console holds the directory and serves it on loopback: go through it.
      return postgresHandle(
        `postgres://postgres@127.0.0.1:${owner.port}/postgres`,
        "pglite-socket",
        `${dataDir} (via console pid ${owner.pid})`,
      );
    }
    if (owner) {
      throw new Error(
        `DATA_DIR ${dataDir} is open in another process (pid ${owner.pid}, ${owner.role}). ` +
          "PGlite allows one process per directory: stop that process, or start the console so others connect through it.",
      );
    }
    writeOwner(dataDir, { role: options.role ?? "process" });
  }

  const pglite = await PGlite.create(inMemory ? undefined : dataDir, { extensions: { vector } });
  const db = drizzlePglite(pglite, { schema, casing: "snake_case" }) as unknown as Database;
  const handle: DatabaseHandle = {
    db,
    kind: "pglite",
    target: dataDir,
    pglite,
    supportsPgvector: async () => true,
    migrate: () => migratePglite(drizzlePglite(pglite), { migrationsFolder: migrationsFolder() }),
    close: async () => {
      await pglite.close();
      if (!inMemory) releaseOwner(dataDir);
    },
  };
  if (options.migrate) await handle.migrate();
  return handle;
}

/**
 * Serve an embedded database to other local processes (CLI, benchmarks) over the Postgres wire protocol,
 * bound to loopback only. Returns the port and records it for them to find.
 */
export async function serveDatabase(
  handle: DatabaseHandle,
  options: { port?: number; role?: string } = {},
): Promise<{ port: number; stop(): Promise<void> }> {
  if (!handle.pglite) throw new Error("only an embedded PGlite database can be served");
  const server = new PGLiteSocketServer({
    db: handle.pglite,
    host: "127.0.0.1",
    port: options.port ?? 0,
    maxConnections: 8,
  });
  await server.start();
  const address = (
    server as unknown as { server?: { address(): { port: number } } }
  ).server?.address();
  const port = address?.port ?? options.port;
  if (!port) throw new Error("could not determine the port the database is served on");
  writeOwner(handle.target, { role: options.role ?? "console", port });
  return { port, stop: () => server.stop() };
}

/** Names of migrations on disk that the database has not applied yet. */
export async function pendingMigrations(db: Database): Promise<number> {
  const journal = JSON.parse(
    readFileSync(path.join(migrationsFolder(), "meta", "_journal.json"), "utf8"),
  ) as { entries: unknown[] };
  try {
    const result = await db.execute(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    return journal.entries.length - Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
  } catch {
    return journal.entries.length;
  }
}
