import type { MetadataValue, VectorFilter, VectorQuery, VectorRecord } from "./types";

/**
 * Checks shared by both stores, so a bad call fails the same way whichever backend is configured, and
 * before anything is sent.
 */

export type Scalar = string | number | boolean;

export type FilterClause =
  | { key: string; op: "$eq"; value: Scalar }
  | { key: string; op: "$ne"; value: Scalar }
  | { key: string; op: "$in"; values: (string | number)[] };

export function assertNamespace(namespace: string): void {
  if (typeof namespace !== "string" || namespace.length === 0) {
    throw new Error("a vector namespace (the workspace id) is required and must not be empty");
  }
}

export function assertDimension(what: string, values: readonly number[], dimension: number): void {
  if (!Array.isArray(values) || values.length !== dimension) {
    throw new Error(
      `vector dimension mismatch: ${what} has ${Array.isArray(values) ? values.length : "no"} values, ` +
        `this store holds ${dimension}-dimensional vectors (the embedding model and the store must agree)`,
    );
  }
  for (const v of values) {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new Error(`${what} contains a value that is not a finite number (${String(v)})`);
    }
  }
}

/** Validates records and keeps the last of any repeated id, as a sequence of single upserts would. */
export function prepareRecords(
  records: readonly VectorRecord[],
  dimension: number,
): VectorRecord[] {
  const byId = new Map<string, VectorRecord>();
  for (const record of records) {
    if (typeof record.id !== "string" || record.id.length === 0 || record.id.length > 512) {
      throw new Error(
        `vector record ids must be 1-512 characters (got ${JSON.stringify(record.id)})`,
      );
    }
    assertDimension(`record "${record.id}"`, record.values, dimension);
    byId.delete(record.id);
    byId.set(record.id, { ...record, metadata: record.metadata ?? {} });
  }
  return [...byId.values()];
}

export function assertQuery(query: VectorQuery, dimension: number): void {
  assertDimension("the query vector", query.vector, dimension);
  if (!Number.isInteger(query.topK) || query.topK < 1 || query.topK > 10_000) {
    throw new Error(`topK must be an integer from 1 to 10000 (got ${query.topK})`);
  }
}

function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}

function scalarOrThrow(key: string, op: string, value: MetadataValue | undefined): Scalar {
  if (!isScalar(value)) {
    throw new Error(
      `filter on "${key}": ${op} takes a string, number or boolean; use $in to match any of several values`,
    );
  }
  return value;
}

/** Reads a filter into clauses (ANDed), rejecting anything outside the subset both stores implement. */
export function parseFilter(filter: VectorFilter | undefined): FilterClause[] {
  if (!filter) return [];
  const clauses: FilterClause[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (key.length === 0 || key.startsWith("$")) {
      throw new Error(
        `filter key "${key}" is not supported: name a metadata field ($and/$or are not)`,
      );
    }
    if (typeof condition !== "object" || condition === null || Array.isArray(condition)) {
      clauses.push({ key, op: "$eq", value: scalarOrThrow(key, "equality", condition) });
      continue;
    }
    const ops = Object.keys(condition);
    const op = ops[0];
    if (ops.length !== 1 || (op !== "$eq" && op !== "$ne" && op !== "$in")) {
      throw new Error(
        `filter on "${key}": use exactly one of $eq, $ne or $in (got ${ops.join(", ") || "nothing"})`,
      );
    }
    if (op === "$in") {
      const values = (condition as { $in: unknown }).$in;
      if (
        !Array.isArray(values) ||
        !values.every((v) => typeof v === "string" || (typeof v === "number" && Number.isFinite(v)))
      ) {
        throw new Error(`filter on "${key}": $in takes a list of strings or numbers`);
      }
      clauses.push({ key, op, values: values as (string | number)[] });
    } else {
      const value = (condition as Record<string, MetadataValue>)[op];
      clauses.push({ key, op, value: scalarOrThrow(key, op, value) });
    }
  }
  return clauses;
}

/** `$in: []` can match nothing; both stores answer it without asking the backend. */
export function matchesNothing(clauses: readonly FilterClause[]): boolean {
  return clauses.some((c) => c.op === "$in" && c.values.length === 0);
}

/** Fetched records in the order their ids were asked for, each once, missing ids left out (both stores). */
export function inRequestedOrder(
  ids: readonly string[],
  found: Map<string, VectorRecord>,
): VectorRecord[] {
  return ids.flatMap((id) => {
    const record = found.get(id);
    found.delete(id);
    return record ? [record] : [];
  });
}
