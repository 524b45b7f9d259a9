/**
 * `pnpm bench capture [--embedders lexical,use] [--copies n]`: the labelled dev world (../shared/eval/dev)
 * ingested through the production build's webhook route on the embedded defaults, timed until every
 * delivery is captured. Each copy of the world goes to its own workspace (its own installation), so copies
 * run in parallel lanes as separate customers would. Prints observations/s end to end, per-step mean time
 * from the in-process runner, and the console's memory; asserts nothing.
 * Targets: >= 300 observations/s with the lexical embedder, >= 50/s with the local semantic model (use).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
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

/** CPU seconds per thread of a process so far (Linux), keyed by thread id. */
function threadCpu(pid: number | undefined): Map<string, number> {
  const cpu = new Map<string, number>();
  if (!pid) return cpu;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100/s on Linux).
      cpu.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    // the process ended
  }
  return cpu;
}

/**
 * CPU seconds between two snapshots: the whole process, its main thread (the one whose id is the pid: the
 * HTTP server) and its other busiest threads (the database and workflow threads, V8's helpers).
 */
function cpuBetween(
  pid: number | undefined,
  before: Map<string, number>,
  after: Map<string, number>,
) {
  const used = new Map([...after].map(([tid, s]) => [tid, s - (before.get(tid) ?? 0)]));
  const round = (n: number) => Number(n.toFixed(2));
  return {
    totalSeconds: round([...used.values()].reduce((a, b) => a + b, 0)),
    mainThreadSeconds: round(used.get(String(pid)) ?? 0),
    otherThreadsSeconds: [...used]
      .filter(([tid, s]) => tid !== String(pid) && s >= 0.05)
      .map(([, s]) => round(s))
      .sort((a, b) => b - a)
      .slice(0, 8),
  };
}

const world = readFileSync(path.join(rootDir, "../shared/eval/dev/webhooks.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { resource: string; body: string })
  .filter((d) => d.resource !== "installation");
const worldInstallation = (JSON.parse(world[0]!.body) as { installation: { uuid: string } })
  .installation.uuid;

type Target = { workspaceId: string; installation: string };
type Steps = Record<string, { runs: number; events: number; meanMs: number; msPerEvent: number }>;
interface Health {
  details: { embeddings: { model: string }; workflows: { steps?: Steps } };
}

/** Step timings accumulated between two health snapshots (the console reports totals since start). */
function stepsBetween(before: Steps, after: Steps): Steps {
  const round = (n: number) => Number(n.toFixed(3));
  return Object.fromEntries(
    Object.entries(after).map(([key, a]) => {
      const b = before[key] ?? { runs: 0, events: 0, meanMs: 0, msPerEvent: 0 };
      const runs = a.runs - b.runs;
      const events = a.events - b.events;
      const totalMs = a.meanMs * a.runs - b.meanMs * b.runs;
      return [
        key.split("/").at(-1),
        {
          runs,
          events,
          meanMs: runs ? round(totalMs / runs) : 0,
          msPerEvent: events ? round(totalMs / events) : 0,
        },
      ];
    }),
  );
}

async function run(embedder: string) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "nmc-bench-capture-"));
  const setup = await openDatabase({ dataDir, migrate: true, role: "bench" });
  // Copy 0 warms the console up and is not measured; copies 1..n are.
  const targets: Target[] = [];
  for (let copy = 0; copy <= copies; copy++) {
    const workspaceId = (await createWorkspace(setup.db, { name: `copy ${copy}` })).id;
    const installation = `${worldInstallation.slice(0, -4)}${String(copy).padStart(4, "0")}`;
    await linkSentryInstallation(setup.db, {
      uuid: installation,
      workspaceId,
      organizationSlug: `brightcart-${copy}`,
      kind: "public",
    });
    targets.push({ workspaceId, installation });
  }
  await setup.close();
  const [warmup, ...workspaces] = targets as [Target, ...Target[]];

  const app = new Console(await freePort(), {
    DATA_DIR: dataDir,
    SENTRY_CLIENT_SECRET: SECRET,
    EMBEDDINGS: embedder,
    OUTBOX_POLL_MS: "100",
    OUTBOX_CONCURRENCY: String(Math.max(4, copies)),
  });
  await app.start();
  const url = `${app.url}/api/sentry/webhooks`;
  const reader = await openDatabase({ dataDir, role: "bench" });
  const health = async () => (await (await fetch(`${app.url}/api/health`)).json()) as Health;
  let peak = memoryOf(app.pid);

  /** Sends every delivery of the world to each target, then waits until all of them are captured. */
  const deliver = async (to: Target[]) => {
    const started = performance.now();
    // Deliveries interleave across copies, in each world's own order, as several customers' would.
    const sends: Promise<number>[] = [];
    for (const delivery of world) {
      for (const { installation } of to) {
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
    const ingestSeconds = (performance.now() - started) / 1000;
    // Waiting is one cheap count every 250 ms: the database is what capture is bound by, so the bench
    // must not compete for it. The full figures are read once, at the end.
    const unfinished = async () => {
      const counts = await countPayloadsByStatus(reader.db);
      return counts.pending + counts.processing;
    };
    const deadline = Date.now() + 15 * 60_000;
    let finishedAt = performance.now();
    while ((await unfinished()) > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      finishedAt = performance.now();
      const now = memoryOf(app.pid);
      if (now && (!peak || now.peakRssMiB > peak.peakRssMiB)) peak = now;
    }
    return { statuses, ingestSeconds, seconds: (finishedAt - started) / 1000 };
  };

  // A console that has run for a while has compiled its hot code (V8's optimising compiler works on
  // helper threads, competing with capture for the cores); the first copy pays for that, the measured
  // ones see the console as it usually is. The cold figure is printed too.
  const cold = await deliver([warmup]);
  const stepsBefore = (await health()).details.workflows.steps ?? {};
  const cpuBefore = { console: threadCpu(app.pid), bench: threadCpu(process.pid) };
  const { statuses, ingestSeconds, seconds } = await deliver(workspaces);
  const cpu = {
    console: cpuBetween(app.pid, cpuBefore.console, threadCpu(app.pid)),
    sender: cpuBetween(process.pid, cpuBefore.bench, threadCpu(process.pid)),
  };
  const all = await Promise.all(
    workspaces.map((w) => captureStats(reader.db, { workspaceId: w.workspaceId })),
  );
  const sum = (pick: (s: (typeof all)[number]) => number) => all.reduce((n, s) => n + pick(s), 0);
  const stats = {
    pending: sum((s) => s.payloads.pending),
    failed: sum((s) => s.payloads.failed),
    duplicate: sum((s) => s.payloads.duplicate),
    observations: sum((s) => s.observations),
    belowThreshold: sum((s) => s.belowThreshold),
    entities: sum((s) => s.entities),
    clusters: sum((s) => s.clusters),
    relationships: sum((s) => s.relationships),
  };
  const warmed = await captureStats(reader.db, { workspaceId: warmup.workspaceId });
  const coldCaptured = warmed.observations + warmed.belowThreshold;
  const after = await health();
  await reader.close();
  await app.stop();
  rmSync(dataDir, { recursive: true, force: true });

  const captured = stats.observations + stats.belowThreshold;
  const round = (n: number) => Number(n.toFixed(2));
  return {
    embedder,
    model: after.details.embeddings.model,
    copies,
    deliveries: statuses.length,
    rejected:
      statuses.filter((s) => s >= 300).length + cold.statuses.filter((s) => s >= 300).length,
    ingestSeconds: round(ingestSeconds),
    totalSeconds: round(seconds),
    ...stats,
    observationsPerSecond: round(captured / seconds),
    // The warm-up copy alone, on a console just started.
    cold: {
      deliveries: cold.statuses.length,
      observationsPerSecond: round(coldCaptured / cold.seconds),
    },
    // Per step: runs (one per batch), events handled, mean time per run and per event.
    steps: stepsBetween(stepsBefore, after.details.workflows.steps ?? {}),
    memory: peak,
    // CPU seconds spent while measuring, by the console and by this sender: on a small machine they share
    // the cores, so a busy sender lowers the figure.
    cpu,
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
