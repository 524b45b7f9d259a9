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
    .filter((d) => d.resource !== "installation");
  const total = Math.round(rate * durationSeconds);
  const deliveries = Array.from({ length: total }, (_, i) => {
    const base = dataset[i % dataset.length]!;
    const uuid = (JSON.parse(base.body) as { installation: { uuid: string } }).installation.uuid;
    // Unique bytes per delivery, so each one is stored rather than answered as a duplicate.
    const body = `{"bench_seq":${i},${base.body.slice(1)}`.replaceAll(uuid, INSTALLATION);
    return { resource: base.resource, body, signature: hmacSha256Hex(SECRET, body) };
  });

  const app = new Console(await freePort(), { DATA_DIR: dataDir, SENTRY_CLIENT_SECRET: SECRET });
  await app.start();
  const url = `${app.url}/api/sentry/webhooks`;
  // Warm up outside the measurement: the route's first load, the installation cache and the JIT.
  for (let i = 0; i < 50; i++) {
    const body = `{"bench_warmup":${i},${dataset[i % dataset.length]!.body.slice(1)}`;
    const uuid = (JSON.parse(body) as { installation: { uuid: string } }).installation.uuid;
    const warm = body.replaceAll(uuid, INSTALLATION);
    await fetch(`${app.url}/api/sentry/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "sentry-hook-resource": dataset[i % dataset.length]!.resource,
        "sentry-hook-timestamp": String(Math.floor(Date.now() / 1000)),
        "sentry-hook-signature": hmacSha256Hex(SECRET, warm),
      },
      body: warm,
    }).then((r) => r.arrayBuffer());
  }

  const latencies: number[] = [];
  const perSecond = new Map<number, number[]>();
  const statuses: Record<string, number> = {};
  let errors = 0;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const d = deliveries[i]!;
    inflight.push(
      post(url, d.body, {
        "content-type": "application/json",
        "request-id": i.toString(16).padStart(32, "0"),
        "sentry-hook-resource": d.resource,
        "sentry-hook-timestamp": String(Math.floor(Date.now() / 1000)),
        "sentry-hook-signature": d.signature,
      }).then(
        async (res) => {
          const ms = performance.now() - due;
          latencies.push(ms);
          const second = Math.floor((due - started) / 1000);
          perSecond.set(second, [...(perSecond.get(second) ?? []), ms]);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (res.status >= 300) errors++;
        },
        () => {
          errors++;
          statuses.network = (statuses.network ?? 0) + 1;
        },
      ),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - started) / 1000;

  const reader = await openDatabase({ dataDir, role: "bench" });
  const result = await reader.db
    .select({ n: sql<number>`count(*)::int` })
    .from(workspaceWebhookPayloads);
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

  const sorted = latencies.sort((a, b) => a - b);
  const accepted = (statuses["202"] ?? 0) + (statuses["200"] ?? 0);
  // The warm-up deliveries are stored too.
  const stored = Number(result[0]?.n ?? 0) - 50;
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
        p99BySecond: [...perSecond.entries()]
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
