import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { usePaths } from "../src/use-paths";
import { UseTokenizer, type UseVocabulary } from "../src/use-tokenizer";

/*
 * Token ids recorded from the tokenizer this one replaces (@energetic-ai/embeddings 0.2.0): any
 * difference would change vectors already stored in workspaces. The cases include its quirks: runs of
 * unknown pieces, NFKC, astral and lone surrogate characters, a piece listed twice in the vocabulary.
 */
const fixture = JSON.parse(
  readFileSync(path.join(import.meta.dirname, "fixtures", "use-tokens.json"), "utf8"),
) as { cases: [string, number[]][] };

const vocabulary = JSON.parse(
  readFileSync(path.join(usePaths().modelDir, "vocab.json"), "utf8"),
) as UseVocabulary;
const tokenizer = new UseTokenizer(vocabulary);

describe("USE tokenizer", () => {
  it("splits every recorded case exactly as the original", () => {
    expect(fixture.cases.length).toBeGreaterThan(30);
    for (const [text, ids] of fixture.cases) expect(tokenizer.encode(text), text).toEqual(ids);
  });

  it("costs linear time: 100,000 characters in well under a second", () => {
    const text = "checkout payment declined for customer ".repeat(2600);
    const started = performance.now();
    const ids = tokenizer.encode(text);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(ids.length).toBeGreaterThan(10_000);
  });
});
