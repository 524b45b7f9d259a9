import { describe, expect, it } from "vitest";
import { Bm25Index } from "./bm25";
import { stem } from "./text";

function indexOf(docs: { title?: string; body?: string; keys?: string }[]): Bm25Index {
  const index = new Bm25Index();
  docs.forEach((d, n) => {
    index.add(n, { title: d.title ?? "", body: d.body ?? "", keys: d.keys ?? "" });
  });
  return index;
}

const order = (index: Bm25Index, query: string) =>
  index.search(index.expand(query), { limit: 10 }).map((h) => h.doc);

describe("Bm25Index", () => {
  it("ranks a document with a rare query term above one with only a common term", () => {
    const index = indexOf([
      { body: "request error in the checkout service" },
      { body: "request error in the payments service" },
      { body: "request error in the search service" },
      { body: "quota exceeded in the search service" },
      { body: "request error in the auth service" },
    ]);
    expect(index.idf("quota")).toBeGreaterThan(index.idf("error"));
    const hits = index.search(index.expand("error quota"), { limit: 10 });
    expect(hits[0]).toMatchObject({ doc: 3, matched: ["quota"] });
    expect(hits.map((h) => h.doc).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("never lets a term everywhere subtract from a score", () => {
    const index = indexOf([{ body: "error" }, { body: "error" }, { body: "error" }]);
    expect(index.idf("error")).toBeGreaterThan(0);
    expect(index.search(index.expand("error"), { limit: 10 })).toHaveLength(3);
  });

  it("weights a match in the title above the same match in the body", () => {
    const index = indexOf([
      { title: "details of the incident", body: "checkout crash on submit" },
      { title: "checkout crash on submit", body: "details of the incident" },
    ]);
    expect(order(index, "checkout")).toEqual([1, 0]);
    // And an entity key above the body.
    const keyed = indexOf([
      { title: "one", body: "PaymentIntentError two three" },
      { title: "one", body: "two three four", keys: "PaymentIntentError" },
    ]);
    expect(order(keyed, "PaymentIntentError")).toEqual([1, 0]);
  });

  it("reads a misspelt word as the indexed words within its edit budget", () => {
    const index = indexOf([
      { title: "payments declined", body: "card declined by the bank" },
      { title: "inventory drift", body: "stock levels disagree" },
    ]);
    const expanded = index.expand("paymnets");
    expect(expanded).toEqual([{ term: stem("payments"), weight: 0.8, from: stem("paymnets") }]);
    expect(order(index, "paymnets")).toEqual([0]);
    // A correctly spelt word is used as is, at full weight.
    expect(index.expand("payments")).toEqual([{ term: "payment", weight: 1 }]);
    // Short words get no corrections: too many near neighbours.
    expect(index.expand("bnak")).toEqual([]);
  });

  it("joins adjacent query words into a compound the index knows", () => {
    const index = indexOf([
      { body: "timeout in stripe-client after 30s" },
      { body: "the client of stripe timed out" },
    ]);
    expect(index.expand("stripe client")).toContainEqual({ term: "stripe-client", weight: 1 });
    // Both documents hold both words; only the first holds the compound.
    expect(order(index, "stripe client")[0]).toBe(0);
    const hit = index.search(index.expand("stripe client"), { limit: 1 })[0]!;
    expect(hit.matched).toContain("stripe-client");
  });

  it("joins a compound whose first word is a stop word (`on call` -> `oncall`)", () => {
    // The documented example of expand(): `on call` -> `oncall`.
    const index = indexOf([{ body: "paged the oncall engineer" }, { body: "nothing here" }]);
    expect(index.expand("on call")).toContainEqual({ term: "oncall", weight: 1 });
    expect(order(index, "on call")).toEqual([0]);
  });

  it("applies accept and limit, and breaks ties by document order", () => {
    const index = indexOf([
      { body: "timeout" },
      { body: "timeout" },
      { body: "timeout" },
      { body: "timeout" },
    ]);
    expect(order(index, "timeout")).toEqual([0, 1, 2, 3]);
    expect(
      index
        .search(index.expand("timeout"), { limit: 2, accept: (d) => d % 2 === 1 })
        .map((h) => h.doc),
    ).toEqual([1, 3]);
  });

  it("refuses documents added out of order", () => {
    const index = new Bm25Index();
    expect(() => index.add(1, { title: "", body: "", keys: "" })).toThrow(/in order/);
  });
});
