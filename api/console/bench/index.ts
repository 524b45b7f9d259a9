import { spawnSync } from "node:child_process";
import path from "node:path";
import { benchOutbox } from "./outbox";
import { benchVectors } from "./vectors";

/**
 * `pnpm bench [name...]`: runs the named benchmarks (all when none is named). Each prints its figures as
 * JSON and asserts nothing; targets are compared by reading them, not by failing a test on a slow machine.
 */
const suites: Record<string, () => Promise<void>> = {
  embeddings: async () => {
    const dir = path.resolve(import.meta.dirname, "../../../packages/embeddings");
    const tsx = path.join(dir, "node_modules", ".bin", "tsx");
    const result = spawnSync(tsx, ["bench/embeddings.bench.ts"], { cwd: dir, stdio: "inherit" });
    if (result.status !== 0) throw new Error("embeddings bench failed");
  },
  vectors: benchVectors,
  outbox: benchOutbox,
};

const requested = process.argv.slice(2).filter((a) => !a.startsWith("-"));
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
