import type { VectorRecord, VectorStore } from "./types";
import { inRequestedOrder } from "./validate";

/**
 * A store that answers `fetch` for records it has just written from memory. Capture embeds a batch, upserts
 * it, and reads the content vectors back a step later to place each observation in a cluster; served from
 * memory, that read costs neither the database's float formatting nor a round trip, and on Pinecone it
 * does not depend on a fresh write being visible yet. Bounded (least recently written are dropped first),
 * and anything not remembered is read from the store as before; deletes forget what they remove.
 */
export function rememberRecentWrites(store: VectorStore, capacity = 4096): VectorStore {
  const recent = new Map<string, VectorRecord>();
  const keyOf = (namespace: string, id: string) => `${namespace}\u0000${id}`;
  const forgetNamespace = (namespace: string) => {
    const prefix = `${namespace}\u0000`;
    for (const key of recent.keys()) if (key.startsWith(prefix)) recent.delete(key);
  };
  return {
    kind: store.kind,
    dimension: store.dimension,
    async upsert(namespace, records) {
      await store.upsert(namespace, records);
      for (const record of records) {
        const key = keyOf(namespace, record.id);
        recent.delete(key);
        recent.set(key, {
          id: record.id,
          values: [...record.values],
          metadata: { ...record.metadata },
        });
      }
      for (const key of recent.keys()) {
        if (recent.size <= capacity) break;
        recent.delete(key);
      }
    },
    async fetch(namespace, ids) {
      const found = new Map<string, VectorRecord>();
      const missing: string[] = [];
      for (const id of new Set(ids)) {
        const record = recent.get(keyOf(namespace, id));
        if (record) found.set(id, { ...record, values: [...record.values] });
        else missing.push(id);
      }
      if (missing.length > 0) {
        for (const record of await store.fetch(namespace, missing)) found.set(record.id, record);
      }
      return inRequestedOrder(ids, found);
    },
    query: (namespace, query) => store.query(namespace, query),
    ...(store.maintain ? { maintain: () => store.maintain!() } : {}),
    ...(store.scan ? { scan: (namespace, page) => store.scan!(namespace, page) } : {}),
    async delete(namespace, ids) {
      for (const id of ids) recent.delete(keyOf(namespace, id));
      await store.delete(namespace, ids);
    },
    async deleteNamespace(namespace) {
      forgetNamespace(namespace);
      await store.deleteNamespace(namespace);
    },
    count: (namespace) => store.count(namespace),
    ping: () => store.ping(),
  };
}
