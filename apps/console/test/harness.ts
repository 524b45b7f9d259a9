import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";
import { promisify } from "node:util";

export const appDir = path.resolve(import.meta.dirname, "..");
export const rootDir = path.resolve(appDir, "../..");
const run = promisify(execFile);

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** The production build of the console, started as `pnpm start` would (next start). */
export class Console {
  private child: ChildProcess | undefined;
  readonly output: string[] = [];

  constructor(
    readonly port: number,
    readonly env: Record<string, string>,
  ) {}

  /** The console's process id, for reading its memory from /proc. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const next = path.join(appDir, "node_modules", ".bin", "next");
    this.child = spawn(next, ["start", "--port", String(this.port), "--hostname", "127.0.0.1"], {
      cwd: appDir,
      env: { ...process.env, ...this.env, PORT: String(this.port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout?.on("data", (d: Buffer) => this.output.push(d.toString()));
    this.child.stderr?.on("data", (d: Buffer) => this.output.push(d.toString()));
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new Error(`console exited early:\n${this.output.join("")}`);
      }
      try {
        const res = await fetch(`${this.url}/api/health`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    // Not left running behind a failed start: a stray console would hold its port and data directory.
    this.child.kill("SIGKILL");
    throw new Error(`console did not become healthy:\n${this.output.join("")}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill("SIGTERM");
    const exited = once(child, "exit");
    const timeout = new Promise((r) => setTimeout(r, 15_000));
    await Promise.race([exited, timeout]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

/** Runs the operator CLI exactly as `pnpm cli` does, with the given environment. */
export async function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const apiDir = path.join(rootDir, "api", "console");
  try {
    const { stdout, stderr } = await run(
      path.join(apiDir, "node_modules", ".bin", "tsx"),
      ["src/cli/main.ts", ...args],
      { cwd: apiDir, env: { ...process.env, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
