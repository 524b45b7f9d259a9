/**
 * `pnpm eval --dataset <dir>`: replays a labelled dataset's Sentry webhooks into a console, runs its queries
 * through `POST /v1/search`, and scores the answers beside a BM25 baseline built from the same events.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { buildCorpus, rankKeys } from "./bm25-baseline";
import { loadDataset } from "./dataset";
import { env } from "./env";
import {
  CUTOFF,
  percentile,
  round,
  roundMetrics,
  roundSummary,
  scoreQuery,
  summarize,
  table,
} from "./metrics";
import {
  cleanup,
  deliver,
  health,
  log,
  messageOf,
  remote,
  search,
  startLocal,
  type Target,
  waitForCapture,
} from "./target";

const HELP = `pnpm eval --dataset <dir> [options]

Replays <dir>/webhooks.jsonl through POST /api/sentry/webhooks, waits until every delivery is captured,
runs <dir>/queries.jsonl through POST /v1/search and prints recall@1, recall@10, MRR and nDCG@10 overall
and per query kind, beside a BM25 baseline over the same events, and the search latency p50/p95.

By default a console is started from the production build (run \`pnpm build\` first) on the embedded
defaults, in DATA_DIR if set, else in a temporary directory removed afterwards.

Options:
  --dataset <dir>          dataset directory: webhooks.jsonl, queries.jsonl, manifest.json (required)
  --embedder <kind>        lexical | use | openai: EMBEDDINGS of the started console (default: its own)
  --out <file>             also write the figures (and per-query ranks) as JSON
  --verbose                print each query's missed items
  --base-url <url>         use the console already running there instead of starting one; its workspace
                           must already be linked to the dataset's installation (manifest installation_uuid,
                           e.g. pnpm cli sentry link --workspace ws_… --installation <uuid> --org <slug>)
  --api-key <key>          with --base-url: an API key of that workspace (pnpm cli api-key create)
  --webhook-secret <s>     with --base-url: the secret that console verifies Sentry webhooks with
                           (default: SENTRY_CLIENT_SECRET)
  -h, --help               this text
`;

function parseCommandLine(usage: (message: string) => Error) {
  const args = process.argv.slice(2);
  try {
    return parseArgs({
      args: args[0] === "--" ? args.slice(1) : args,
      options: {
        dataset: { type: "string" },
        out: { type: "string" },
        embedder: { type: "string" },
        verbose: { type: "boolean" },
        "base-url": { type: "string" },
        "api-key": { type: "string" },
        "webhook-secret": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    throw usage(messageOf(error));
  }
}

async function main(): Promise<void> {
  const usage = (message: string) => new Error(`${message}\n\n${HELP}`);
  const values = parseCommandLine(usage);
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (!values.dataset) throw usage("--dataset <dir> is required");
  const embedder = z.enum(["lexical", "use", "openai"]).optional().safeParse(values.embedder);
  if (!embedder.success) throw usage(`--embedder must be lexical, use or openai`);
  const baseUrl = values["base-url"];
  if (!baseUrl && (values["api-key"] || values["webhook-secret"])) {
    throw usage("--api-key and --webhook-secret go with --base-url");
  }

  const cwd = env.INIT_CWD ?? process.cwd();
  const dataset = loadDataset(path.resolve(cwd, values.dataset));
  const queries = dataset.queries;
  for (const id of dataset.unlabelled) log(`skipping query ${id}: it lists no relevant items`);

  const corpus = buildCorpus(dataset.deliveries);
  log(`bm25 baseline: ${corpus.documents.length} documents (${corpus.skipped} deliveries skipped)`);

  let target: Target;
  if (baseUrl) {
    const apiKey = values["api-key"];
    const secret = values["webhook-secret"] ?? env.SENTRY_CLIENT_SECRET;
    if (!apiKey) throw usage("--base-url needs --api-key");
    if (!secret) throw usage("--base-url needs --webhook-secret (or SENTRY_CLIENT_SECRET)");
    target = await remote(baseUrl, apiKey, secret);
  } else {
    target = await startLocal(dataset, embedder.data);
  }
  const before = await health(target.url);
  log(
    `target: ${target.label}; database ${before.database}, embeddings ${before.embeddings} ` +
      `(${before.details.embeddings.model}), workflows ${before.workflows}`,
  );
  // Fails fast on a refused key or a missing route, and loads the route before anything is timed.
  await search(target, "warm-up");

  log(`delivering ${dataset.deliveries.length} webhooks`);
  const rejected = await deliver(target, dataset.deliveries);
  for (const r of rejected) {
    log(`  rejected: line ${r.line} (${r.resource}) ${r.status} ${r.message.slice(0, 200)}`);
  }
  if (rejected.length === dataset.deliveries.length) {
    const hint = rejected.some((r) => r.status === 401)
      ? "the webhook secret does not match the console's"
      : `is installation ${dataset.manifest.installation_uuid} linked to a workspace there?`;
    throw new Error(`every delivery was rejected: ${hint}`);
  }
  const outbox = await waitForCapture(target);
  log(`captured: ${JSON.stringify(outbox)}`);

  const perQuery = [];
  const latencies: number[] = [];
  const systemScores = [];
  const bm25Scores = [];
  let errors = 0;
  for (const q of queries) {
    const answer = await search(target, q.query);
    if (answer.error) {
      errors++;
      log(`  query ${q.id} failed: ${answer.error}`);
    } else {
      latencies.push(answer.ms);
    }
    const bm25Keys = rankKeys(corpus, q.query).map((k) => [k]);
    const system = scoreQuery(q.relevant, answer.keys);
    const bm25 = scoreQuery(q.relevant, bm25Keys);
    systemScores.push({ kind: q.kind, score: system });
    bm25Scores.push({ kind: q.kind, score: bm25 });
    perQuery.push({
      id: q.id,
      kind: q.kind,
      difficulty: q.difficulty,
      query: q.query,
      relevant: q.relevant,
      latencyMs: round(answer.ms, 1),
      ...(answer.error ? { error: answer.error } : {}),
      system: { ...roundMetrics(system), ranks: system.ranks, keys: answer.keys },
      bm25: { ...roundMetrics(bm25), ranks: bm25.ranks, keys: bm25Keys.slice(0, CUTOFF).flat() },
    });
    if (values.verbose && system["recall@10"] < 1) {
      const missed = Object.entries(system.ranks).filter(([, r]) => r === null);
      log(`  ${q.id} [${q.kind}] "${q.query}": missed ${missed.map(([k]) => k).join(", ")}`);
      log(`    returned: ${answer.keys.map((k) => k.join("|") || "-").join(", ")}`);
    }
  }
  if (errors === queries.length) throw new Error("every search failed; see the errors above");

  const counts: Record<string, number> = { all: queries.length };
  for (const q of queries) counts[q.kind] = (counts[q.kind] ?? 0) + 1;
  const system = roundSummary(summarize(systemScores));
  const bm25 = roundSummary(summarize(bm25Scores));
  const latency = {
    p50: round(percentile(latencies, 50), 1),
    p95: round(percentile(latencies, 95), 1),
  };

  console.log(
    `\nSearch evaluation: ${dataset.name}, ${queries.length} queries, ` +
      `${dataset.deliveries.length} deliveries (${rejected.length} rejected), ` +
      `embeddings ${before.embeddings}${errors ? `, ${errors} failed searches (scored as empty)` : ""}\n`,
  );
  console.log(table(system, bm25, counts));
  console.log(
    `\nPOST /v1/search latency over ${latencies.length} calls: p50 ${latency.p50.toFixed(0)} ms, ` +
      `p95 ${latency.p95.toFixed(0)} ms`,
  );

  if (values.out) {
    const out = path.resolve(cwd, values.out);
    mkdirSync(path.dirname(out), { recursive: true });
    const report = {
      queries: queries.length,
      system,
      bm25,
      latency,
      dataset: dataset.name,
      target: baseUrl ? target.url : "local",
      embeddings: { kind: before.embeddings, model: before.details.embeddings.model },
      deliveries: { total: dataset.deliveries.length, rejected: rejected.length },
      outbox,
      searchErrors: errors,
      perQuery,
    };
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${out}`);
  }
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`eval: ${signal}, stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  // Once interrupted, the console going away makes whatever was running fail: that is no news.
  if (!interrupted) console.error(`eval: ${messageOf(error)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit(process.exitCode ?? 0);
