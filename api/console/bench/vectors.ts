import { openDatabase } from "@db/console";
import { createVectorStore, vectorId } from "@repo/vectors";
import { summarize } from "./stats";

/** pgvector on PGlite: bulk upsert rate and query latency, unfiltered and filtered, at 512 dimensions. */
export async function benchVectors(): Promise<void> {
  const dimension = 512;
  const count = 5000;
  const handle = await openDatabase({ dataDir: "memory://", migrate: true, role: "bench" });
  const store = createVectorStore({ kind: "pgvector", db: handle.db, dimension });
  let seed = 42;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  const vector = () => Array.from({ length: dimension }, rand);

  const started = performance.now();
  for (let i = 0; i < count; i += 250) {
    await store.upsert(
      "ws_bench",
      Array.from({ length: Math.min(250, count - i) }, (_, j) => ({
        id: vectorId("content", `o${i + j}`),
        values: vector(),
        metadata: { source: "sentry", level: (i + j) % 10 === 0 ? "fatal" : "error" },
      })),
    );
  }
  const upsertSeconds = (performance.now() - started) / 1000;

  const plain: number[] = [];
  const filtered: number[] = [];
  for (let i = 0; i < 100; i++) {
    const q = vector();
    let t = performance.now();
    await store.query("ws_bench", { vector: q, topK: 10 });
    plain.push(performance.now() - t);
    t = performance.now();
    await store.query("ws_bench", { vector: q, topK: 10, filter: { level: "fatal" } });
    filtered.push(performance.now() - t);
  }
  console.log(
    JSON.stringify(
      {
        bench: "vectors (pgvector in PGlite, HNSW cosine)",
        dimension,
        records: count,
        upsertPerSecond: Math.round(count / upsertSeconds),
        queryMs: summarize(plain),
        filteredQueryMs: summarize(filtered),
      },
      null,
      2,
    ),
  );
  await handle.close();
}
