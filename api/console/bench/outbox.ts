import { createWorkspace, insertWebhookPayload, openDatabase } from "@db/console";
import { createEmbeddingProvider } from "@repo/embeddings";
import { createVectorStore, vectorId } from "@repo/vectors";
import { z } from "zod";
import { OutboxRunner } from "../src/outbox/runner";
import { defineEvent, defineWorkflow } from "../src/workflows/types";

/**
 * The in-process engine's throughput: payloads stored, then drained by the runner through a two-step
 * workflow (embed with the lexical model, upsert to pgvector), steps memoised on the row as in production.
 */
export async function benchOutbox(): Promise<void> {
  const count = 1000;
  const handle = await openDatabase({ dataDir: "memory://", migrate: true, role: "bench" });
  const embeddings = createEmbeddingProvider({ kind: "lexical" });
  const vectors = createVectorStore({
    kind: "pgvector",
    db: handle.db,
    dimension: embeddings.dimension,
  });
  const event = defineEvent(
    "bench/text.received",
    z.object({ workspaceId: z.string(), text: z.string() }),
  );
  const workflow = defineWorkflow({
    id: "bench-embed",
    trigger: event,
    retries: 3,
    handler: async ({ event: e, step, deps }) => {
      const [values] = await step.run("embed", () => deps.embeddings.embed([e.data.text]));
      await step.run("upsert", () =>
        deps.vectors.upsert(e.data.workspaceId, [
          { id: vectorId("content", e.id ?? e.data.text), values: values!, metadata: {} },
        ]),
      );
    },
  });
  const ws = await createWorkspace(handle.db, { name: "bench" });
  const insertStarted = performance.now();
  for (let i = 0; i < count; i++) {
    const text = `TypeError: cannot read properties of undefined (reading 'total') in checkout #${i}`;
    await insertWebhookPayload(handle.db, {
      workspaceId: ws.id,
      source: "bench",
      resource: "issue",
      action: "created",
      body: JSON.stringify({ i, text }),
      event: { id: `evt-${i}`, name: event.name, data: { workspaceId: ws.id, text } },
    });
  }
  const insertSeconds = (performance.now() - insertStarted) / 1000;
  const runner = new OutboxRunner({
    deps: { db: handle.db, embeddings, vectors },
    registry: [workflow],
    concurrency: 4,
  });
  const drainStarted = performance.now();
  const processed = await runner.drain();
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  console.log(
    JSON.stringify(
      {
        bench: "outbox (in-process runner on PGlite)",
        payloads: count,
        storedPerSecond: Math.round(count / insertSeconds),
        processed,
        workflowRunsPerSecond: Math.round(processed / drainSeconds),
        vectors: await vectors.count(ws.id),
      },
      null,
      2,
    ),
  );
  await handle.close();
}
