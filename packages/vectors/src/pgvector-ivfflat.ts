import { rowsOf } from "@db/console";
import { sql } from "drizzle-orm";
import type { PgvectorDatabase } from "./pgvector";

/**
 * IVFFlat on PGlite. In WebAssembly every row an exact scan touches costs about a microsecond whatever the
 * distance maths, so 30k vectors take ~80 ms and 300k far too long; an HNSW insert costs ~8 ms, which
 * capture cannot pay. IVFFlat inserts cost one comparison per list (~0.2 ms) and a query reads only the
 * probed lists (~6-9 ms at 100k vectors). Its lists are learnt from the rows present when it is built, so
 * the index is created once a table is large enough to learn from, and rebuilt when it has grown fourfold.
 */
/** Where the index starts paying: an exact scan of 29k vectors measured 83 ms, the index under 10 ms. */
export const IVFFLAT_MIN_ROWS = 10_000;
const REBUILD_GROWTH = 4;
const BUILD_MEMORY = "512MB";

export interface IvfflatState {
  /** Rows the index was built on; undefined while there is no index. */
  builtOnRows: number | undefined;
  lists: number;
}

export interface MaintenanceReport {
  action: "none" | "built" | "rebuilt";
  rows: number;
  lists?: number;
  ms?: number;
}

/** pgvector's guidance: rows / 1000 lists up to a million rows. */
export function listsFor(rows: number): number {
  return Math.max(50, Math.round(rows / 1000));
}

/** Lists probed per query: the square root of the lists keeps recall high at a small fraction of rows. */
export function probesFor(lists: number): number {
  return Math.max(10, Math.round(Math.sqrt(lists)));
}

const indexName = (table: string) => `${table}_embedding_ivfflat`;

/** The index as the database has it: its lists and the row count recorded when it was built. */
export async function readIvfflat(db: PgvectorDatabase, table: string): Promise<IvfflatState> {
  const rows = rowsOf<{ comment: string | null; options: string[] | null }>(
    await db.execute(sql`
      select obj_description(c.oid, 'pg_class') as comment, c.reloptions as options
      from pg_class c where c.relname = ${indexName(table)}`),
  );
  const row = rows[0];
  if (!row) return { builtOnRows: undefined, lists: 0 };
  const lists = Number(row.options?.find((o) => o.startsWith("lists="))?.slice(6) ?? 0);
  return { builtOnRows: Number(row.comment ?? 0), lists };
}

/**
 * Builds the index once the table reaches IVFFLAT_MIN_ROWS, rebuilds it after fourfold growth, and keeps
 * the planner's statistics fresh (without them it prefers a sequential scan for a namespace filter).
 * Blocks the embedded database while it builds (seconds at 100k rows): run it from a timer, not a request.
 */
export async function maintainIvfflat(
  db: PgvectorDatabase,
  table: string,
  minRows = IVFFLAT_MIN_ROWS,
): Promise<MaintenanceReport> {
  const counted = rowsOf<{ n: number }>(
    await db.execute(sql.raw(`select count(*)::int as n from ${table}`)),
  );
  const rows = Number(counted[0]?.n ?? 0);
  const current = await readIvfflat(db, table);
  const due =
    rows >= minRows &&
    (current.builtOnRows === undefined || rows >= REBUILD_GROWTH * current.builtOnRows);
  if (!due) {
    if (current.builtOnRows !== undefined) await db.execute(sql.raw(`analyze ${table}`));
    return { action: "none", rows };
  }
  const started = performance.now();
  const lists = listsFor(rows);
  const name = indexName(table);
  const next = `${name}_next`;
  // The new index is built beside the old one and swapped in, in one transaction: a build that fails
  // (memory, a stopped process) leaves the old index serving. pgvector samples lists * 50 rows for its
  // k-means, past Postgres' 64 MB default from ~500 lists; the WebAssembly heap has room for 512 MB.
  await db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('maintenance_work_mem', ${BUILD_MEMORY}, true)`);
    await tx.execute(sql.raw(`drop index if exists ${next}`));
    await tx.execute(
      sql.raw(
        `create index ${next} on ${table} using ivfflat (embedding vector_cosine_ops) with (lists = ${lists})`,
      ),
    );
    await tx.execute(sql.raw(`drop index if exists ${name}`));
    await tx.execute(sql.raw(`alter index ${next} rename to ${name}`));
    await tx.execute(sql.raw(`comment on index ${name} is '${rows}'`));
  });
  await db.execute(sql.raw(`analyze ${table}`));
  return {
    action: current.builtOnRows === undefined ? "built" : "rebuilt",
    rows,
    lists,
    ms: Math.round(performance.now() - started),
  };
}

/**
 * Sets how the IVFFlat index is searched, for the session: PGlite is one session behind every connection
 * of the embedded server, so whoever builds or finds the index sets it for all, and queries stay one
 * statement. Iterative scan keeps a namespace filter from emptying the probed lists' candidates.
 */
export async function useIvfflat(db: PgvectorDatabase, table: string): Promise<void> {
  const { builtOnRows, lists } = await readIvfflat(db, table);
  if (builtOnRows === undefined) return;
  await db.execute(sql`
    select set_config('ivfflat.probes', ${String(probesFor(lists))}, false),
           set_config('ivfflat.iterative_scan', 'relaxed_order', false)`);
}
