import { readFileSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { type SQL, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { readOwner, releaseOwner, writeOwner } from "./owner";
import { migrationsFolder, resolveDataDir, workspaceRoot } from "./paths";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The one database type every query function takes: PGlite and postgres-js both satisfy it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Query functions take either the database or an open transaction. */
export type Executor = Database | Transaction;

export type DatabaseKind = "pglite" | "pglite-loopback" | "postgres";

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
  /**
   * Run an embedded database in its own thread and serve it on loopback (the console does): this process
   * and others (the CLI, benchmarks) then all reach it through the Postgres protocol. Ignored for a server
   * or an in-memory database.
   */
  serve?: boolean;
  /** Called if the embedded database's thread dies; the handle is useless after it. */
  onFatal?: (error: Error) => void;
}

function redact(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
}

/**
 * Drizzle runs its queries as unnamed statements, and postgres-js then spends a round trip describing each
 * parameterised one before running it: two trips through the embedded server per query, each waiting its
 * turn behind other connections' work. Prepared, a statement is described once per connection and its
 * signature (bulk statements vary only by row count) cached. postgres-js names them randomly per
 * connection, so connections sharing PGlite's one session cannot collide, and the embedded server frees a
 * connection's statements when it closes. A Postgres server keeps drizzle's default: behind a pooler in
 * transaction mode, named statements would not be safe.
 */
function preparing(sql: postgres.Sql): postgres.Sql {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (query: string, params?: unknown[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, params as never, { ...options, prepare: true });
      }
      if (property === "begin" || property === "savepoint") {
        return (...args: unknown[]) => {
          const callback = args.at(-1) as (tx: postgres.Sql) => unknown;
          return (Reflect.get(target, property) as (...a: unknown[]) => unknown).call(
            target,
            ...args.slice(0, -1),
            (tx: postgres.Sql) => callback(preparing(tx)),
          );
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

function postgresHandle(
  url: string,
  kind: DatabaseKind,
  target: string,
  afterClose?: () => Promise<void>,
): DatabaseHandle {
  const client = postgres(url, {
    max: kind === "postgres" ? 10 : 4,
    onnotice: () => {},
    // Embedded: a connection's prepared statements live in PGlite's one session until it closes, so
    // connections are renewed every 10 minutes to bound what they hold (a bulk statement is cached per row
    // count).
    ...(kind === "postgres" ? {} : { max_lifetime: 10 * 60 }),
  });
  // On the embedded database every query is a named prepared statement; see `preparing`.
  const queries = kind === "postgres" ? client : preparing(client);
  const db = drizzlePostgres(queries, { schema, casing: "snake_case" }) as unknown as Database;
  return {
    db,
    kind,
    target,
    supportsPgvector: () => pgvectorAvailable(db),
    migrate: () =>
      migratePostgres(drizzlePostgres(client), { migrationsFolder: migrationsFolder() }),
    close: async () => {
      await client.end({ timeout: 5 });
      await afterClose?.();
    },
  };
}

const EMBEDDED_SERVER = "embedded-server.mjs";

/**
 * Starts the embedded database's thread (../worker/embedded-server.mjs) and answers once it serves on
 * loopback. The file is found from the repository root because Turbopack rewrites `import.meta.url`.
 */
async function startEmbeddedServer(
  dataDir: string,
  onFatal: (error: Error) => void,
): Promise<{ port: number; stop(): Promise<void> }> {
  const file = path.join(
    /*turbopackIgnore: true*/ workspaceRoot(),
    "db",
    "console",
    "worker",
    EMBEDDED_SERVER,
  );
  const worker = new Worker(/*turbopackIgnore: true*/ file, {
    workerData: { dataDir, port: 0, maxConnections: 16 },
  });
  let stopping = false;
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", (message: { type: string; port?: number; message?: string }) =>
      message.type === "ready" && message.port
        ? resolve(message.port)
        : reject(new Error(`embedded database did not start: ${message.message ?? message.type}`)),
    );
    worker.once("error", reject);
  });
  worker.on("error", (error) => onFatal(error));
  worker.on("exit", (code) => {
    if (!stopping) onFatal(new Error(`embedded database thread exited with code ${code}`));
  });
  return {
    port,
    stop: async () => {
      stopping = true;
      const closed = new Promise<void>((resolve) => {
        worker.on("message", (m: { type: string }) => m.type === "closed" && resolve());
        worker.once("exit", () => resolve());
      });
      worker.postMessage({ type: "close" });
      await closed;
      await worker.terminate();
    },
  };
}

/** `db.execute` answers `{rows}` on PGlite and an array on postgres-js; this reads either. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}

/** A json/jsonb column read through `db.execute`: parsed by one driver, a string from the other. */
export function jsonOf<T>(value: T | string): T {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

/** `array[$1, $2, …]::text[]`, one parameter per value (drizzle expands a JS array into a bare list). */
export function textArray(values: readonly string[]): SQL {
  return sql`${sql.raw("array[")}${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}${sql.raw("]::text[]")}`;
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
        "pglite-loopback",
        `${dataDir} (via console pid ${owner.pid})`,
      );
    }
    if (owner) {
      throw new Error(
        `DATA_DIR ${dataDir} is open in another process (pid ${owner.pid}, ${owner.role}). ` +
          "PGlite allows one process per directory: stop that process, or start the console so others connect through it.",
      );
    }
    if (options.serve) return openServedDatabase(dataDir, options);
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

async function openServedDatabase(
  dataDir: string,
  options: OpenDatabaseOptions,
): Promise<DatabaseHandle> {
  // Claimed before the thread opens the directory, so a CLI started meanwhile sees it is taken.
  writeOwner(dataDir, { role: options.role ?? "console" });
  let server: Awaited<ReturnType<typeof startEmbeddedServer>>;
  try {
    server = await startEmbeddedServer(
      dataDir,
      options.onFatal ??
        ((error) => {
          throw error;
        }),
    );
  } catch (error) {
    releaseOwner(dataDir);
    throw error;
  }
  writeOwner(dataDir, { role: options.role ?? "console", port: server.port });
  const handle = postgresHandle(
    `postgres://postgres@127.0.0.1:${server.port}/postgres`,
    "pglite",
    dataDir,
    async () => {
      await server.stop();
      releaseOwner(dataDir);
    },
  );
  handle.supportsPgvector = async () => true;
  if (options.migrate) {
    await handle.migrate().catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
  }
  return handle;
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
