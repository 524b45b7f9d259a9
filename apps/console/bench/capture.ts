/**
 * `pnpm bench capture [--embedders lexical,use] [--copies n]`: the labelled dev world (../shared/eval/dev)
 * ingested through the production build's webhook route on the embedded defaults, timed until every
 * delivery is captured. Each copy of the world goes to its own workspace (its own installation), so copies
 * run in parallel lanes as separate customers would. Prints observations/s end to end, per-step mean time
 * from the in-process runner, and the console's memory; asserts nothing.
 * Targets: >= 300 observations/s with the lexical embedder, >= 50/s with the local semantic model (use).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  captureStats,
  countPayloadsByStatus,
  createWorkspace,
  linkSentryInstallation,
  openDatabase,
} from "@db/console";
import { hmacSha256Hex } from "@repo/webhooks";
import { Console, freePort, rootDir } from "../test/harness";

const { values } = parseArgs({
  args: process.argv.slice(2),
  strict: false,
  options: { embedders: { type: "string" }, copies: { type: "string" } },
});
const SECRET = "bench-client-secret-0123456789abcdef";
const embedders = String(values.embedders ?? "lexical,use").split(",");
const copies = Number(values.copies ?? 4);

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Peak and current resident memory of a process, in MiB (Linux). */
function memoryOf(pid: number | undefined): { peakRssMiB: number; rssMiB: number } | undefined {
  if (!pid) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { peakRssMiB: Math.round(kib("VmHWM") / 1024), rssMiB: Math.round(kib("VmRSS") / 1024) };
  } catch {
    return undefined;
  }
}

const world = readFileSync(path.join(rootDir, "../shared/eval/dev/webhooks.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { resource: string; body: string })
  .filter((d) => d.resource !== "installation");
const worldInstallation = (JSON.parse(world[0]!.body) as { installation: { uuid: string } })
  .installation.uuid;

async function run(embedder: string) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "nmc-bench-capture-"));
  const setup = await openDatabase({ dataDir, migrate: true, role: "bench" });
  const workspaces: { workspaceId: string; installation: string }[] = [];
  for (let copy = 0; copy < copies; copy++) {
    const workspaceId = (await createWorkspace(setup.db, { name: `copy ${copy}` })).id;
    const installation = `${worldInstallation.slice(0, -4)}${String(copy).padStart(4, "0")}`;
    await linkSentryInstallation(setup.db, {
      uuid: installation,
      workspaceId,
      organizationSlug: `brightcart-${copy}`,
      kind: "public",
    });
    workspaces.push({ workspaceId, installation });
  }
  await setup.close();

  const app = new Console(await freePort(), {
    DATA_DIR: dataDir,
    SENTRY_CLIENT_SECRET: SECRET,
    EMBEDDINGS: embedder,
    OUTBOX_POLL_MS: "100",
    OUTBOX_CONCURRENCY: String(Math.max(4, copies)),
  });
  await app.start();
  const url = `${app.url}/api/sentry/webhooks`;
  const started = performance.now();
  // Deliveries interleave across copies, in each world's own order, as several customers' would.
  const sends: Promise<number>[] = [];
  for (const delivery of world) {
    for (const { installation } of workspaces) {
      const body = delivery.body.replaceAll(worldInstallation, installation);
      sends.push(
        post(url, body, {
          "content-type": "application/json",
          "sentry-hook-resource": delivery.resource,
          "sentry-hook-timestamp": String(Math.floor(Date.now() / 1000)),
          "sentry-hook-signature": hmacSha256Hex(SECRET, body),
        }),
      );
    }
  }
  const statuses = await Promise.all(sends);
  const ingestedAt = performance.now();

  const reader = await openDatabase({ dataDir, role: "bench" });
  const totals = async () => {
    const all = await Promise.all(
      workspaces.map((w) => captureStats(reader.db, { workspaceId: w.workspaceId })),
    );
    const sum = (pick: (s: (typeof all)[number]) => number) => all.reduce((n, s) => n + pick(s), 0);
    return {
      pending: sum((s) => s.payloads.pending),
      failed: sum((s) => s.payloads.failed),
      duplicate: sum((s) => s.payloads.duplicate),
      observations: sum((s) => s.observations),
      belowThreshold: sum((s) => s.belowThreshold),
      entities: sum((s) => s.entities),
      clusters: sum((s) => s.clusters),
      relationships: sum((s) => s.relationships),
    };
  };
  // Waiting is one cheap count a second: the database is what capture is bound by, so the bench must not
  // compete for it. The full figures are read once, at the end.
  const unfinished = async () => {
    const counts = await countPayloadsByStatus(reader.db);
    return counts.pending + counts.processing;
  };
  let peak = memoryOf(app.pid);
  const deadline = Date.now() + 15 * 60_000;
  let finishedAt = performance.now();
  while ((await unfinished()) > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    finishedAt = performance.now();
    const now = memoryOf(app.pid);
    if (now && (!peak || now.peakRssMiB > peak.peakRssMiB)) peak = now;
  }
  const seconds = (finishedAt - started) / 1000;
  const stats = await totals();
  const health = (await (await fetch(`${app.url}/api/health`)).json()) as {
    details: {
      embeddings: { model: string };
      workflows: {
        steps?: Record<
          string,
          { runs: number; events: number; meanMs: number; msPerEvent: number }
        >;
      };
    };
  };
  await reader.close();
  await app.stop();
  rmSync(dataDir, { recursive: true, force: true });

  const captured = stats.observations + stats.belowThreshold;
  const round = (n: number) => Number(n.toFixed(2));
  return {
    embedder,
    model: health.details.embeddings.model,
    copies,
    deliveries: sends.length,
    rejected: statuses.filter((s) => s >= 300).length,
    ingestSeconds: round((ingestedAt - started) / 1000),
    totalSeconds: round(seconds),
    ...stats,
    observationsPerSecond: round(captured / seconds),
    // Per step: runs (one per batch), events handled, mean time per run and per event.
    steps: Object.fromEntries(
      Object.entries(health.details.workflows.steps ?? {}).map(([k, v]) => [
        k.split("/").at(-1),
        v,
      ]),
    ),
    memory: peak,
    timedOut: stats.pending > 0,
  };
}

const results = [];
for (const embedder of embedders) results.push(await run(embedder));
console.log(
  JSON.stringify(
    {
      bench:
        "capture (dev world through POST /api/sentry/webhooks, production build, embedded defaults)",
      targets: { lexical: ">= 300 observations/s", use: ">= 50 observations/s" },
      results,
    },
    null,
    2,
  ),
);
