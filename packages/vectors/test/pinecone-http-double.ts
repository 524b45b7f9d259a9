/**
 * A TEST DOUBLE of Pinecone's data-plane HTTP API (not Pinecone, not a product): enough of
 * /vectors/upsert, /query, /vectors/fetch, /vectors/delete and /describe_index_stats for the official SDK,
 * pointed at it with `host`, to run the same contract suite as pgvector without network or an account.
 * Shapes follow the SDK's generated client (camelCase JSON, `vectorCount` in stats, `{}` from delete).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

type Metadata = Record<string, string | number | boolean | string[]>;
interface StoredVector {
  id: string;
  values: number[];
  metadata?: Metadata;
}

/** The JSON bodies the SDK sends, merged: each route reads its own fields. */
interface RequestBody {
  namespace?: string;
  vectors?: StoredVector[];
  vector?: number[];
  topK?: number;
  filter?: Record<string, unknown>;
  includeValues?: boolean;
  includeMetadata?: boolean;
  ids?: string[];
  deleteAll?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  bodyBytes: number;
  body: unknown;
}

export interface PineconeHttpDouble {
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Limits Pinecone documents for one upsert request. */
const MAX_UPSERT_VECTORS = 1000;
const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Pinecone's list semantics: a string[] field equals a value when it contains it. */
function equalsValue(field: unknown, value: unknown): boolean {
  return Array.isArray(field) ? field.includes(value) : field === value;
}

function matchesFilter(metadata: Metadata, filter: Record<string, unknown>): boolean {
  return Object.entries(filter).every(([key, condition]) => {
    if (key === "$and")
      return (condition as Record<string, unknown>[]).every((f) => matchesFilter(metadata, f));
    if (key === "$or")
      return (condition as Record<string, unknown>[]).some((f) => matchesFilter(metadata, f));
    const field = metadata[key];
    if (typeof condition !== "object" || condition === null) return equalsValue(field, condition);
    return Object.entries(condition).every(([op, operand]) => {
      switch (op) {
        case "$eq":
          return equalsValue(field, operand);
        case "$ne":
          return !equalsValue(field, operand);
        case "$in":
          return (operand as unknown[]).some((v) => equalsValue(field, v));
        case "$nin":
          return !(operand as unknown[]).some((v) => equalsValue(field, v));
        default:
          throw new HttpError(400, `Unsupported filter operator ${op}`);
      }
    });
  });
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 3,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

export async function startPineconeHttpDouble(options: {
  dimension: number;
  apiKey?: string;
}): Promise<PineconeHttpDouble> {
  const apiKey = options.apiKey ?? "test-double-key";
  const namespaces = new Map<string, Map<string, StoredVector>>();
  const requests: RecordedRequest[] = [];

  function space(name: string): Map<string, StoredVector> {
    const existing = namespaces.get(name);
    if (existing) return existing;
    const created = new Map<string, StoredVector>();
    namespaces.set(name, created);
    return created;
  }

  function handle(
    method: string,
    path: string,
    query: URLSearchParams,
    body: RequestBody,
  ): unknown {
    const namespace = (method === "GET" ? query.get("namespace") : body.namespace) ?? "";
    if (method === "POST" && path === "/vectors/upsert") {
      const vectors = body.vectors ?? [];
      if (vectors.length > MAX_UPSERT_VECTORS) {
        throw new HttpError(
          400,
          `Upsert accepts at most ${MAX_UPSERT_VECTORS} vectors per request`,
        );
      }
      for (const v of vectors) {
        if (v.values.length !== options.dimension) {
          throw new HttpError(
            400,
            `Vector dimension ${v.values.length} does not match the dimension of the index ${options.dimension}`,
          );
        }
      }
      const ns = space(namespace);
      for (const v of vectors) ns.set(v.id, { id: v.id, values: v.values, metadata: v.metadata });
      return { upsertedCount: vectors.length };
    }
    if (method === "POST" && path === "/query") {
      const vector = body.vector;
      if (!Array.isArray(vector)) {
        throw new HttpError(400, "Only queries by vector are supported by this double");
      }
      if (vector.length !== options.dimension) {
        throw new HttpError(
          400,
          `Query vector dimension ${vector.length} does not match the dimension of the index ${options.dimension}`,
        );
      }
      const filter = body.filter;
      const candidates = [...(namespaces.get(namespace)?.values() ?? [])].filter(
        (v) => !filter || matchesFilter(v.metadata ?? {}, filter),
      );
      const matches = candidates
        .map((v) => ({ v, score: cosine(vector, v.values) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, body.topK)
        .map(({ v, score }) => ({
          id: v.id,
          score,
          values: body.includeValues ? v.values : [],
          ...(body.includeMetadata && v.metadata ? { metadata: v.metadata } : {}),
        }));
      return { matches, namespace, usage: { readUnits: 1 } };
    }
    if (method === "GET" && path === "/vectors/fetch") {
      const ns = namespaces.get(namespace);
      const vectors: Record<string, StoredVector> = {};
      for (const id of query.getAll("ids")) {
        const v = ns?.get(id);
        if (v) vectors[id] = v;
      }
      return { vectors, namespace, usage: { readUnits: 1 } };
    }
    if (method === "POST" && path === "/vectors/delete") {
      const ns = namespaces.get(namespace);
      // Serverless Pinecone reports a namespace with no records as not found.
      if (!ns || ns.size === 0) throw new HttpError(404, "Namespace not found", 5);
      if (body.deleteAll) ns.clear();
      else for (const id of body.ids ?? []) ns.delete(id);
      return {};
    }
    if (method === "POST" && path === "/describe_index_stats") {
      const summary: Record<string, { vectorCount: number }> = {};
      let total = 0;
      for (const [name, ns] of namespaces) {
        if (ns.size === 0) continue;
        summary[name] = { vectorCount: ns.size };
        total += ns.size;
      }
      return {
        namespaces: summary,
        dimension: options.dimension,
        indexFullness: 0,
        totalVectorCount: total,
        metric: "cosine",
        vectorType: "dense",
      };
    }
    throw new HttpError(404, `No route for ${method} ${path}`, 5);
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const raw = await readBody(req);
    const body = (raw.length > 0 ? JSON.parse(raw.toString("utf8")) : {}) as RequestBody;
    requests.push({
      method: req.method ?? "",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      bodyBytes: raw.length,
      body,
    });
    let status = 200;
    let payload: unknown;
    try {
      if (req.headers["api-key"] !== apiKey) throw new HttpError(401, "Invalid API Key", 16);
      if (raw.length > MAX_REQUEST_BYTES)
        throw new HttpError(
          400,
          `Request size ${raw.length} exceeds the maximum of ${MAX_REQUEST_BYTES} bytes`,
        );
      payload = handle(req.method ?? "", url.pathname, url.searchParams, body);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      status = error.status;
      payload = { code: error.code, message: error.message, details: [] };
    }
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(payload));
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ code: 13, message: String(error), details: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
