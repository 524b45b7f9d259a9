import { createApiKey, createWorkspace, type DatabaseHandle } from "@db/console";
import { openTestDatabase } from "@db/console/testing";
import type { SearchResponse } from "@repo/schemas";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handleSearch, type SearchRuntime } from "../src/search/http";
import { createOpenAIJudge } from "../src/search/judge";
import { testDeps } from "./deps";
import { type ChatDouble, startChatDouble } from "./openai-chat-http-double";
import { captureEvents, worldEvents } from "./world";

let handle: DatabaseHandle;
let runtime: SearchRuntime;
let double: ChatDouble;
let apiKey: string;
const OPENAI_KEY = "sk-test-judge-key-never-logged";

beforeAll(async () => {
  handle = await openTestDatabase();
  const deps = await testDeps(handle);
  runtime = { db: deps.db, vectors: deps.vectors, embeddings: deps.embeddings };
  const workspaceId = (await createWorkspace(handle.db, { name: "judge" })).id;
  await captureEvents(deps, workspaceId, worldEvents());
  apiKey = (await createApiKey(handle.db, { workspaceId })).apiKey;
  // The double's judge prefers timeouts: a visible, checkable preference the fused ranking lacks.
  double = await startChatDouble((_query, result) => (/timed? ?out/i.test(result) ? 3 : 0));
});
afterAll(async () => {
  await double.close();
  await handle.close();
});

function search(rt: SearchRuntime, body: Record<string, unknown>, judgeRuntime = true) {
  const judge = createOpenAIJudge({ apiKey: OPENAI_KEY, baseURL: double.baseURL, model: "judge" });
  return handleSearch(
    new Request("http://console.test/v1/search", {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    rt,
    judgeRuntime ? { judge } : {},
  ).then(async (r) => ({ status: r.status, json: (await r.json()) as SearchResponse }));
}

describe("thorough mode", () => {
  it("blends the judge's verdict into the ranking and reports the mode and the judge's score", async () => {
    const rt = { ...runtime };
    const balanced = await search(rt, { query: "why are payments failing", mode: "balanced" });
    const thorough = await search(rt, {
      query: "why are payments failing",
      mode: "thorough",
      explain: true,
    });
    expect(thorough.status).toBe(200);
    expect(thorough.json.meta.mode).toBe("thorough");
    expect(balanced.json.meta.mode).toBe("balanced");
    const timeouts = (r: SearchResponse) =>
      r.data.slice(0, 3).filter((d) => /timed? ?out/i.test(d.title)).length;
    expect(timeouts(thorough.json)).toBeGreaterThan(timeouts(balanced.json));
    expect(thorough.json.data[0]?.explain?.rerank.judge).toBe(1);
    // The judge saw positional ids and text, never the API keys or internal ids.
    const sent = double.requests.at(-1)!;
    expect(sent.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(sent.body).not.toContain(apiKey);
    expect(sent.body).not.toMatch(/obs_|ws_/);
  });

  it("answers as balanced, with the balanced ranking, when the judge fails", async () => {
    const rt = { ...runtime };
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const balanced = await search(rt, { query: "card payments timing out", mode: "balanced" });
    double.failNext(500);
    const thorough = await search(rt, { query: "card payments timing out", mode: "thorough" });
    expect(thorough.status).toBe(200);
    expect(thorough.json.meta.mode).toBe("balanced");
    expect(thorough.json.data.map((d) => d.id)).toEqual(balanced.json.data.map((d) => d.id));
    expect(warn.mock.calls.flat().join(" ")).not.toContain(OPENAI_KEY);
    warn.mockRestore();
  });

  it("answers as balanced without a judge configured", async () => {
    const result = await search(
      { ...runtime },
      { query: "prisma errors", mode: "thorough" },
      false,
    );
    expect(result.json.meta.mode).toBe("balanced");
  });
});
