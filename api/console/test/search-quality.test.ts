import { createWorkspace, type DatabaseHandle } from "@db/console";
import { openTestDatabase } from "@db/console/testing";
import { searchRequestSchema } from "@repo/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Corpora } from "../src/search/corpora";
import { runSearch, type SearchDeps } from "../src/search/service";
import { testDeps } from "./deps";
import { captureEvents, worldEvents, worldQueries } from "./world";

let handle: DatabaseHandle;
let deps: SearchDeps;
let workspaceId: string;

beforeAll(async () => {
  handle = await openTestDatabase();
  const base = await testDeps(handle);
  deps = { ...base, corpora: new Corpora(base.db) };
  workspaceId = (await createWorkspace(handle.db, { name: "quality" })).id;
  await captureEvents(base, workspaceId, worldEvents());
});
afterAll(() => handle.close());

async function keysFor(query: string): Promise<string[]> {
  const response = await runSearch(deps, {
    workspaceId,
    request: searchRequestSchema.parse({ query }),
    requestId: "quality",
    authMs: 0,
  });
  return response.data.map((r) =>
    r.entity.type === "alert" ? `alert:${r.entity.id}` : r.entity.id,
  );
}

/**
 * The labelled dev world's identifier queries (exact, lower-cased, spaced-out and numeric short ids) must
 * answer with their issue first: the promise of the entity path, whatever the embedder.
 */
describe("search quality on the dev world", () => {
  const queries = worldQueries();

  it.each(queries.filter((q) => q.kind === "identifier").map((q) => [q.query, q.relevant[0]!]))(
    "%s -> %s first",
    async (query, relevant) => {
      expect((await keysFor(query))[0]).toBe(relevant);
    },
  );

  it.each(queries.filter((q) => q.kind === "file").map((q) => [q.query, q.relevant]))(
    "%s -> its files' issues in the top 10",
    async (query, relevant) => {
      const top = await keysFor(query);
      for (const key of relevant) expect(top).toContain(key);
    },
  );
});
