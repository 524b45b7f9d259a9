import { jsonOf, rowsOf } from "@db/console";
import { type SQL, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { filterSql } from "./pgvector-filter";
import { maintainIvfflat, useIvfflat } from "./pgvector-ivfflat";
import type { VectorMatch, VectorMetadata, VectorQuery, VectorRecord, VectorStore } from "./types";
import {
  assertNamespace,
  assertQuery,
  inRequestedOrder,
  matchesNothing,
  parseFilter,
  prepareRecords,
} from "./validate";

// Any Drizzle Postgres database: PGlite, postgres-js, or @db/console's typed handle.
// biome-ignore lint/suspicious/noExplicitAny: the schema generic is irrelevant to raw SQL
export type PgvectorDatabase = PgDatabase<PgQueryResultHKT, any>;

/**
 * How nearest neighbours are found. `hnsw`: an approximate HNSW index, what a Postgres server wants.
 * `exact`: no index, an exact scan of the namespace's rows. `ivfflat`: an exact scan while the table is
 * small, then an IVFFlat index built and rebuilt by `maintain()` (see pgvector-ivfflat.ts for why).
 * `auto` (the default) picks `ivfflat` on PGlite, where pgvector runs as WebAssembly and an HNSW insert
 * costs ~8 ms; a server gets `hnsw`.
 */
export type PgvectorIndexMode = "auto" | "hnsw" | "exact" | "ivfflat";

export interface PgvectorStoreOptions {
  db: PgvectorDatabase;
  dimension: number;
  index?: PgvectorIndexMode;
  /** Rows before `ivfflat` mode builds its index (default IVFFLAT_MIN_ROWS); tests use fewer. */
  ivfflatMinRows?: number;
}

/** pgvector's HNSW index accepts `vector` columns of up to 2000 dimensions. */
const MAX_HNSW_DIMENSION = 2000;
/** Rows per INSERT: 4 parameters each, far under Postgres's 65535, and bounded statement size at 1536-d. */
const UPSERT_BATCH = 200;
const ID_BATCH = 1000;

export const PGVECTOR_MISSING_HINT =
  "set PINECONE_API_KEY and PINECONE_INDEX, or use a Postgres with pgvector";

export function pgvectorTableName(dimension: number): string {
  // `_fx`: the fixed-point encoding below. Vectors kept in an older encoding stay in their old table, and
  // the reconciliation sweep re-embeds what is missing from this one.
  return `vector_records_${dimension}_fx`;
}

/**
 * Vectors are written as integers in fixed point at 2^-24 and read back divided by it. pgvector parses each
 * element with strtof, which in PGlite's WASM build costs about a microsecond for a decimal and a tenth of
 * that for an integer (192 vectors of 384 dimensions: 110 ms as decimals, 15 ms as integers), and the
 * vector insert was most of capture's database time. The step is below float32's own resolution for the
 * unit-length embeddings stored here, and cosine distance, the only metric used, ignores the scale.
 */
const FIXED_POINT = 2 ** 24;

function toVectorLiteral(values: readonly number[]): string {
  let out = "[";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    out += Math.round(values[i]! * FIXED_POINT);
  }
  return `${out}]`;
}

function fromVectorText(text: string): number[] {
  return (JSON.parse(text) as number[]).map((v) => v / FIXED_POINT);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The table is per dimension and created here rather than by drizzle migrations: the dimension follows the
 * embedding model, and the migrations must still apply to a Postgres server that has no pgvector.
 */
function ddl(dimension: number, index: "hnsw" | "exact" | "ivfflat"): SQL[] {
  const table = pgvectorTableName(dimension);
  const hnsw = `${table}_embedding_hnsw`;
  return [
    sql`create extension if not exists vector`,
    sql.raw(
      `create table if not exists ${table} (
        namespace text not null,
        id text not null,
        embedding vector(${dimension}) not null,
        metadata jsonb not null default '{}'::jsonb,
        updated_at timestamptz not null default now(),
        primary key (namespace, id)
      )`,
    ),
    // Capture's metadata pushes a row past Postgres' 2 KB threshold, which by default moves the vector out
    // of line (TOAST): every scanned row then costs a second lookup (an exact scan of 29k rows: 90 ms
    // against 32 ms inline). MAIN keeps the vector in the row and lets the metadata move instead.
    sql.raw(`alter table ${table} alter column embedding set storage main`),
    // An index left by the other mode (a data directory moved between a server and PGlite) is adjusted.
    sql.raw(
      index === "hnsw"
        ? `create index if not exists ${hnsw} on ${table} using hnsw (embedding vector_cosine_ops)`
        : `drop index if exists ${hnsw}`,
    ),
    sql.raw(`create index if not exists ${table}_namespace on ${table} (namespace)`),
  ];
}

/**
 * The nearest-neighbour statement, exported so tests can EXPLAIN exactly what `query` runs. relaxed_order
 * may emit rows slightly out of order; the materialized CTE keeps the index scan and re-sorts its output.
 */
export function nearestSql(dimension: number, namespace: string, query: VectorQuery): SQL {
  return sql`
    with nearest as materialized (
      select id, ${query.includeMetadata === false ? sql`` : sql`metadata, `}embedding <=> ${toVectorLiteral(query.vector)}::vector as distance
      from ${sql.identifier(pgvectorTableName(dimension))}
      where namespace = ${namespace}${filterSql(parseFilter(query.filter))}
      order by distance
      limit ${query.topK}
    )
    select id, ${query.includeMetadata === false ? sql`'{}'::jsonb as metadata` : sql`metadata`},
      1 - distance as score
    from nearest order by distance, id`;
}

async function detectIndex(db: PgvectorDatabase): Promise<"hnsw" | "ivfflat"> {
  const version = rowsOf<{ v: string }>(await db.execute(sql`select version() as v`))[0]?.v ?? "";
  return /wasm32|emscripten|PGlite/i.test(version) ? "ivfflat" : "hnsw";
}

export function createPgvectorStore(options: PgvectorStoreOptions): VectorStore {
  const { db, dimension } = options;
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > MAX_HNSW_DIMENSION) {
    throw new Error(
      `pgvector store dimension must be an integer from 1 to ${MAX_HNSW_DIMENSION} (got ${dimension})`,
    );
  }
  const table = sql.identifier(pgvectorTableName(dimension));

  interface Ready {
    index: "hnsw" | "exact" | "ivfflat";
    iterativeScan: boolean;
  }
  let ready: Promise<Ready> | undefined;
  function ensure(): Promise<Ready> {
    ready ??= (async () => {
      const index =
        options.index && options.index !== "auto" ? options.index : await detectIndex(db);
      const [extension, ...rest] = ddl(dimension, index);
      try {
        await db.execute(extension!);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(
          `could not enable pgvector (${reason}): the database has no usable vector extension; ${PGVECTOR_MISSING_HINT}`,
          { cause: error },
        );
      }
      for (const statement of rest) await db.execute(statement);
      // hnsw.iterative_scan arrived in pgvector 0.8; on older servers setting it is an error.
      const version = rowsOf<{ v: string }>(
        await db.execute(sql`select extversion as v from pg_extension where extname = 'vector'`),
      )[0]?.v;
      const [major = 0, minor = 0] = (version ?? "0.0").split(".").map(Number);
      if (index === "ivfflat") await useIvfflat(db, pgvectorTableName(dimension));
      return { index, iterativeScan: major > 0 || minor >= 8 };
    })().catch((error: unknown) => {
      // A failed setup (a race with another process, a dropped connection) is retried on the next call.
      ready = undefined;
      throw error;
    });
    return ready;
  }

  return {
    kind: "pgvector",
    dimension,

    async upsert(namespace, records) {
      assertNamespace(namespace);
      const prepared = prepareRecords(records, dimension);
      if (prepared.length === 0) return;
      await ensure();
      for (const batch of chunks(prepared, UPSERT_BATCH)) {
        const values = batch.map(
          (r) =>
            sql`(${namespace}, ${r.id}, ${toVectorLiteral(r.values)}::vector, ${JSON.stringify(r.metadata)}::jsonb, now())`,
        );
        await db.execute(sql`
          insert into ${table} (namespace, id, embedding, metadata, updated_at)
          values ${sql.join(values, sql`, `)}
          on conflict (namespace, id) do update
            set embedding = excluded.embedding, metadata = excluded.metadata, updated_at = excluded.updated_at`);
      }
    },

    async query(namespace, query) {
      assertNamespace(namespace);
      assertQuery(query, dimension);
      const clauses = parseFilter(query.filter);
      if (matchesNothing(clauses)) return [];
      const { index, iterativeScan } = await ensure();
      const read = (result: unknown) =>
        rowsOf<{ id: string; metadata: unknown; score: number | string }>(result).map(
          (row): VectorMatch => ({
            id: row.id,
            score: Number(row.score),
            metadata: jsonOf(row.metadata as VectorMetadata | string) ?? {},
          }),
        );
      // An exact scan needs no settings, and IVFFlat's are the session's (see useIvfflat): one statement.
      if (index !== "hnsw") return read(await db.execute(nearestSql(dimension, namespace, query)));
      return db.transaction(async (tx) => {
        // Without iterative scan, an index collects its candidates and *then* filters, so a selective
        // filter (or a small namespace in a big table) returns fewer than topK rows. The settings are
        // transaction-local (set_config(..., true)).
        // ef_search bounds the candidate list (default 40, max 1000); it must be at least topK.
        const efSearch = Math.min(Math.max(query.topK, 40), 1000);
        await tx.execute(sql`select set_config('hnsw.ef_search', ${String(efSearch)}, true)`);
        if (iterativeScan) {
          await tx.execute(sql`select set_config('hnsw.iterative_scan', 'relaxed_order', true)`);
        }
        return read(await tx.execute(nearestSql(dimension, namespace, query)));
      });
    },

    async maintain() {
      const { index } = await ensure();
      if (index !== "ivfflat") return { action: "none" as const };
      const report = await maintainIvfflat(
        db,
        pgvectorTableName(dimension),
        options.ivfflatMinRows,
      );
      await useIvfflat(db, pgvectorTableName(dimension));
      return report;
    },

    async fetch(namespace, ids) {
      assertNamespace(namespace);
      if (ids.length === 0) return [];
      await ensure();
      const found = new Map<string, VectorRecord>();
      for (const batch of chunks([...new Set(ids)], ID_BATCH)) {
        const result = await db.execute(sql`
          select id, embedding::text as embedding, metadata from ${table}
          where namespace = ${namespace} and id in (${sql.join(
            batch.map((id) => sql`${id}`),
            sql`, `,
          )})`);
        for (const row of rowsOf<{ id: string; embedding: string; metadata: unknown }>(result)) {
          found.set(row.id, {
            id: row.id,
            values: fromVectorText(row.embedding),
            metadata: jsonOf(row.metadata as VectorMetadata | string) ?? {},
          });
        }
      }
      return inRequestedOrder(ids, found);
    },

    async scan(namespace, page) {
      assertNamespace(namespace);
      await ensure();
      const result = await db.execute(sql`
        select id, embedding::text as embedding from ${table}
        where namespace = ${namespace}${page.afterId === undefined ? sql`` : sql` and id > ${page.afterId}`}
        order by id limit ${page.limit}`);
      return rowsOf<{ id: string; embedding: string }>(result).map((row) => ({
        id: row.id,
        values: fromVectorText(row.embedding),
      }));
    },

    async delete(namespace, ids) {
      assertNamespace(namespace);
      if (ids.length === 0) return;
      await ensure();
      for (const batch of chunks(ids, ID_BATCH)) {
        await db.execute(sql`
          delete from ${table}
          where namespace = ${namespace} and id in (${sql.join(
            batch.map((id) => sql`${id}`),
            sql`, `,
          )})`);
      }
    },

    async deleteNamespace(namespace) {
      assertNamespace(namespace);
      await ensure();
      await db.execute(sql`delete from ${table} where namespace = ${namespace}`);
    },

    async count(namespace) {
      assertNamespace(namespace);
      await ensure();
      const result = await db.execute(
        sql`select count(*)::int as n from ${table} where namespace = ${namespace}`,
      );
      return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
    },

    async ping() {
      await ensure();
      await db.execute(sql`select 1`);
    },
  };
}
