import { describe, expect, it } from "vitest";
import { topK } from "./paths";

describe("topK", () => {
  it("keeps exactly the best items of a full sort, in order, ties broken the same way", () => {
    let seed = 9;
    const next = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 4294967296;
    };
    // Many equal scores: the tie-break decides, as significance and document number do in the paths.
    const items = Array.from({ length: 5000 }, (_, id) => ({ id, score: Math.floor(next() * 50) }));
    const before = (a: (typeof items)[number], b: (typeof items)[number]) =>
      a.score !== b.score ? a.score > b.score : a.id > b.id;
    const sorted = [...items].sort((a, b) => (before(a, b) ? -1 : 1));
    for (const limit of [0, 1, 7, 100, 5000, 6000]) {
      expect(topK(items, limit, before)).toEqual(sorted.slice(0, limit));
    }
  });
});
