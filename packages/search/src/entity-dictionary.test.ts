import { describe, expect, it } from "vitest";
import { EntityDictionary } from "./entity-dictionary";
import { trigramSimilarity } from "./fuzzy";

describe("entity dictionary fuzzy matching", () => {
  it("finds exactly the entities a full comparison finds, reading only the rarest trigrams' postings", () => {
    const dictionary = new EntityDictionary();
    const keys: string[] = [];
    // Thousands of ids sharing most trigrams, as one busy project's issues do, and some strangers.
    const projects = ["PRICING-DASHBOARD", "PAYMENTS-API", "SHIPPING-API", "CART-SUMMARY"];
    for (let i = 0; i < 4000; i++) {
      keys.push(`${projects[i % projects.length]}-${(i * 7919).toString(36).toUpperCase()}`);
    }
    keys.push("TypeError", "StripeCardError", "checkout.tsx");
    for (const [doc, key] of keys.entries()) dictionary.add(doc, { category: "short_id", key });
    let matched = 0;
    for (const candidate of [
      "pricin-gdashboard-1nn",
      "paymnets-api-1f",
      "shipipng-api-188",
      "cart-sumary-2b",
      "stripecarderor",
    ]) {
      const expected = keys
        .map((key) => ({ key, similarity: trigramSimilarity(candidate, key) }))
        .filter((m) => m.similarity >= 0.5)
        .map((m) => m.key)
        .sort();
      const found = dictionary
        .match([candidate])
        .map((m) => m.entry.key)
        .sort();
      expect(found).toEqual(expected);
      matched += found.length;
    }
    expect(matched).toBeGreaterThan(10);
  });
});
