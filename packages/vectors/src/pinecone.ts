import {
  isPineconeNotFound,
  type PineconeIndex,
  type PineconeRecord,
  type RecordMetadata,
} from "@vendor/pinecone";
import type { VectorMatch, VectorMetadata, VectorRecord, VectorStore } from "./types";
import {
  assertNamespace,
  assertQuery,
  inRequestedOrder,
  matchesNothing,
  parseFilter,
  prepareRecords,
} from "./validate";

export interface PineconeBatchLimits {
  /** Pinecone accepts at most 1000 records per upsert request. */
  maxRecords: number;
  /** ...and at most 2 MB per request; this is the budget for the records' JSON, below that cap. */
  maxBytes: number;
}

export const PINECONE_BATCH_LIMITS: PineconeBatchLimits = {
  maxRecords: 1000,
  // 2 MiB minus room for the request envelope ({"vectors":[...],"namespace":"..."}).
  maxBytes: 2 * 1024 * 1024 - 16 * 1024,
};

export interface PineconeStoreOptions {
  /** From `createPineconeIndex` (@vendor/pinecone); namespaces are chosen per call. */
  index: PineconeIndex;
  dimension: number;
  batchLimits?: PineconeBatchLimits;
}

/** Fetch sends ids as repeated query parameters; this keeps the URL well under common length limits. */
const FETCH_BATCH = 100;
const DELETE_BATCH = 1000;

/** Splits records into upsert requests that respect both the count and the byte limit. */
export function planUpsertBatches<T extends { id: string }>(
  records: readonly T[],
  limits: PineconeBatchLimits = PINECONE_BATCH_LIMITS,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const record of records) {
    // +1 for the comma between array elements.
    const size = Buffer.byteLength(JSON.stringify(record)) + 1;
    if (size > limits.maxBytes) {
      throw new Error(
        `vector record "${record.id}" is ${size} bytes as JSON, over Pinecone's per-request limit; trim its metadata`,
      );
    }
    if (
      current.length > 0 &&
      (current.length >= limits.maxRecords || bytes + size > limits.maxBytes)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Serverless Pinecone answers 404 for deletes in a namespace that holds nothing: already deleted. */
async function ignoreNotFound(operation: Promise<void>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (!isPineconeNotFound(error)) throw error;
  }
}

export function createPineconeStore(options: PineconeStoreOptions): VectorStore {
  const { index, dimension } = options;
  const limits = options.batchLimits ?? PINECONE_BATCH_LIMITS;
  if (!Number.isInteger(dimension) || dimension < 1) {
    throw new Error(`Pinecone store dimension must be a positive integer (got ${dimension})`);
  }

  return {
    kind: "pinecone",
    dimension,

    async upsert(namespace, records) {
      assertNamespace(namespace);
      const prepared = prepareRecords(records, dimension);
      const ns = index.namespace(namespace);
      const payload = prepared.map(
        (r): PineconeRecord<RecordMetadata> => ({
          id: r.id,
          values: r.values,
          metadata: r.metadata,
        }),
      );
      for (const batch of planUpsertBatches(payload, limits)) {
        await ns.upsert({ records: batch });
      }
    },

    async query(namespace, query) {
      assertNamespace(namespace);
      assertQuery(query, dimension);
      const clauses = parseFilter(query.filter);
      if (matchesNothing(clauses)) return [];
      const response = await index.namespace(namespace).query({
        vector: query.vector,
        topK: query.topK,
        includeMetadata: query.includeMetadata !== false,
        includeValues: false,
        // The SDK rejects an empty filter object, so omit it rather than send {}.
        ...(clauses.length > 0 ? { filter: query.filter } : {}),
      });
      return response.matches.map(
        (m): VectorMatch => ({
          id: m.id,
          score: m.score ?? 0,
          metadata: (m.metadata ?? {}) as VectorMetadata,
        }),
      );
    },

    async fetch(namespace, ids) {
      assertNamespace(namespace);
      const found = new Map<string, VectorRecord>();
      const ns = index.namespace(namespace);
      for (const batch of chunks([...new Set(ids)], FETCH_BATCH)) {
        const response = await ns.fetch({ ids: batch });
        for (const [id, record] of Object.entries(response.records)) {
          found.set(id, {
            id,
            values: record.values ?? [],
            metadata: (record.metadata ?? {}) as VectorMetadata,
          });
        }
      }
      return inRequestedOrder(ids, found);
    },

    async delete(namespace, ids) {
      assertNamespace(namespace);
      const ns = index.namespace(namespace);
      for (const batch of chunks([...new Set(ids)], DELETE_BATCH)) {
        await ignoreNotFound(ns.deleteMany({ ids: batch }));
      }
    },

    async deleteNamespace(namespace) {
      assertNamespace(namespace);
      await ignoreNotFound(index.namespace(namespace).deleteAll());
    },

    async count(namespace) {
      assertNamespace(namespace);
      const stats = await index.describeIndexStats();
      return stats.namespaces?.[namespace]?.recordCount ?? 0;
    },

    async ping() {
      await index.describeIndexStats();
    },
  };
}
