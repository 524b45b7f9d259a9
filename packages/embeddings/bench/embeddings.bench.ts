/**
 * Throughput of the two local providers on 1,000-character texts. Prints figures and asserts nothing:
 * the numbers depend on the machine, and USE is slow enough that the run is kept short (~30 texts).
 * Run with `pnpm --filter @repo/embeddings bench`.
 */
import { createLexicalEmbeddingProvider } from "../src/lexical";
import type { EmbeddingProvider } from "../src/types";
import { createUseEmbeddingProvider, loadUseModel } from "../src/use";

const TEXT_LENGTH = 1000;
const WORDS = (
  "the a payment card declined checkout stripe error user account login session token retry queue " +
  "worker database index vector search embedding model latency timeout deploy region cluster cache " +
  "invoice customer refund webhook event schema migration release feature flag dashboard metric"
).split(" ");

/** Deterministic pseudo-prose, so runs compare like with like. */
function makeText(seed: number): string {
  let state = seed * 2654435761;
  let text = "";
  while (text.length < TEXT_LENGTH) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    text += `${WORDS[state % WORDS.length]} `;
  }
  return text.slice(0, TEXT_LENGTH);
}

async function bench(
  name: string,
  provider: EmbeddingProvider,
  count: number,
  batchSize: number,
): Promise<void> {
  const texts = Array.from({ length: count }, (_, i) => makeText(i + 1));
  await provider.embed([makeText(0)]); // warm-up: JIT, and for USE the WASM backend's first kernels
  const batchTimes: number[] = [];
  const started = performance.now();
  for (let i = 0; i < texts.length; i += batchSize) {
    const batchStart = performance.now();
    await provider.embed(texts.slice(i, i + batchSize));
    batchTimes.push(performance.now() - batchStart);
  }
  const totalMs = performance.now() - started;
  const perBatch = batchTimes.reduce((a, b) => a + b, 0) / batchTimes.length;
  console.log(
    `${name.padEnd(8)} ${provider.model.padEnd(36)} ${String(count).padStart(5)} texts x ${TEXT_LENGTH} chars, ` +
      `batch ${String(batchSize).padStart(3)}: ${(count / (totalMs / 1000)).toFixed(1).padStart(8)} texts/s, ` +
      `${perBatch.toFixed(1).padStart(7)} ms/batch, ${totalMs.toFixed(0)} ms total`,
  );
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  await bench("lexical", createLexicalEmbeddingProvider(), 1000, 100);

  const loadStarted = performance.now();
  await loadUseModel();
  console.log(
    `use      model load ${(performance.now() - loadStarted).toFixed(0)} ms (once per process)`,
  );
  await bench("use", createUseEmbeddingProvider(), 32, 16);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
