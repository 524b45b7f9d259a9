/**
 * `pnpm bench webhooks`: sustained Sentry deliveries against the production build on the embedded defaults.
 * Open loop: request i is due at start + i/rate whatever happened before it, and its latency is measured
 * from that due time, so a stall shows up in the tail instead of silently slowing the sender down.
 * Prints ack latency percentiles, errors and rows stored; asserts nothing. Target: p99 <= 25 ms, 0 lost.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  createWorkspace,
  linkSentryInstallation,
  openDatabase,
  workspaceWebhookPayloads,
} from "@db/console";
import { hmacSha256Hex } from "@repo/webhooks";
import { sql } from "drizzle-orm";
import { Console, freePort, rootDir } from "../test/harness";

const { values } = parseArgs({
  args: process.argv.slice(2),
  strict: false,
  options: { rate: { type: "string" }, duration: { type: "string" } },
});
const rate = Number(values.rate ?? 200);
const durationSeconds = Number(values.duration ?? 60);
const SECRET = "bench-client-secret-0123456789abcdef";
const INSTALLATION = "b3c4d5e6-0000-4000-8000-000000000001";
const WARMUP_SECONDS = 3;

// A bounded keep-alive pool, as a real sender's would be: opening a socket per in-flight request makes the
// client, not the server, the bottleneck on a two-core machine.
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ??
    Number.NaN
  );
}

async function main() {
  if (!existsSync(path.join(rootDir, "apps/console/.next/BUILD_ID"))) {
    throw new Error("no production build: run `pnpm build` first (pnpm start builds too)");
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "nmc-bench-"));
  const setup = await openDatabase({ dataDir, migrate: true, role: "bench" });
  const ws = await createWorkspace(setup.db, { name: "bench" });
  await linkSentryInstallation(setup.db, {
    uuid: INSTALLATION,
    workspaceId: ws.id,
    organizationSlug: "brightcart",
    kind: "public",
  });
  await setup.close();

  const dataset = readFileSync(path.join(rootDir, "../shared/eval/dev/webhooks.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { resource: string; body: string })
    .filter((d) => d.resource !== "installation")
    .map((d) => {
      const uuid = (JSON.parse(d.body) as { installation: { uuid: string } }).installation.uuid;
      return { resource: d.resource, body: d.body.replaceAll(uuid, INSTALLATION) };
    });
  // Signed as it is sent, so the sender's heap stays small and its GC does not show up as latency.
  const delivery = (phase: string, i: number) => {
    const base = dataset[i % dataset.length]!;
    // Unique bytes per delivery, so each one is stored rather than answered as a duplicate.
    const body = `{"bench_${phase}":${i},${base.body.slice(1)}`;
    return { resource: base.resource, body, signature: hmacSha256Hex(SECRET, body) };
  };

  const app = new Console(await freePort(), { DATA_DIR: dataDir, SENTRY_CLIENT_SECRET: SECRET });
  await app.start();
  const url = `${app.url}/api/sentry/webhooks`;

  /** Sends `rate` deliveries a second for `seconds`, open loop, and records each one's ack. */
  async function drive(phase: string, seconds: number) {
    const total = Math.round(rate * seconds);
    const run = {
      total,
      latencies: [] as number[],
      perSecond: new Map<number, number[]>(),
      sendLag: [] as number[],
      statuses: {} as Record<string, number>,
      errors: 0,
      elapsed: 0,
    };
    const started = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const d = delivery(phase, i);
      run.sendLag.push(performance.now() - due);
      const second = Math.floor((due - started) / 1000);
      inflight.push(
        post(url, d.body, {
          "content-type": "application/json",
          "request-id": `${phase}${i.toString(16).padStart(24, "0")}`,
          "sentry-hook-resource": d.resource,
          "sentry-hook-timestamp": String(Math.floor(Date.now() / 1000)),
          "sentry-hook-signature": d.signature,
        }).then(
          (res) => {
            const ms = performance.now() - due;
            run.latencies.push(ms);
            if (!run.perSecond.has(second)) run.perSecond.set(second, []);
            run.perSecond.get(second)!.push(ms);
            run.statuses[res.status] = (run.statuses[res.status] ?? 0) + 1;
            if (res.status >= 300) run.errors++;
          },
          () => {
            run.errors++;
            run.statuses.network = (run.statuses.network ?? 0) + 1;
          },
        ),
      );
    }
    await Promise.all(inflight);
    run.elapsed = (performance.now() - started) / 1000;
    return run;
  }

  // Warm up at the target rate outside the measurement: the route's first load, the database connections,
  // the installation cache and the JIT's optimised code all settle in the first seconds of a new process.
  const warmup = await drive("warmup", WARMUP_SECONDS);
  const run = await drive("seq", durationSeconds);
  const { total, statuses, errors, elapsed } = run;

  const reader = await openDatabase({ dataDir, role: "bench" });
  const result = await reader.db
    .select({ n: sql<number>`count(*)::int` })
    .from(workspaceWebhookPayloads)
    .where(sql`${workspaceWebhookPayloads.body} like '{"bench_seq":%'`);
  await reader.close();
  await app.stop();
  if (errors > 0) {
    // What the console said about its failures, so an error count comes with its cause.
    const said = app.output.join("").split("\n");
    console.error(
      said
        .filter((line) => /error|fail/i.test(line))
        .slice(0, 20)
        .join("\n"),
    );
  }
  rmSync(dataDir, { recursive: true, force: true });

  const accepted = (statuses["202"] ?? 0) + (statuses["200"] ?? 0);
  const stored = Number(result[0]?.n ?? 0);
  const sorted = run.latencies.sort((a, b) => a - b);
  const lag = run.sendLag.sort((a, b) => a - b);
  const round = (n: number) => Number(n.toFixed(2));
  console.log(
    JSON.stringify(
      {
        bench: "webhooks (POST /api/sentry/webhooks, production build, embedded defaults)",
        targetRate: rate,
        achievedRate: round(total / elapsed),
        durationSeconds: round(elapsed),
        sent: total,
        statuses,
        errors,
        ackMs: {
          p50: round(percentile(sorted, 50)),
          p95: round(percentile(sorted, 95)),
          p99: round(percentile(sorted, 99)),
          max: round(sorted.at(-1) ?? Number.NaN),
        },
        // How late the sender itself was in sending (its own event loop), already inside ackMs.
        sendLagMs: { p99: round(percentile(lag, 99)), max: round(lag.at(-1) ?? 0) },
        warmup: { seconds: WARMUP_SECONDS, errors: warmup.errors },
        p99BySecond: [...run.perSecond.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([, ms]) =>
            round(
              percentile(
                ms.sort((a, b) => a - b),
                99,
              ),
            ),
          ),
        rowsStored: stored,
        lost: accepted - stored,
        target: "p99 <= 25 ms, 0 lost",
      },
      null,
      2,
    ),
  );
}

await main();
