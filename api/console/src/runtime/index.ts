import { type DatabaseHandle, releaseLeases } from "@db/console";
import { createEmbeddingProvider, type EmbeddingProvider } from "@repo/embeddings";
import type { Keyring } from "@repo/secrets";
import {
  assertPgvectorAvailable,
  createVectorStore,
  rememberRecentWrites,
  type VectorStore,
} from "@repo/vectors";
import { inngestConfigured } from "@vendor/inngest";
import { env } from "../env";
import { inngest } from "../inngest/client";
import { OutboxRunner, type StepTiming } from "../outbox/runner";
import { resumeBackfills, runBackfill } from "../providers/sentry/backfill";
import { sentryAppConfig } from "../providers/sentry/config";
import { SentryTokenService } from "../providers/sentry/tokens";
import { reconcileVectors } from "../workflows/capture/reconcile";
import { inngestEngine, inProcessEngine, type WorkflowEngine } from "../workflows/engine";
import { workflows as defaultRegistry } from "../workflows/registry";
import type { WorkflowDefinition, WorkflowDeps } from "../workflows/types";
import { openDatabaseFromEnv } from "./database";
import { loadKeyring } from "./keyring";
import { type WorkflowThread, workflowThread } from "./workflow-thread";

export { openDatabaseFromEnv } from "./database";
export { getHealth, type Health } from "./health";
export { loadKeyring } from "./keyring";

const RECONCILE_EVERY_MS = 15 * 60_000;
/** Sentry tokens live 8 hours; every 30 minutes those lapsing within the hour are renewed. */
const SENTRY_REFRESH_EVERY_MS = 30 * 60_000;
/** Cheap when there is nothing to do (a count and an ANALYZE); a build blocks the embedded database. */
const VECTOR_MAINTENANCE_EVERY_MS = 5 * 60_000;

export interface Runtime extends WorkflowDeps {
  /** Tokens for Sentry's API, when the public integration is configured (SENTRY_CLIENT_ID and _SECRET). */
  sentryTokens?: SentryTokenService;
  database: DatabaseHandle;
  /** Seals and opens secrets at rest. */
  keyring: Keyring;
  workflows: WorkflowEngine;
  /** Present when workflows run in-process on this thread. */
  runner?: OutboxRunner;
  /** Step timings of the in-process runner, wherever it runs (this thread or the workflow thread). */
  stepTimings?: ReadonlyMap<string, StepTiming>;
  /**
   * Runs a stored Sentry backfill in the background where the in-process engine works: on the workflow
   * thread when there is one, else here. False when this runtime cannot (Inngest mode, no Sentry tokens):
   * Inngest runs backfills from their event instead.
   */
  runBackfill(backfillId: string): boolean;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  role: string;
  /**
   * Run an embedded database in its own thread, served on loopback to this process, the CLI and
   * benchmarks (the console does).
   */
  serveDatabase?: boolean;
  /** Start the in-process runner's polling loop. */
  startWorkflows?: boolean;
  /** Run the in-process runner on a thread of its own rather than this one (the console does). */
  workflowThread?: boolean;
  database?: DatabaseHandle;
  keyring?: Keyring;
  embeddings?: EmbeddingProvider;
  vectors?: VectorStore;
  registry?: readonly WorkflowDefinition[];
  engine?: "inngest" | "in-process";
}

export function selectedEngine(): "inngest" | "in-process" {
  return env.WORKFLOWS ?? (inngestConfigured() ? "inngest" : "in-process");
}

export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const database =
    options.database ??
    (await openDatabaseFromEnv(options.role, {
      requireMigrated: true,
      serve: options.serveDatabase,
    }));
  const keyring = options.keyring ?? loadKeyring(database);
  const embeddings = options.embeddings ?? createEmbeddingProvider();
  let vectors = options.vectors;
  if (!vectors) {
    const store = createVectorStore({ db: database.db, dimension: embeddings.dimension });
    if (store.kind === "pgvector") await assertPgvectorAvailable(database);
    // Capture reads back the vectors it has just written; those come from memory.
    vectors = rememberRecentWrites(store);
  }
  const deps: WorkflowDeps = { db: database.db, embeddings, vectors };
  let runner: OutboxRunner | undefined;
  let engine: WorkflowEngine;
  let thread: WorkflowThread | undefined;
  const log = (message: string, fields?: Record<string, unknown>) =>
    console.warn(`[outbox] ${message}`, fields ?? {});
  if ((options.engine ?? selectedEngine()) === "inngest") {
    engine = inngestEngine(inngest);
  } else if (options.workflowThread && options.startWorkflows) {
    // Leases found at start belonged to a runner that died with the previous process; only the owner of
    // an embedded directory can know that (the thread connects through it).
    if (database.kind === "pglite") await releaseLeases(database.db);
    thread = workflowThread({ log });
    engine = thread;
  } else {
    runner = new OutboxRunner({
      deps,
      registry: options.registry ?? defaultRegistry,
      pollMs: env.OUTBOX_POLL_MS,
      concurrency: env.OUTBOX_CONCURRENCY,
      releaseLeasesOnStart: database.kind === "pglite",
      log,
    });
    engine = inProcessEngine(runner);
  }
  if (options.startWorkflows) await engine.start();
  // The embedded stand-in for the Inngest reconcile cron: repair observations whose vectors went missing.
  const reconcile =
    runner && options.startWorkflows
      ? setInterval(() => {
          reconcileVectors(deps).catch((error: unknown) =>
            console.warn("[reconcile] vector reconciliation failed", String(error)),
          );
        }, RECONCILE_EVERY_MS)
      : undefined;
  reconcile?.unref();
  // PGlite's pgvector needs its IVFFlat index built once a table is large, and rebuilt as it grows.
  const maintainVectors = () =>
    deps.vectors.maintain?.().then(
      (report) => {
        if (report.action !== "none") console.info("[vectors] index maintenance", report);
      },
      (error: unknown) => console.warn("[vectors] index maintenance failed", String(error)),
    );
  const maintenance =
    runner && options.startWorkflows
      ? setInterval(maintainVectors, VECTOR_MAINTENANCE_EVERY_MS)
      : undefined;
  maintenance?.unref();

  const sentryConfig = sentryAppConfig();
  const sentryTokens = sentryConfig
    ? new SentryTokenService({
        db: database.db,
        databaseKind: database.kind,
        keyring,
        config: sentryConfig,
        log: (message, fields) => console.warn(`[sentry] ${message}`, fields ?? {}),
      })
    : undefined;
  // The embedded stand-in for the Inngest token-refresh cron.
  const refreshTokens =
    sentryTokens && runner && options.startWorkflows
      ? setInterval(() => {
          sentryTokens
            .refreshExpiring()
            .catch((error: unknown) =>
              console.warn("[sentry] token refresh sweep failed", String(error)),
            );
        }, SENTRY_REFRESH_EVERY_MS)
      : undefined;
  refreshTokens?.unref();
  const backfillDeps = sentryTokens && {
    db: database.db,
    workflows: engine,
    tokens: sentryTokens,
    baseUrl: env.SENTRY_URL,
    log: (message: string, fields?: Record<string, unknown>) =>
      console.warn(`[sentry] ${message}`, fields ?? {}),
  };
  // Backfills a stop interrupted go on from their saved cursor, where the runner lives.
  if (backfillDeps && runner && options.startWorkflows) {
    void resumeBackfills(backfillDeps).catch((error: unknown) =>
      console.warn("[sentry] could not resume backfills", String(error)),
    );
  }

  return {
    ...deps,
    database,
    keyring,
    sentryTokens,
    workflows: engine,
    runner,
    stepTimings: runner?.stepTimings ?? thread?.stepTimings,
    runBackfill: (backfillId) => {
      // Pages of issues are parsed and turned into payloads: capture work, kept off the HTTP thread.
      if (thread) return thread.runBackfill(backfillId);
      if (!backfillDeps || engine.kind !== "in-process") return false;
      void runBackfill(backfillDeps, { backfillId }).catch((error: unknown) =>
        console.warn("[sentry] backfill failed", { backfill: backfillId, reason: String(error) }),
      );
      return true;
    },
    close: async () => {
      clearInterval(reconcile);
      clearInterval(maintenance);
      clearInterval(refreshTokens);
      await engine.stop();
      await database.close();
    },
  };
}

const GLOBAL_KEY = Symbol.for("neural-memory-console.runtime");
type GlobalWithRuntime = typeof globalThis & { [GLOBAL_KEY]?: Promise<Runtime> };

/**
 * The console's one runtime per process. Kept on globalThis because Next's dev server re-evaluates modules
 * on every edit, and a second PGlite on the same directory would corrupt it.
 */
export function getRuntime(): Promise<Runtime> {
  const g = globalThis as GlobalWithRuntime;
  if (!g[GLOBAL_KEY]) {
    g[GLOBAL_KEY] = createRuntime({
      role: "console",
      serveDatabase: true,
      startWorkflows: true,
      workflowThread: true,
    }).then(
      (runtime) => {
        closeOnSignals(runtime);
        return runtime;
      },
      (error: unknown) => {
        g[GLOBAL_KEY] = undefined;
        throw error;
      },
    );
  }
  return g[GLOBAL_KEY];
}

// PGlite flushes and releases its directory only on close; a console stopped with Ctrl-C or SIGTERM
// must not leave the next start to recover a half-written database.
function closeOnSignals(runtime: Runtime): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    runtime.close().then(
      () => process.exit(signal === "SIGINT" ? 130 : 0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
