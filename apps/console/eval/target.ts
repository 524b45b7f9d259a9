/**
 * Where `pnpm eval` sends its deliveries and queries: a console it starts on the embedded defaults, or one
 * already running at `--base-url`; and the cleanup that stops what it started.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  countPayloadsByStatus,
  createApiKey,
  createWorkspace,
  getSentryInstallation,
  linkSentryInstallation,
  openDatabase,
  resolveDataDir,
} from "@db/console";
import { z } from "zod";
import { appDir, Console, freePort } from "../test/harness";
import { type Dataset, type Delivery, replayRequest } from "./dataset";
import { env } from "./env";
import { CUTOFF, responseKeys } from "./metrics";

const CAPTURE_TIMEOUT_MS = 15 * 60_000;

export const cleanups: (() => unknown)[] = [];
export async function cleanup(): Promise<void> {
  for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) {
    try {
      await fn();
    } catch (error) {
      console.error(`eval: cleanup failed: ${messageOf(error)}`);
    }
  }
}

export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return error.message + cause;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const log = (line: string) => console.error(line);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Target {
  url: string;
  apiKey: string;
  secret: string;
  label: string;
  /** Stored payloads by status (pending, processing, done, failed, …). */
  outbox(): Promise<Record<string, number>>;
}

const healthSchema = z.looseObject({
  database: z.string(),
  embeddings: z.string(),
  workflows: z.string(),
  details: z.looseObject({
    database: z.looseObject({ ok: z.boolean(), error: z.string().optional() }),
    embeddings: z.looseObject({ model: z.string() }),
    workflows: z.looseObject({ outbox: z.record(z.string(), z.number()).optional() }),
  }),
});
type Health = z.infer<typeof healthSchema>;

export async function health(url: string): Promise<Health> {
  const res = await fetch(`${url}/api/health`).catch((error: unknown) => {
    throw new Error(`cannot reach ${url}/api/health: ${messageOf(error)}; is the console running?`);
  });
  const parsed = healthSchema.safeParse(parseJson(await res.text()));
  if (!parsed.success) throw new Error(`${url}/api/health answered ${res.status} without health`);
  return parsed.data;
}

export async function startLocal(dataset: Dataset, embedder: string | undefined): Promise<Target> {
  if (!existsSync(path.join(appDir, ".next", "BUILD_ID"))) {
    throw new Error("the console has no production build: run `pnpm build` first");
  }
  const dataDir = env.DATA_DIR
    ? resolveDataDir(env.DATA_DIR)
    : mkdtempSync(path.join(tmpdir(), "nmc-eval-"));
  if (!env.DATA_DIR) cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

  const setup = await openDatabase({ dataDir, migrate: true, role: "eval" });
  let apiKey: string;
  try {
    if (setup.kind !== "pglite") {
      throw new Error(
        `DATA_DIR ${dataDir} is held by a running console: stop it, or target it with --base-url`,
      );
    }
    // A reused DATA_DIR already holds these deliveries (stored once per body), so its workspace is reused.
    const uuid = dataset.manifest.installation_uuid;
    const workspaceId =
      (await getSentryInstallation(setup.db, { uuid }))?.workspaceId ??
      (await createWorkspace(setup.db, { name: `eval ${dataset.name}` })).id;
    await linkSentryInstallation(setup.db, {
      uuid,
      workspaceId,
      organizationSlug: dataset.manifest.org_slug,
      kind: "public",
    });
    ({ apiKey } = await createApiKey(setup.db, { workspaceId, name: "eval" }));
  } finally {
    await setup.close();
  }

  const secret = randomBytes(24).toString("hex");
  const app = new Console(await freePort(), {
    DATA_DIR: dataDir,
    SENTRY_CLIENT_SECRET: secret,
    OUTBOX_POLL_MS: "100",
    // The embedded defaults, whatever the shell or a root .env selects for the developer's own console.
    DATABASE_URL: "",
    PINECONE_API_KEY: "",
    INNGEST_EVENT_KEY: "",
    INNGEST_DEV: "",
    WORKFLOWS: "",
    ...(embedder ? { EMBEDDINGS: embedder } : {}),
  });
  cleanups.push(() => app.stop());
  log(`starting the console in ${dataDir}`);
  await app.start();
  // Connects through the running console: PGlite allows one process per directory.
  const reader = await openDatabase({ dataDir, role: "eval" });
  cleanups.push(() => reader.close());
  return {
    url: app.url,
    apiKey,
    secret,
    label: `local console (${dataDir})`,
    outbox: () => countPayloadsByStatus(reader.db),
  };
}

export async function remote(baseUrl: string, apiKey: string, secret: string): Promise<Target> {
  const url = baseUrl.replace(/\/+$/, "");
  return {
    url,
    apiKey,
    secret,
    label: url,
    outbox: async () => {
      const { details } = await health(url);
      if (details.workflows.outbox) return details.workflows.outbox;
      const why = details.database.error ?? "not ok";
      throw new Error(`${url}/api/health reports no outbox counts (database: ${why})`);
    },
  };
}

/** One at a time, in file order, so capture sees the deliveries in the order Sentry sent them. */
export async function deliver(target: Target, deliveries: Delivery[]) {
  const rejected: { line: number; resource: string; status: number; message: string }[] = [];
  for (const [index, delivery] of deliveries.entries()) {
    const url = `${target.url}/api/sentry/webhooks`;
    const res = await fetch(url, replayRequest(delivery, target.secret)).catch((error: unknown) => {
      throw new Error(`cannot deliver to ${url}: ${messageOf(error)}`);
    });
    const message = await res.text();
    if (res.ok) continue;
    rejected.push({ line: index + 1, resource: delivery.resource, status: res.status, message });
  }
  return rejected;
}

export async function waitForCapture(target: Target): Promise<Record<string, number>> {
  const deadline = Date.now() + CAPTURE_TIMEOUT_MS;
  let lastReport = Date.now();
  for (;;) {
    const counts = await target.outbox();
    const waiting = (counts.pending ?? 0) + (counts.processing ?? 0);
    if (waiting === 0) return counts;
    if (Date.now() > deadline) {
      throw new Error(
        `capture did not finish within ${CAPTURE_TIMEOUT_MS / 60_000} minutes: ` +
          `${counts.pending ?? 0} payloads pending, ${counts.processing ?? 0} processing`,
      );
    }
    if (Date.now() - lastReport > 10_000) {
      log(`  waiting for capture: ${waiting} payloads left`);
      lastReport = Date.now();
    }
    await sleep(500);
  }
}

type Answer = { keys: string[][]; ms: number; error?: string };

export async function search(target: Target, query: string): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${target.url}/v1/search`, {
    method: "POST",
    headers: { authorization: `Bearer ${target.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ query, limit: CUTOFF }),
  }).catch((error: unknown) => {
    throw new Error(`cannot reach ${target.url}/v1/search: ${messageOf(error)}`);
  });
  const text = await res.text();
  const ms = performance.now() - started;
  if (res.status === 429) {
    // The per-key rate limit: wait it out and ask again; only the answered call is timed.
    await sleep(Math.max(1, Number(res.headers.get("retry-after")) || 1) * 1000);
    return search(target, query);
  }
  if (res.status === 401 || res.status === 403) {
    throw new Error(
      `POST /v1/search answered ${res.status}: the API key was refused; check --api-key ` +
        `(a key of the workspace linked to the dataset's installation): ${text.slice(0, 200)}`,
    );
  }
  if (res.status === 404) {
    throw new Error(`POST ${target.url}/v1/search answered 404: that console has no search route`);
  }
  if (!res.ok) return { keys: [], ms, error: `${res.status}: ${text.slice(0, 200)}` };
  const keys = responseKeys(parseJson(text));
  return keys
    ? { keys, ms }
    : { keys: [], ms, error: `unexpected response: ${text.slice(0, 200)}` };
}
