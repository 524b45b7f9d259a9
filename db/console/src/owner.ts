import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isMainThread } from "node:worker_threads";

/**
 * PGlite is single-process: two processes opening one data directory corrupt it. The process that opens
 * the directory records itself here; when it is the console it also records the loopback port on which it
 * serves the database, so the CLI, benchmarks and the eval harness connect through it instead.
 */
export interface DataDirOwner {
  pid: number;
  role: string;
  port?: number;
  startedAt: string;
}

const FILE = "owner.json";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function readOwner(dataDir: string): DataDirOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path.join(dataDir, FILE), "utf8")) as DataDirOwner;
    // The same pid is a stale record of an earlier process, unless this is a worker thread of the owning
    // process (the console's workflow thread), which must connect through its main thread like anyone.
    const ours = owner.pid === process.pid;
    return (ours ? !isMainThread : isAlive(owner.pid)) ? owner : undefined;
  } catch {
    return undefined;
  }
}

export function writeOwner(dataDir: string, owner: Omit<DataDirOwner, "pid" | "startedAt">): void {
  mkdirSync(dataDir, { recursive: true });
  const record: DataDirOwner = { pid: process.pid, startedAt: new Date().toISOString(), ...owner };
  writeFileSync(path.join(dataDir, FILE), JSON.stringify(record));
}

export function releaseOwner(dataDir: string): void {
  try {
    const owner = JSON.parse(readFileSync(path.join(dataDir, FILE), "utf8")) as DataDirOwner;
    if (owner.pid === process.pid) rmSync(path.join(dataDir, FILE));
  } catch {
    // Nothing recorded, or already released.
  }
}
