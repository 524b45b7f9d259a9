import { existsSync } from "node:fs";
import path from "node:path";

/**
 * The repository root, found from the working directory. Turbo and pnpm run each package's scripts in the
 * package's own folder, so a relative DATA_DIR must not depend on which process opened it.
 */
export function workspaceRoot(from: string = process.cwd()): string {
  let dir = path.resolve(/*turbopackIgnore: true*/ from);
  for (;;) {
    if (existsSync(path.join(/*turbopackIgnore: true*/ dir, "pnpm-workspace.yaml"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(/*turbopackIgnore: true*/ from);
    dir = parent;
  }
}

export function resolveDataDir(dataDir: string): string {
  if (dataDir.startsWith("memory://")) return dataDir;
  return path.isAbsolute(dataDir)
    ? dataDir
    : path.join(/*turbopackIgnore: true*/ workspaceRoot(), dataDir);
}

// Built from the root rather than `import.meta.url`, which Turbopack rewrites when it bundles this package.
export function migrationsFolder(): string {
  return path.join(/*turbopackIgnore: true*/ workspaceRoot(), "db", "console", "migrations");
}
