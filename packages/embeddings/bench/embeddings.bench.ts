/**
 * Throughput of the two local providers. Prints figures and asserts nothing: the numbers depend on the
 * machine (and on whatever else runs on it: run it on an idle one). USE is measured on 1,000-character
 * texts, short titles, and whole observations (title + content + summary in one call, 4 calls in
 * flight as the in-process runner's OUTBOX_CONCURRENCY), in the calling thread and on worker threads.
 * Each USE mode runs in a process of its own so that its RSS is its own.
 * Run with `pnpm bench embeddings [--threads N]` from the root, or `pnpm --filter @repo/embeddings bench`.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createLexicalEmbeddingProvider } from "../src/lexical";
import type { EmbeddingProvider } from "../src/types";
import { createUseEmbeddingProvider, loadUseModel } from "../src/use";

const WORDS = (
  "the a payment card declined checkout stripe error user account login session token retry queue " +
  "worker database index vector search embedding model latency timeout deploy region cluster cache " +
  "invoice customer refund webhook event schema migration release feature flag dashboard metric"
).split(" ");

/** Deterministic pseudo-prose, so runs compare like with like. */
function makeText(seed: number, length: number): string {
  let state = seed * 2654435761;
  let text = "";
  while (text.length < length) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    text += `${WORDS[state % WORDS.length]} `;
  }
  return text.slice(0, length).trim();
}

const LONG = 1000;
const TITLE = 60;
const SUMMARY = 250;

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

/** Texts per second for `count` texts of `length` characters, `callSize` per embed call, one call at a time. */
async function texts(
  name: string,
  provider: EmbeddingProvider,
  length: number,
  count: number,
  callSize: number,
): Promise<void> {
  const inputs = Array.from({ length: count }, (_, i) => makeText(i + 1, length));
  await provider.embed(inputs.slice(0, callSize)); // warm-up: JIT, and the wasm backend's first kernels
  const started = performance.now();
  for (let i = 0; i < inputs.length; i += callSize)
    await provider.embed(inputs.slice(i, i + callSize));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${name.padEnd(22)} ${String(count).padStart(4)} texts x ${String(length).padStart(4)} chars, ` +
      `${String(callSize).padStart(3)} per call: ${(count / seconds).toFixed(1).padStart(7)} texts/s`,
  );
}

/** Observations per second: each one embeds title, content and summary in one call, 4 calls in flight. */
async function observations(
  name: string,
  provider: EmbeddingProvider,
  count: number,
): Promise<void> {
  const observation = (i: number) => [
    makeText(3 * i + 1, TITLE),
    makeText(3 * i + 2, LONG),
    makeText(3 * i + 3, SUMMARY),
  ];
  await provider.embed(observation(0));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < count) await provider.embed(observation(1 + next++));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${name.padEnd(22)} ${String(count).padStart(4)} observations (${TITLE} + ${LONG} + ${SUMMARY} chars), ` +
      `4 in flight: ${(count / seconds).toFixed(1).padStart(5)} obs/s = ${((3 * count) / seconds).toFixed(1)} texts/s`,
  );
}

async function use(threads: number | undefined): Promise<void> {
  const loadStarted = performance.now();
  const runtime = await loadUseModel({ threads });
  const name = `use ${runtime.backend} x${runtime.threads || "1 (main)"}`;
  console.log(
    `${name.padEnd(22)} load ${(performance.now() - loadStarted).toFixed(0)} ms, ` +
      `${runtime.threads ? `${runtime.threads} worker threads` : "in the calling thread"}`,
  );
  const provider = createUseEmbeddingProvider({ threads });
  await texts(name, provider, LONG, 64, 32);
  await texts(name, provider, TITLE, 512, 32);
  await texts(name, provider, TITLE, 64, 1);
  await observations(name, provider, 40);
  const { rss, heapUsed } = process.memoryUsage();
  console.log(`${name.padEnd(22)} process RSS ${mb(rss)} (JS heap ${mb(heapUsed)})`);
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--threads");
  if (at >= 0) {
    const value = process.argv[at + 1];
    await use(value === undefined || value === "default" ? undefined : Number(value));
    return;
  }
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  await texts("lexical", createLexicalEmbeddingProvider(), LONG, 1000, 100);
  for (const threads of ["0", "default"]) {
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), "--threads", threads],
      { stdio: "inherit" },
    );
    if (run.status !== 0) throw new Error(`the USE bench with --threads ${threads} failed`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
