import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createUseEngine } from "../src/use-engine.mjs";
import { usePaths } from "../src/use-paths";
import { UseTokenizer, type UseVocabulary } from "../src/use-tokenizer";
import { cosineSimilarity, normalize } from "../src/vector-math";

/*
 * Its own file, so its own process: TF.js has one backend per thread, and this one must end up on cpu.
 * A machine whose WebAssembly will not start must still embed, slowly, rather than fail.
 */
describe("USE engine without WebAssembly", () => {
  it("falls back to the cpu backend and still matches the reference vectors", async () => {
    const { modelDir } = usePaths();
    const engine = await createUseEngine({
      modelDir,
      wasmDir: path.join(modelDir, "no-wasm-here"),
    });
    expect(engine.backend).toBe("cpu");

    const reference = JSON.parse(
      readFileSync(path.join(import.meta.dirname, "fixtures", "use-vectors.json"), "utf8"),
    ) as { cases: [string, number[]][] };
    const [text, expected] = reference.cases[0]!;
    const vocabulary = JSON.parse(
      readFileSync(path.join(modelDir, "vocab.json"), "utf8"),
    ) as UseVocabulary;
    const ids = new UseTokenizer(vocabulary).encode(text);
    const vectors = await engine.embed(Int32Array.from(ids), Int32Array.from([0, ids.length]));
    expect(cosineSimilarity(normalize(vectors), expected)).toBeGreaterThan(0.99);
    engine.dispose();
  });
});
