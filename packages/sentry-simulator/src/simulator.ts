/**
 * Sentry simulator: a test double of Sentry's public API, not Sentry.
 *
 * It plays the Sentry side of a public integration ("Sentry App") for development and tests, on
 * 127.0.0.1 only, with all state in memory:
 * - the external-install page (auto-approved) that redirects back with code / installationId / orgSlug /
 *   state and sends a signed `installation.created` webhook;
 * - the token endpoint with Sentry's three grants (authorization_code, refresh_token rotating the pair,
 *   the jwt-bearer manual refresh), "verify install" (PUT status installed);
 * - the organization issue list with cursor paging, `Link` and rate-limit headers;
 * - signed webhook deliveries with Sentry's five headers;
 * - `/__simulator/*` control endpoints (clock, seeding, failure injection, revocation, deliveries).
 * Behaviour follows Sentry's server code (src/sentry/sentry_apps/) and docs as summarized in
 * shared/reference/sentry-integration-platform.md; it is a model of that, and no proof about real Sentry.
 * Every token, code, client secret and JWT signature is compared in constant time.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getIssue, listIssues, listProjects } from "./api";
import type {
  InstallationRecord,
  RefreshFailureMode,
  ResolvedOptions,
  SimContext,
  SimulatorStats,
} from "./context";
import { INSTALLING_USER } from "./context";
import { type Controls, control } from "./control";
import { detail, NOT_FOUND, type Reply, readBody, type SimRequest, send } from "./http";
import { IssueStore, RateLimiter } from "./issues";
import { authorizations, externalInstall, installationBody, updateInstallation } from "./oauth";
import { postWebhook } from "./webhook";

export interface SentrySimulatorOptions {
  /** 0 (the default) picks a free port. Always bound to 127.0.0.1. */
  port?: number;
  clientId: string;
  clientSecret: string;
  appSlug: string;
  /** The app's OAuth redirect, e.g. http://127.0.0.1:3000/sentry/connected */
  redirectUrl: string;
  /** Where installation.created / installation.deleted / deliver() go. None: no webhooks. */
  webhookUrl?: string;
  organization?: { slug: string; id: string };
  /** Access-token lifetime; Sentry's is 8 hours. */
  tokenLifetimeMs?: number;
  /** For the issues list, per organization; default 40 requests per 1-second window. */
  rateLimit?: { limit: number; windowMs: number };
  /** How long a delivery may take before it counts as failed; Sentry waits 1 second. */
  webhookTimeoutMs?: number;
  /** The base clock (default Date.now); `clock.advance` adds to it. */
  now?: () => number;
  /** Told one line per webhook delivery attempt and its outcome (the CLI prints them). */
  log?: (line: string) => void;
}

export interface SimulatorInstallation {
  uuid: string;
  status: "pending" | "installed";
  org: string;
}

export interface SentrySimulator {
  /** http://127.0.0.1:<port> — use it as SENTRY_URL. */
  url: string;
  close(): Promise<void>;
  /** The simulator's clock: options.now plus everything advanced. Codes, tokens, JWTs, rate limits and
   *  webhook timestamps all read it. */
  clock: { now(): number; advance(ms: number): void };
  /** Adds `count` deterministic synthetic issues (project default "front-end"). */
  seedIssues(count: number, opts?: { project?: string }): void;
  stats(): SimulatorStats;
  installations(): SimulatorInstallation[];
  /** The next `times` (default 1) refresh grants (refresh_token or jwt-bearer) that would succeed either
   *  fail with 401 ("reject", pair kept) or are applied and then get no answer ("lose-answer"). */
  failNextRefresh(mode: RefreshFailureMode, times?: number): void;
  /** Uninstalls: deletes the installation, its tokens and codes, sends installation.deleted (once). */
  revokeInstallation(uuid: string): Promise<void>;
  /** Signs with the client secret and POSTs to webhookUrl (a string body is sent byte for byte). */
  deliver(resource: string, body: unknown): Promise<Response>;
}

const HOUR = 3_600_000;

/** A stable app uuid per slug, so restarts of a dev simulator keep the same app identity. */
function appUuid(slug: string): string {
  const h = createHash("sha256").update(`sentry-simulator:${slug}`).digest("hex");
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function resolve(options: SentrySimulatorOptions): ResolvedOptions {
  for (const key of ["clientId", "clientSecret", "appSlug", "redirectUrl"] as const) {
    if (typeof options[key] !== "string" || options[key] === "") {
      throw new Error(`createSentrySimulator: ${key} is required`);
    }
  }
  new URL(options.redirectUrl);
  if (options.webhookUrl) new URL(options.webhookUrl);
  return {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    appSlug: options.appSlug,
    redirectUrl: options.redirectUrl,
    webhookUrl: options.webhookUrl || undefined,
    organization: options.organization ?? { slug: "acme", id: "1" },
    tokenLifetimeMs: options.tokenLifetimeMs ?? 8 * HOUR,
    webhookTimeoutMs: options.webhookTimeoutMs ?? 1000,
  };
}

export async function createSentrySimulator(
  options: SentrySimulatorOptions,
): Promise<SentrySimulator> {
  const opts = resolve(options);
  const baseNow = options.now ?? Date.now;
  let offset = 0;
  const clock = {
    now: () => baseNow() + offset,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error("clock.advance: ms must be >= 0");
      offset += ms;
    },
  };
  let url = "";
  const rate = options.rateLimit ?? { limit: 40, windowMs: 1000 };
  const log = options.log;

  const ctx: SimContext = {
    options: opts,
    app: { uuid: appUuid(opts.appSlug), slug: opts.appSlug },
    now: clock.now,
    baseUrl: () => url,
    installations: new Map<string, InstallationRecord>(),
    grants: [],
    usedJtis: new Map(),
    refreshFailures: [],
    stats: {
      authorizationCodeGrants: 0,
      refreshGrants: 0,
      jwtBearerGrants: 0,
      rejectedGrants: 0,
      apiCalls: 0,
      rateLimited: 0,
      installationsVerified: [],
    },
    issues: new IssueStore(opts.organization.slug, () => url),
    limiter: new RateLimiter(rate.limit, rate.windowMs, clock.now),
    async sendWebhook(resource, body) {
      const target = opts.webhookUrl;
      if (!target) throw new Error("the simulator has no webhookUrl");
      const event = `${resource}.${actionOf(body)}`;
      try {
        const res = await postWebhook({
          url: target,
          resource,
          body,
          clientSecret: opts.clientSecret,
          nowMs: clock.now(),
          timeoutMs: opts.webhookTimeoutMs,
        });
        log?.(`webhook ${event} -> ${res.status}`);
        return res;
      } catch (error) {
        log?.(`webhook ${event} failed: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      }
    },
  };

  const sim: SentrySimulator & Controls = {
    get url() {
      return url;
    },
    clock,
    close: () => close(),
    seedIssues(count, seedOpts) {
      ctx.issues.seed(count, seedOpts?.project);
    },
    stats: () => ({ ...ctx.stats, installationsVerified: [...ctx.stats.installationsVerified] }),
    installations: () =>
      [...ctx.installations.values()].map((i) => ({
        uuid: i.uuid,
        status: i.status,
        org: i.orgSlug,
      })),
    failNextRefresh(mode, times = 1) {
      if (mode !== "reject" && mode !== "lose-answer") throw new Error(`unknown mode ${mode}`);
      if (!Number.isInteger(times) || times < 1)
        throw new Error("failNextRefresh: times must be >= 1");
      for (let i = 0; i < times; i++) ctx.refreshFailures.push(mode);
    },
    async revokeInstallation(uuid) {
      const inst = ctx.installations.get(uuid);
      if (!inst) throw new Error(`revokeInstallation: no installation ${uuid}`);
      ctx.installations.delete(uuid);
      ctx.grants = ctx.grants.filter((g) => g.installationUuid !== uuid);
      inst.pair = null;
      if (!opts.webhookUrl) return;
      const body = {
        action: "deleted",
        actor: INSTALLING_USER,
        data: { installation: installationBody(ctx, inst) },
        installation: { uuid },
      };
      // Sent once and never retried, as Sentry does: a failed delivery is simply lost.
      await ctx.sendWebhook("installation", body).then(
        (res) => res.body?.cancel(),
        () => undefined,
      );
    },
    deliver: (resource, body) => ctx.sendWebhook(resource, body),
    hasInstallation: (uuid) => ctx.installations.has(uuid),
    hasWebhookUrl: () => Boolean(opts.webhookUrl),
    issueCount: () => ctx.issues.size,
  };

  type Handler = (req: SimRequest, params: string[]) => Reply | Promise<Reply>;
  const routes: [method: string, pattern: RegExp, handler: Handler][] = [
    [
      "GET",
      /^\/sentry-apps\/([^/]+)\/external-install\/$/,
      (r, [slug]) => externalInstall(ctx, r, slug!),
    ],
    [
      "POST",
      /^\/api\/0\/sentry-app-installations\/([^/]+)\/authorizations\/$/,
      (r, [uuid]) => authorizations(ctx, r, uuid!),
    ],
    [
      "PUT",
      /^\/api\/0\/sentry-app-installations\/([^/]+)\/$/,
      (r, [uuid]) => updateInstallation(ctx, r, uuid!),
    ],
    ["GET", /^\/api\/0\/organizations\/([^/]+)\/issues\/$/, (r, [org]) => listIssues(ctx, r, org!)],
    [
      "GET",
      /^\/api\/0\/organizations\/([^/]+)\/issues\/([^/]+)\/$/,
      (r, [org, id]) => getIssue(ctx, r, org!, id!),
    ],
    [
      "GET",
      /^\/api\/0\/organizations\/([^/]+)\/projects\/$/,
      (r, [org]) => listProjects(ctx, r, org!),
    ],
  ];

  const route = async (req: SimRequest): Promise<Reply> => {
    const path = req.url.pathname;
    if (path === "/__simulator" || path.startsWith("/__simulator/")) {
      return control(sim, req, path.replace(/^\/__simulator\/?/, "").replace(/\/$/, ""));
    }
    for (const [method, pattern, handler] of routes) {
      const match = pattern.exec(path);
      if (!match) continue;
      if (req.method !== method) return detail(405, `Method "${req.method}" not allowed.`);
      return handler(
        req,
        match.slice(1).map((part) => decodeURIComponent(part)),
      );
    }
    return NOT_FOUND;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      let answer: Reply;
      try {
        const body = await readBody(req);
        const simReq: SimRequest = {
          method: req.method ?? "GET",
          url: new URL(req.url ?? "/", "http://127.0.0.1"),
          headers: req.headers,
          body,
        };
        answer = await route(simReq);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        answer = detail(message === "body too large" ? 413 : 500, `Simulator error: ${message}`);
      }
      if (res.writableEnded || res.destroyed) return;
      try {
        send(res, answer);
      } catch {
        res.socket?.destroy();
      }
    })();
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolveListen();
    });
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolveClose, reject) => {
      server.close((error) => (error ? reject(error) : resolveClose()));
      server.closeAllConnections();
    });
    return closing;
  }

  return sim;
}

/** The `action` of a webhook body, for log lines. */
function actionOf(body: unknown): string {
  let value = body;
  if (typeof body === "string") {
    try {
      value = JSON.parse(body);
    } catch {
      return "?";
    }
  }
  const action = (value as { action?: unknown } | null)?.action;
  return typeof action === "string" ? action : "?";
}
