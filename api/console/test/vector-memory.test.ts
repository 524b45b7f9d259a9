import { createWorkspace, type DatabaseHandle } from "@db/console";
import { openTestDatabase, testDatabaseTarget } from "@db/console/testing";
import { type SourceEvent, searchRequestSchema } from "@repo/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Corpora } from "../src/search/corpora";
import { runSearch, type SearchDeps } from "../src/search/service";
import { VectorMemory } from "../src/search/vector-memory";
import { vectorPath } from "../src/search/vector-paths";
import type { WorkflowDeps } from "../src/workflows/types";
import { testDeps } from "./deps";
import { captureEvents, worldEvents, worldQueries } from "./world";

let handle: DatabaseHandle;
let base: WorkflowDeps;
let memory: VectorMemory;
let withMemory: SearchDeps;
let storeOnly: SearchDeps;
let workspaceId: string;

beforeAll(async () => {
  handle = await openTestDatabase();
  base = await testDeps(handle);
  workspaceId = (await createWorkspace(handle.db, { name: "vector copy" })).id;
  await captureEvents(base, workspaceId, worldEvents());
  // Every workspace gets a copy here; the console keeps them for workspaces of 10,000 vectors and more.
  memory = VectorMemory.for(base.vectors, { minVectors: 1, log: () => {} })!;
  withMemory = { ...base, corpora: new Corpora(base.db), memory };
  storeOnly = { ...base, corpora: new Corpora(base.db) };
});
afterAll(() => handle.close());

async function search(deps: SearchDeps, query: string, extra: Record<string, unknown> = {}) {
  return runSearch(deps, {
    workspaceId,
    request: searchRequestSchema.parse({ query, groupBy: "none", explain: true, ...extra }),
    requestId: "vector-copy",
    authMs: 0,
  });
}

describe(`in-memory vector copy (${testDatabaseTarget()}, pgvector, lexical embeddings)`, () => {
  it("answers unfiltered searches as the store does, once it has loaded in the background", async () => {
    const queries = worldQueries().map((q) => q.query);
    // The first search starts the copy and is answered by the store meanwhile.
    await search(withMemory, queries[0]!);
    expect(memory.stats).toEqual({ answered: 0, deferred: 1 });
    expect(await memory.loaded(await withMemory.corpora.get(workspaceId))).toBe(true);

    // The vector path itself, from the copy and from the store, over every labelled query.
    const corpus = await withMemory.corpora.get(workspaceId);
    let overlap = 0;
    for (const query of queries) {
      const [queryVector] = await base.embeddings.embed([query], "query");
      const path = (copy: VectorMemory | undefined) =>
        vectorPath({
          vectors: base.vectors,
          workspaceId,
          corpus,
          queryVector: queryVector!,
          accept: () => true,
          filtered: false,
          memory: copy,
          limit: 20,
        });
      const [fromMemory, fromStore] = [await path(memory), await path(undefined)];
      expect(fromMemory).toHaveLength(fromStore.length);
      const stored = new Map(fromStore.map((h) => [h.doc, h.score]));
      for (const hit of fromMemory) {
        const score = stored.get(hit.doc);
        if (score === undefined) continue;
        overlap++;
        expect(Math.abs(hit.score - score)).toBeLessThan(0.01);
      }
      overlap += 20 - fromStore.length;
    }
    expect(memory.stats.answered).toBe(queries.length);
    // Exact in both at this size: only int8 rounding can swap a near tie at the cut.
    expect(overlap / (20 * queries.length)).toBeGreaterThanOrEqual(0.95);
    // And whole searches go through it.
    const response = await search(withMemory, queries[1]!);
    expect(response.meta.paths.vector).toEqual(expect.objectContaining({ status: "ok" }));
    expect(memory.stats.answered).toBe(queries.length + 1);
  });

  it("takes in observations captured after it loaded", async () => {
    const template = worldEvents()[0]!;
    const event: SourceEvent = {
      ...template,
      sourceId: `${template.sourceId}:late`,
      title: "Quasar flux capacitor overheated in the warp drive",
      body: "Quasar flux capacitor overheated in the warp drive during checkout.",
    };
    await captureEvents(base, workspaceId, [event]);
    const answered = memory.stats.answered;
    const response = await search(withMemory, "quasar flux capacitor warp drive");
    expect(memory.stats.answered).toBe(answered + 1);
    const top = response.data[0]!;
    expect(top.title).toBe(event.title);
    expect(top.explain?.paths.vector?.rank).toBe(1);
  });

  it("leaves filtered searches to the store, which filters during its scan", async () => {
    const answered = memory.stats.answered;
    const filters = { filters: { sourceTypes: ["issue.created"] } };
    const response = await search(withMemory, "checkout errors", filters);
    expect(memory.stats.answered).toBe(answered);
    expect(response.data.length).toBeGreaterThan(0);
    const fromStore = await search(storeOnly, "checkout errors", filters);
    expect(response.data.map((r) => r.id)).toEqual(fromStore.data.map((r) => r.id));
  });
});
