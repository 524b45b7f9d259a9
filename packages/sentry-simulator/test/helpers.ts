import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createSentrySimulator,
  type SentrySimulator,
  type SentrySimulatorOptions,
} from "../src/index";

export const CLIENT_ID = "c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2";
export const CLIENT_SECRET = "s3cr3t5e3cr3t5e3cr3t5e3cr3t5e3cr3t5e3cr3t5e3cr3t5e3cr3t5e3cr3t5e";
export const APP_SLUG = "neural-memory";
export const REDIRECT = "http://127.0.0.1:3000/sentry/connected";
export const START = Date.UTC(2026, 0, 15, 9, 0, 0);

/** The documented `installation.created` example (Sentry docs), the shape deliveries must keep. */
export const INSTALLATION_CREATED_FIXTURE = {
  action: "created",
  actor: { id: 1, name: "Meredith Heller", type: "user" },
  data: {
    installation: {
      status: "pending",
      organization: { slug: "test-org" },
      app: { uuid: "2ebf071f-28df-4989-aca9-c37c763b278f", slug: "webhooks-galore" },
      code: "f3c71b491e3949b6b033ae45312a4fcb",
      uuid: "a8e5d37a-696c-4c54-adb5-b3f28d64c7de",
    },
  },
  installation: { uuid: "a8e5d37a-696c-4c54-adb5-b3f28d64c7de" },
};

/** `data.issue` of the documented `issue.created` example. */
export const ISSUE_FIXTURE = {
  annotations: [],
  assignedTo: null,
  count: "1",
  culprit: "?(runner)",
  firstSeen: "2019-08-19T20:58:37.391000Z",
  hasSeen: false,
  id: "1170820242",
  isBookmarked: false,
  isPublic: false,
  isSubscribed: false,
  lastSeen: "2019-08-19T20:58:37.391000Z",
  level: "error",
  logger: null,
  metadata: { filename: "/runner", type: "ReferenceError", value: "blooopy is not defined" },
  numComments: 0,
  permalink: null,
  platform: "javascript",
  project: { id: "1", name: "front-end", platform: "", slug: "front-end" },
  shareId: null,
  shortId: "FRONT-END-9",
  status: "unresolved",
  statusDetails: {},
  subscriptionDetails: null,
  substatus: "escalating",
  title: "ReferenceError: blooopy is not defined",
  type: "error",
  userCount: 1,
};

/**
 * Every key of the fixture is present in `actual` with the same JSON type (a fixture `null` accepts
 * anything, since the documented example leaves such fields empty); `actual` may add keys.
 */
export function missingShape(fixture: unknown, actual: unknown, path = "$"): string[] {
  if (fixture === null) return [];
  const kind = (v: unknown) => (Array.isArray(v) ? "array" : v === null ? "null" : typeof v);
  if (kind(fixture) !== kind(actual)) return [`${path}: ${kind(fixture)} != ${kind(actual)}`];
  if (kind(fixture) !== "object") return [];
  const a = actual as Record<string, unknown>;
  return Object.entries(fixture as Record<string, unknown>).flatMap(([key, value]) =>
    key in a ? missingShape(value, a[key], `${path}.${key}`) : [`${path}.${key}: missing`],
  );
}

export interface Delivery {
  headers: IncomingHttpHeaders;
  raw: string;
  json: Record<string, unknown>;
}

/** A tiny webhook receiver on 127.0.0.1 that records the exact bytes it is sent. */
export async function startReceiver(status = 200) {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      deliveries.push({ headers: req.headers, raw, json: JSON.parse(raw) });
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ received: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/sentry/webhooks`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url, deliveries, close };
}

export function start(overrides: Partial<SentrySimulatorOptions> = {}): Promise<SentrySimulator> {
  return createSentrySimulator({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    appSlug: APP_SLUG,
    redirectUrl: REDIRECT,
    now: () => START,
    ...overrides,
  });
}

export async function install(sim: SentrySimulator, state?: string) {
  const query = state === undefined ? "" : `?state=${encodeURIComponent(state)}`;
  const res = await fetch(`${sim.url}/sentry-apps/${APP_SLUG}/external-install/${query}`, {
    redirect: "manual",
  });
  const location = new URL(res.headers.get("location") ?? "http://invalid/");
  return {
    res,
    location,
    code: location.searchParams.get("code")!,
    installationId: location.searchParams.get("installationId")!,
  };
}

export function authorize(
  sim: SentrySimulator,
  installationId: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${sim.url}/api/0/sentry-app-installations/${installationId}/authorizations/`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, ...body }),
  });
}

export interface Pair {
  token: string;
  refreshToken: string;
  expiresAt: string;
}

/** Installs and exchanges the code: an installation with its first token pair. */
export async function connect(sim: SentrySimulator) {
  const { code, installationId } = await install(sim, "s");
  const res = await authorize(sim, installationId, { grant_type: "authorization_code", code });
  if (res.status !== 201) throw new Error(`exchange failed: ${res.status}`);
  return { installationId, pair: (await res.json()) as Pair };
}

export const refresh = (sim: SentrySimulator, installationId: string, refreshToken: string) =>
  authorize(sim, installationId, { grant_type: "refresh_token", refresh_token: refreshToken });

export const issues = (sim: SentrySimulator, token: string, query = "") =>
  fetch(`${sim.url}/api/0/organizations/acme/issues/${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
