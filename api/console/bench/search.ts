import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createWorkspace, openDatabase, rowsOf } from "@db/console";
import { createEmbeddingProvider } from "@repo/embeddings";
import { searchRequestSchema } from "@repo/schemas";
import { analyzeQuery } from "@repo/search";
import { createVectorStore } from "@repo/vectors";
import { sql } from "drizzle-orm";
import { Corpora } from "../src/search/corpora";
import { runSearch } from "../src/search/service";
import { VectorMemory } from "../src/search/vector-memory";
import { type LatencyPoint, latencySvg } from "./plot";
import { benchQueries, generateCorpus, vocabulary } from "./search-corpus";
import { summarize } from "./stats";

const root = path.resolve(import.meta.dirname, "../../..");
const RESULT = "BENCH_SEARCH_RESULT ";
const PARTIAL = "BENCH_SEARCH_PARTIAL ";
const TARGET = { size: 100_000, p95Ms: 25 };
/** Warm-up searches, at most: a few seconds' worth where one search takes seconds. */
const WARMUP = { searches: 20, ms: 30_000 };
/** Heap of each size's process: a 1M corpus holds a few GB of documents and postings. */
const CHILD_HEAP_MIB = 14_336;
/**
 * Bytes per row as measured at 10k and 100k (table + indexes; a vector row is its 4-byte floats plus ~1.1 KB
 * of metadata: title, snippet, entity keys), and JS heap per corpus document. Used to decide up front
 * whether a size fits, never to report a figure.
 */
const BYTES = { observation: 2100, link: 230, vectorBase: 1100, corpusDoc: 6000 };

type Options = ReturnType<typeof options>;

function options(argv: readonly string[]) {
  const flag = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const storage = flag("storage") ?? "disk";
  if (!["memory", "disk"].includes(storage)) throw new Error("--storage memory|disk");
  return {
    sizes: (flag("sizes") ?? "10000,100000,1000000").split(",").map(Number),
    queries: Number(flag("queries") ?? 200),
    views: Number(flag("views") ?? 3),
    storage: storage as "memory" | "disk",
    outDir: path.resolve(root, flag("out-dir") ?? "bench-results"),
    // A 1M corpus takes ~14 min to generate and ~9 to load on a 2-core machine, then its searches.
    maxMinutes: Number(flag("max-minutes") ?? 40),
    searchMinutes: Number(flag("search-minutes") ?? 5),
  };
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
const short = (s: { p50: number; p95: number }) => ({ p50: s.p50, p95: s.p95 });

interface Plan {
  views: number;
  note?: string;
  skipped?: string;
}

/** Decides how many views fit where the database lives, with the arithmetic behind it. */
function plan(size: number, opts: Options, dimension: number): Plan {
  const vectorRow = BYTES.vectorBase + 4 * dimension;
  const perObservation = BYTES.observation + 4.5 * BYTES.link;
  const dbBytes = (views: number) => size * (perObservation + 0.96 * views * vectorRow);
  const heap = size * BYTES.corpusDoc;
  const heapLimit = CHILD_HEAP_MIB * 2 ** 20;
  const disk = statfsSync(os.tmpdir());
  const room = opts.storage === "memory" ? os.totalmem() * 0.6 : disk.bavail * disk.bsize * 0.8;
  // In memory, PGlite keeps each file in a JS buffer grown by doubling: up to 2x the database. On disk,
  // its write-ahead log grows about as large as the data (a single-user Postgres never checkpoints alone).
  const need = (views: number) => (opts.storage === "memory" ? heap : 0) + 2.2 * dbBytes(views);
  const where = opts.storage === "memory" ? "60% of RAM" : "80% of the free disk";
  const arithmetic = (views: number) =>
    `${size} x (${perObservation} B per observation with its entity links + 0.96 captured x ${views} views x ${vectorRow} B per ${dimension}-d vector row) = ${gib(dbBytes(views))}, x2.2 with ${opts.storage === "memory" ? `buffer slack, + ${gib(heap)} corpus heap` : "its write-ahead log"} = ${gib(need(views))} against ${gib(room)} (${where})`;
  if (heap > heapLimit * 0.8) {
    return {
      views: 0,
      skipped: `the in-memory corpus needs ~${size} x ${BYTES.corpusDoc} B = ${gib(heap)}, over 80% of the ${gib(heapLimit)} heap`,
    };
  }
  for (let views = opts.views; views >= 0; views--) {
    if (need(views) > room) continue;
    if (views === opts.views) return { views };
    return {
      views,
      note: `${opts.views} views do not fit: ${arithmetic(opts.views)}; measured with ${views}`,
    };
  }
  return { views: 0, skipped: `observations alone do not fit: ${arithmetic(0)}` };
}

type Figures = Record<string, unknown>;
type SizeResult = Figures & { size: number };

/** Figures known so far, so a run stopped by the time cap still reports them. */
function partial(figures: Figures): void {
  process.stdout.write(`${PARTIAL}${JSON.stringify(figures)}\n`);
}

/** One size, in its own process: generate, load, search, report. */
async function measureSize(
  size: number,
  opts: Options,
  planned: Plan,
  dataDir: string,
): Promise<SizeResult> {
  const log = (line: string) => console.error(`[search ${size}] ${line}`);
  const handle = await openDatabase({ dataDir, migrate: true, role: "bench" });
  try {
    const embeddings = createEmbeddingProvider({ kind: "lexical" });
    const { dimension, model } = embeddings;
    const vectors = createVectorStore({ kind: "pgvector", db: handle.db, dimension });
    const workspaceId = (await createWorkspace(handle.db, { name: `bench ${size}` })).id;
    const vocab = vocabulary();
    log(`generating (${opts.storage}, ${planned.views} views per observation)`);
    let lastLog = performance.now();
    // The embedded runtime's maintenance timer keeps pgvector's index fit as rows arrive (an IVFFlat
    // index built at 50k vectors, rebuilt after fourfold growth); run here after each chunk, timed apart.
    const builds: Figures[] = [];
    let logged = 0;
    let maintenanceMs = 0;
    const generated = await generateCorpus(handle.db, {
      workspaceId,
      size,
      views: planned.views,
      dimension,
      model,
      vocab,
      afterChunk: async (done, rows) => {
        const started = performance.now();
        // The runtime logs a failed maintenance and carries on; so does the bench, and reports it.
        const report = await vectors.maintain?.().catch((error: Error) => {
          const message = ((error.cause as Error | undefined) ?? error).message.split("\n")[0]!;
          const kind = message.replace(/\d+/g, "#");
          const prior = builds.find((b) => String(b.error).replace(/\d+/g, "#") === kind);
          if (prior) Object.assign(prior, { attempts: Number(prior.attempts) + 1, error: message });
          else builds.push({ failedFromObservations: done, error: message, attempts: 1 });
          return undefined;
        });
        maintenanceMs += performance.now() - started;
        if (report && report.action !== "none") builds.push(report);
        if (builds.length > logged) log(`vector index: ${JSON.stringify(builds.slice(logged))}`);
        logged = builds.length;
        if (performance.now() - lastLog < 30_000) return;
        lastLog = performance.now();
        log(`${done}/${size} observations, ${rows} rows so far`);
      },
    });
    const seconds = generated.seconds - maintenanceMs / 1000;
    const rows = generated.observations + generated.links + generated.vectors;
    const dbBytes = rowsOf<{ n: string }>(
      await handle.db.execute(sql`select pg_database_size(current_database())::text as n`),
    )[0]!.n;
    const result: SizeResult = {
      size,
      storage: dataDir === "memory://" ? dataDir : "temporary data directory",
      views: planned.views,
      ...(planned.note ? { note: planned.note } : {}),
      rows: { observations: size, entityLinks: generated.links, vectors: generated.vectors },
      generateSeconds: Math.round(seconds * 10) / 10,
      rowsPerSecond: Math.round(rows / seconds),
      databaseMiB: mib(Number(dbBytes)),
      vectorIndex: { builds, maintenanceSeconds: Math.round(maintenanceMs / 100) / 10 },
    };
    partial(result);
    log(`generated ${rows} rows in ${seconds.toFixed(1)} s; loading the corpus`);

    const corpora = new Corpora(handle.db);
    const vectorMemory = VectorMemory.for(vectors);
    const deps = { db: handle.db, vectors, embeddings, corpora, memory: vectorMemory };
    const queries = benchQueries(vocab, opts.queries);
    const search = (query: string, i: number) =>
      runSearch(deps, {
        workspaceId,
        request: searchRequestSchema.parse({ query, limit: 10 }),
        requestId: `bench-${i}`,
        authMs: 0,
      });
    let started = performance.now();
    const loading = setInterval(
      () => log(`loading the corpus: ${Math.round((performance.now() - started) / 1000)} s so far`),
      60_000,
    );
    await search(queries[0]!.query, -1).finally(() => clearInterval(loading));
    const corpusLoadMs = Math.round(performance.now() - started);
    result.corpusLoadMs = corpusLoadMs;
    // A console that has been up a while holds its in-memory vector copy; the first search started it.
    if (vectorMemory) {
      const copyStarted = performance.now();
      const ready = await vectorMemory.loaded(await corpora.get(workspaceId));
      const loadMs = Math.round(performance.now() - copyStarted);
      result.vectorCopy = { ready, loadMs };
      log(`in-memory vector copy ${ready ? "loaded" : "not used"} in ${loadMs} ms`);
    }
    partial(result);
    log(
      `corpus loaded in ${(corpusLoadMs / 1000).toFixed(1)} s; warm-up, then up to ${queries.length} searches`,
    );
    const warm = performance.now() + WARMUP.ms;
    for (let i = 0; i < WARMUP.searches && performance.now() < warm; i++) {
      await search(queries[(i * 7) % queries.length]!.query, -1);
    }

    const wall: number[] = [];
    const stages = new Map<string, number[]>();
    const byKind = new Map<string, number[]>();
    const failures: Record<string, { timeout: number; error: number; last?: string }> = {};
    const slowest: { query: string; ms: number; over5Ms: Figures }[] = [];
    const deadline = performance.now() + opts.searchMinutes * 60_000;
    for (const [i, { kind, query }] of queries.entries()) {
      if (performance.now() > deadline) {
        result.stoppedEarly = `search budget of ${opts.searchMinutes} min spent after ${i} searches`;
        break;
      }
      started = performance.now();
      const response = await search(query, i);
      const ms = performance.now() - started;
      wall.push(ms);
      byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
      // The stages of a slow query that took over 5 ms: where its time went.
      const over5 = Object.entries(response.latency).filter(([k, v]) => v > 5 && k !== "total");
      slowest.push({ query, ms: Math.round(ms * 10) / 10, over5Ms: Object.fromEntries(over5) });
      for (const [stage, value] of Object.entries(response.latency)) {
        if (stage !== "auth") stages.set(stage, [...(stages.get(stage) ?? []), value]);
      }
      for (const [name, outcome] of Object.entries(response.meta.paths)) {
        if (outcome.status === "ok") continue;
        const f = failures[name] ?? { timeout: 0, error: 0 };
        failures[name] = f;
        f[outcome.status === "timeout" ? "timeout" : "error"]++;
        f.last = outcome.error;
      }
    }
    // Not stages of the response: the per-search catch-up with the table, and reading the query (new
    // queries: the corpus caches what it learnt from the ones above).
    const catchUp: number[] = [];
    const analyze: number[] = [];
    for (const { query } of benchQueries(vocab, wall.length, 29)) {
      started = performance.now();
      const corpus = await corpora.get(workspaceId);
      catchUp.push(performance.now() - started);
      started = performance.now();
      analyzeQuery(corpus, query);
      analyze.push(performance.now() - started);
    }
    const memory = process.memoryUsage();
    const { n: searched, ...percentiles } = summarize(wall);
    return Object.assign(result, {
      memoryRssMiB: mib(memory.rss),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      heapUsedMiB: mib(memory.heapUsed),
      queries: searched,
      ...percentiles,
      stages: Object.fromEntries([...stages].map(([k, v]) => [k, short(summarize(v))])),
      outsideStages: { catchUp: short(summarize(catchUp)), analyze: short(summarize(analyze)) },
      p95ByKind: Object.fromEntries([...byKind].map(([k, v]) => [k, summarize(v).p95])),
      pathFailures: failures,
      slowest: slowest.sort((a, b) => b.ms - a.ms).slice(0, 5),
    });
  } finally {
    await handle.close();
  }
}

/** The default semantic model's share: what embedding a query with USE would add to each search. */
async function measureUse(count: number): Promise<Figures> {
  const provider = createEmbeddingProvider({ kind: "use" });
  const queries = benchQueries(vocabulary(), count).map((q) => q.query);
  let started = performance.now();
  await provider.embed([queries[0]!], "query");
  const loadMs = performance.now() - started;
  const samples: number[] = [];
  for (const query of queries) {
    started = performance.now();
    await provider.embed([query], "query");
    samples.push(performance.now() - started);
  }
  return {
    model: provider.model,
    backend: provider.backend,
    firstCallMs: Math.round(loadMs),
    queryEmbeddingMs: short(summarize(samples)),
  };
}

type Job = { use: number } | { size: number; opts: Options; planned: Plan; dataDir: string };

/** Runs one measurement in a fresh process with a large heap; gives up after `minutes`. */
function child(
  job: Job,
  minutes: number,
): Promise<{ result?: Figures; partial?: Figures; failure?: string }> {
  return new Promise((resolve) => {
    const proc = spawn(
      process.execPath,
      [
        ...process.execArgv,
        `--max-old-space-size=${CHILD_HEAP_MIB}`,
        fileURLToPath(import.meta.url),
      ],
      {
        env: { ...process.env, BENCH_SEARCH_JOB: JSON.stringify(job) },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let lastLine = "";
    proc.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    proc.stderr.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      lastLine = chunk.toString().trim().split("\n").at(-1) ?? lastLine;
    });
    const timer = setTimeout(() => proc.kill("SIGKILL"), minutes * 60_000);
    proc.on("close", (code, signal) => {
      clearTimeout(timer);
      const lines = stdout.split("\n");
      const tagged = (tag: string) => {
        const line = lines.findLast((l) => l.startsWith(tag));
        return line ? (JSON.parse(line.slice(tag.length)) as Figures) : undefined;
      };
      const result = tagged(RESULT);
      if (result) return resolve({ result });
      resolve({
        partial: tagged(PARTIAL),
        failure:
          signal === "SIGKILL"
            ? `did not finish within the ${minutes} min cap; last progress: ${lastLine}`
            : `exited with ${code ?? signal}; last output: ${lastLine}`,
      });
    });
  });
}

export async function benchSearch(): Promise<void> {
  const opts = options(process.argv);
  const dimension = createEmbeddingProvider({ kind: "lexical" }).dimension;
  const results: SizeResult[] = [];
  for (const size of opts.sizes) {
    const planned = plan(size, opts, dimension);
    let result: SizeResult;
    if (planned.skipped) result = { size, skipped: planned.skipped };
    else {
      // Made here, not in the child, so a child killed at the cap leaves nothing behind.
      const dataDir =
        opts.storage === "disk"
          ? mkdtempSync(path.join(os.tmpdir(), "bench-search-"))
          : "memory://";
      const run = await child({ size, opts, planned, dataDir }, opts.maxMinutes);
      if (dataDir !== "memory://") rmSync(dataDir, { recursive: true, force: true });
      result = run.result
        ? (run.result as SizeResult)
        : {
            size,
            skipped: run.failure!,
            ...(run.partial ? { measuredBeforeStop: run.partial } : {}),
          };
    }
    results.push(result);
    console.log(JSON.stringify(result, null, 2));
  }
  const use = await child({ use: 50 }, 10);
  const useResult = use.result ?? { skipped: use.failure };

  const measured = results.filter((r) => typeof r.p95 === "number") as (SizeResult &
    LatencyPoint)[];
  const skipped = results
    .filter((r) => typeof r.skipped === "string")
    .map((r) => ({ size: r.size, reason: String(r.skipped) }));
  mkdirSync(opts.outDir, { recursive: true });
  const plot = path.join(opts.outDir, "search-latency.svg");
  const title = "POST /v1/search in-process latency (embedded PGlite, lexical embedder)";
  writeFileSync(plot, latencySvg({ title, points: measured, skipped, targetMs: TARGET.p95Ms }));
  const json = path.join(opts.outDir, "search-latency.json");
  writeFileSync(json, `${JSON.stringify({ sizes: results, use: useResult }, null, 2)}\n`);
  const atTarget = measured.find((r) => r.size === TARGET.size);
  console.log(
    JSON.stringify(
      {
        bench: "search (runSearch in-process; embedded PGlite and pgvector; lexical embedder)",
        target: `p95 <= ${TARGET.p95Ms} ms at ${TARGET.size}`,
        atTarget: atTarget
          ? { p95: atTarget.p95, met: atTarget.p95 <= TARGET.p95Ms }
          : "not measured",
        latencyBySize: results.map((r) =>
          r.skipped
            ? { size: r.size, skipped: r.skipped }
            : { size: r.size, p50: r.p50, p95: r.p95, p99: r.p99 },
        ),
        // Every search's vector and cluster paths wait on the query embedding: USE would add this where
        // the lexical embedder's time is the `embedding` stage above.
        useQueryEmbedding: useResult,
        plot,
        json,
      },
      null,
      2,
    ),
  );
}

if (process.env.BENCH_SEARCH_JOB) {
  const job = JSON.parse(process.env.BENCH_SEARCH_JOB) as Job;
  const result =
    "use" in job
      ? await measureUse(job.use)
      : await measureSize(job.size, job.opts, job.planned, job.dataDir);
  process.stdout.write(`${RESULT}${JSON.stringify(result)}\n`);
  process.exit(0);
}
