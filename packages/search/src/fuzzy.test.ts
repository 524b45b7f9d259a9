import { describe, expect, it } from "vitest";
import { allowedEdits, editDistance, LetterBudget, trigramSimilarity, trigrams } from "./fuzzy";

describe("editDistance", () => {
  it("counts an adjacent transposition as one edit", () => {
    expect(editDistance("paymnets", "payments")).toBe(1);
    expect(editDistance("recieve", "receive")).toBe(1);
    expect(editDistance("ab", "ba")).toBe(1);
  });

  it("is Levenshtein otherwise, and symmetric", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("abc", "")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
    for (const [a, b] of [
      ["checkout", "chekcout"],
      ["stripe", "strip"],
      ["inventory", "invetnory"],
    ] as const) {
      expect(editDistance(a, b)).toBe(editDistance(b, a));
    }
  });

  it("gives up past max, answering max + 1", () => {
    expect(editDistance("abcdef", "uvwxyz", 2)).toBe(3);
    expect(editDistance("a", "abcdefgh", 2)).toBe(3);
    // Within the budget the exact distance comes back.
    expect(editDistance("paymnets", "payments", 2)).toBe(1);
    expect(editDistance("kitten", "sitting", 3)).toBe(3);
  });

  it("allows no edits to short words, one to medium and two to long ones", () => {
    expect(allowedEdits(4)).toBe(0);
    expect(allowedEdits(5)).toBe(1);
    expect(allowedEdits(7)).toBe(1);
    expect(allowedEdits(8)).toBe(2);
  });
});

describe("trigramSimilarity", () => {
  it("builds pg_trgm's padded trigrams", () => {
    expect(trigrams("cat")).toEqual(new Set(["  c", " ca", "cat", "at "]));
    expect(trigrams("CAT")).toEqual(trigrams("cat"));
  });

  it("is 1 for the same text (any case) and 0 for texts sharing no trigram", () => {
    expect(trigramSimilarity("PAYMENTS-API-1F", "payments-api-1f")).toBe(1);
    expect(trigramSimilarity("abc", "xyz")).toBe(0);
  });

  it("stays within [0, 1], is symmetric, and ranks a near miss above a stranger", () => {
    const pairs = [
      ["PAYMENTS-API-1F", "paymnets-api-1f"],
      ["PAYMENTS-API-1F", "PAYMENTS-API-2G"],
      ["cart-summary.tsx", "cart-sumary.tsx"],
      ["a", "abcdefghijklmnop"],
      ["", "x"],
    ] as const;
    for (const [a, b] of pairs) {
      const s = trigramSimilarity(a, b);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
      expect(trigramSimilarity(b, a)).toBe(s);
    }
    const typo = trigramSimilarity("PAYMENTS-API-1F", "paymnets-api-1f");
    expect(typo).toBeGreaterThan(0.5);
    expect(typo).toBeLessThan(1);
    expect(typo).toBeGreaterThan(trigramSimilarity("PAYMENTS-API-1F", "INVENTORY-SYNC-4X"));
  });

  it("accepts precomputed trigram sets", () => {
    expect(trigramSimilarity(trigrams("checkout"), "checkout")).toBe(1);
    expect(trigramSimilarity(new Set<string>(), "checkout")).toBe(0);
  });

  it("bounds edit distance by letter counts: never rules out a word within the budget", () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 4294967296;
    };
    const word = (length: number) =>
      Array.from({ length }, () => "abcdeilnorst"[Math.floor(next() * 12)]).join("");
    let ruledOut = 0;
    for (let n = 0; n < 3000; n++) {
      const a = word(5 + Math.floor(next() * 6));
      // Half the words are a's with an edit or two, the rest unrelated.
      let b = next() < 0.5 ? a : word(a.length + Math.floor(next() * 3) - 1);
      if (b === a) b = `${a.slice(0, 2)}${a[3]}${a[2]}${a.slice(4)}x`;
      const budget = new LetterBudget(a);
      for (const max of [1, 2]) {
        const within = budget.within(b, max);
        if (editDistance(a, b, max) <= max) expect(within).toBe(true);
        if (!within) ruledOut++;
      }
    }
    expect(ruledOut).toBeGreaterThan(1000);
    expect(new LetterBudget("café").within("cafe", 0)).toBe(true);
  });
});
