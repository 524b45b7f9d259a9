import { spawnSync } from "node:child_process";
import path from "node:path";
import { benchOutbox } from "./outbox";
import { benchSearch } from "./search";
import { benchVectors } from "./vectors";

/**
 * `pnpm bench [name...]`: runs the named benchmarks (all when none is named). Each prints its figures as
 * JSON and asserts nothing; targets are compared by reading them, not by failing a test on a slow machine.
 */
const root = path.resolve(import.meta.dirname, "../../..");
const flags = process.argv
  .slice(2)
  .filter((a, i, all) => a.startsWith("-") || all[i - 1]?.startsWith("--"));

/** A benchmark that lives in another package runs there, with its own dependencies. */
function script(dir: string, file: string): () => Promise<void> {
  return async () => {
    const cwd = path.join(root, dir);
    const tsx = path.join(cwd, "node_modules", ".bin", "tsx");
    const result = spawnSync(tsx, [file, ...flags], { cwd, stdio: "inherit" });
    if (result.status !== 0) throw new Error(`${dir}/${file} failed`);
  };
}

const suites: Record<string, () => Promise<void>> = {
  embeddings: script("packages/embeddings", "bench/embeddings.bench.ts"),
  webhooks: script("apps/console", "bench/webhooks.ts"),
  capture: script("apps/console", "bench/capture.ts"),
  vectors: benchVectors,
  outbox: benchOutbox,
  search: benchSearch,
};

const requested = process.argv.slice(2).filter((a) => !flags.includes(a));
const unknown = requested.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark(s): ${unknown.join(", ")}; available: ${Object.keys(suites).join(", ")}`,
  );
  process.exit(2);
}
for (const name of requested.length > 0 ? requested : Object.keys(suites)) {
  console.log(`\n== bench ${name}`);
  await suites[name]!();
}
