import { describe, expect, it } from "vitest";
import { percentile, responseKeys, resultKeys, scoreQuery, summarize, table } from "./metrics";

describe("scoreQuery", () => {
  it("gives a perfect ranking 1 on every metric", () => {
    const score = scoreQuery(["A-1", "A-2"], [["A-1"], ["A-2"], ["B-9"]]);
    expect(score["ndcg@10"]).toBeCloseTo(1, 10);
    expect(score["recall@1"]).toBe(0.5);
    expect(score["recall@10"]).toBe(1);
    expect(score.mrr).toBe(1);
    expect(score.ranks).toEqual({ "A-1": 1, "A-2": 2 });
  });

  it("scores a lone relevant item at rank 2 as 1/log2(3), recall@1 0 and MRR 1/2", () => {
    const score = scoreQuery(["A-1"], [["B-1"], ["A-1"], ["C-1"]]);
    expect(score["ndcg@10"]).toBeCloseTo(1 / Math.log2(3), 10);
    expect(score["recall@1"]).toBe(0);
    expect(score["recall@10"]).toBe(1);
    expect(score.mrr).toBe(0.5);
  });

  it("counts each relevant item once, at its best rank", () => {
    // A-1 appears three times: only rank 2 counts, so recall cannot exceed the share of items found.
    const score = scoreQuery(["A-1", "A-2"], [["X"], ["A-1"], ["A-1"], ["A-1", "Y"]]);
    expect(score.ranks).toEqual({ "A-1": 2, "A-2": null });
    expect(score["recall@10"]).toBe(0.5);
    const ideal = 1 + 1 / Math.log2(3);
    expect(score["ndcg@10"]).toBeCloseTo(1 / Math.log2(3) / ideal, 10);
  });

  it("ignores results past the tenth and repeated relevant labels", () => {
    const ranked = Array.from({ length: 12 }, (_, i) => [`N-${i}`]);
    ranked[10] = ["A-1"];
    const score = scoreQuery(["A-1", " A-1 "], ranked);
    expect(score).toMatchObject({ "ndcg@10": 0, "recall@1": 0, "recall@10": 0, mrr: 0 });
    expect(score.ranks).toEqual({ "A-1": null });
  });

  it("compares keys case-sensitively after trimming", () => {
    expect(scoreQuery(["PAY-5H"], [[" PAY-5H "]]).mrr).toBe(1);
    expect(scoreQuery(["PAY-5H"], [["pay-5h"]]).mrr).toBe(0);
  });

  it("caps the ideal DCG at ten items", () => {
    const relevant = Array.from({ length: 12 }, (_, i) => `R-${i}`);
    const score = scoreQuery(
      relevant,
      relevant.map((r) => [r]),
    );
    expect(score["ndcg@10"]).toBeCloseTo(1, 10);
    expect(score["recall@10"]).toBeCloseTo(10 / 12, 10);
  });

  it("never reports nDCG above 1 when one result names two relevant items", () => {
    expect(scoreQuery(["A-1", "A-2"], [["A-1", "A-2"]])["ndcg@10"]).toBe(1);
  });
});

describe("resultKeys", () => {
  it("reads the entity and issue or alert references, prefixing alerts", () => {
    expect(
      resultKeys({
        entity: { type: "issue", id: "PAY-5H" },
        references: [
          { type: "project", id: "payments-api" },
          { type: "issue", id: "PAY-5Q" },
          { type: "alert", id: "5128144" },
          { type: "issue", id: "PAY-5H" },
        ],
      }),
    ).toEqual(["PAY-5H", "PAY-5Q", "alert:5128144"]);
    expect(resultKeys({ entity: { type: "alert", id: "77" }, references: [] })).toEqual([
      "alert:77",
    ]);
    expect(resultKeys({ entity: { type: "observation", id: "obs_1" } })).toEqual([]);
  });
});

describe("responseKeys", () => {
  it("reads the first ten results of a /v1/search answer and refuses anything else", () => {
    const data = Array.from({ length: 12 }, (_, i) => ({
      id: `r${i}`,
      entity: { type: "issue", id: `I-${i}`, state: null },
      references: [],
    }));
    const keys = responseKeys({ data, meta: {} });
    expect(keys).toHaveLength(10);
    expect(keys?.[0]).toEqual(["I-0"]);
    expect(responseKeys({ error: "INTERNAL_ERROR" })).toBeUndefined();
    expect(responseKeys(undefined)).toBeUndefined();
  });
});

describe("summarize", () => {
  it("averages overall and per kind", () => {
    const one = { "ndcg@10": 1, "recall@1": 1, "recall@10": 1, mrr: 1 };
    const zero = { "ndcg@10": 0, "recall@1": 0, "recall@10": 0, mrr: 0 };
    const summary = summarize([
      { kind: "topic", score: one },
      { kind: "topic", score: zero },
      { kind: "alert", score: one },
    ]);
    expect(summary.mrr).toBeCloseTo(2 / 3, 10);
    expect(summary.byKind).toEqual({
      topic: { "ndcg@10": 0.5, "recall@1": 0.5, "recall@10": 0.5, mrr: 0.5 },
      alert: one,
    });
  });
});

describe("table", () => {
  it("puts system beside bm25 for every metric, overall and per kind", () => {
    const m = { "ndcg@10": 0.5, "recall@1": 0.25, "recall@10": 0.75, mrr: 1 };
    const z = { "ndcg@10": 0, "recall@1": 0, "recall@10": 0, mrr: 0 };
    const lines = table(
      { ...m, byKind: { topic: m } },
      { ...z, byKind: { topic: z } },
      {
        all: 3,
        topic: 3,
      },
    ).split("\n");
    expect(lines[0]).toMatch(/kind\s+n\s+recall@1\s+recall@10\s+MRR\s+nDCG@10$/);
    expect(lines[2]?.split(/\s+/)).toEqual([
      "all",
      "3",
      "0.250",
      "0.000",
      "0.750",
      "0.000",
      "1.000",
      "0.000",
      "0.500",
      "0.000",
    ]);
    expect(lines[3]?.startsWith("topic")).toBe(true);
  });
});

describe("percentile", () => {
  it("takes the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});
