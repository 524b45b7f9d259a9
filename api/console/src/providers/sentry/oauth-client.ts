import { createHmac, randomUUID } from "node:crypto";
import { z } from "zod";

/** A Sentry public integration as configured: where Sentry is, and the app's client pair. */
export interface SentryAppConfig {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  appSlug?: string | undefined;
}

export const JWT_BEARER_GRANT = "urn:sentry:params:oauth:grant-type:jwt-bearer";
const TIMEOUT_MS = 15_000;

const tokenGrant = z.object({
  token: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresAt: z.string().datetime({ offset: true }),
  scopes: z.array(z.string()).default([]),
});
export type SentryTokenGrant = z.infer<typeof tokenGrant>;

/**
 * What went wrong talking to Sentry, sorted by what to do about it: `rejected` (4xx: the grant, token or
 * client pair is not accepted; retrying the same request cannot help), `network` (no answer: the request
 * may or may not have been applied), `server` (5xx or an answer we cannot read: retry later).
 */
export class SentryApiError extends Error {
  constructor(
    readonly kind: "rejected" | "network" | "server",
    readonly status: number | undefined,
    /** Sentry's own `detail`, when it gave one; never contains a token. */
    readonly detail: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "SentryApiError";
  }
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: "manual",
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SentryApiError("network", undefined, undefined, `Sentry did not answer: ${reason}`);
  }
}

async function detailOf(response: Response): Promise<string | undefined> {
  const text = await response.text().catch(() => "");
  try {
    const detail = (JSON.parse(text) as { detail?: unknown }).detail;
    return typeof detail === "string" ? detail.slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}

async function failure(response: Response, what: string): Promise<SentryApiError> {
  const detail = await detailOf(response);
  const kind = response.status >= 400 && response.status < 500 ? "rejected" : "server";
  return new SentryApiError(
    kind,
    response.status,
    detail,
    `${what}: Sentry answered ${response.status}${detail ? ` (${detail})` : ""}`,
  );
}

function authorizationsUrl(config: SentryAppConfig, installationId: string): string {
  return `${config.baseUrl.replace(/\/+$/, "")}/api/0/sentry-app-installations/${encodeURIComponent(installationId)}/authorizations/`;
}

/** Sentry's token endpoint takes JSON only (a form body fails), and answers 201 with the new pair. */
async function grant(
  config: SentryAppConfig,
  installationId: string,
  body: Record<string, string>,
  what: string,
  authorization?: string,
): Promise<SentryTokenGrant> {
  const response = await send(authorizationsUrl(config, installationId), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      ...(authorization ? { authorization } : {}),
    },
    // The JWT-bearer grant authenticates with its assertion alone; the others with the client pair.
    body: JSON.stringify(
      authorization
        ? body
        : { ...body, client_id: config.clientId, client_secret: config.clientSecret },
    ),
  });
  if (response.status !== 201 && response.status !== 200) throw await failure(response, what);
  const parsed = tokenGrant.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) {
    throw new SentryApiError(
      "server",
      response.status,
      undefined,
      `${what}: unreadable token answer`,
    );
  }
  return parsed.data;
}

export function exchangeCode(
  config: SentryAppConfig,
  params: { installationId: string; code: string },
): Promise<SentryTokenGrant> {
  return grant(
    config,
    params.installationId,
    { grant_type: "authorization_code", code: params.code },
    "exchanging the authorization code",
  );
}

/** Rotates the pair: Sentry deletes the old access and refresh tokens as it answers. */
export function refreshGrant(
  config: SentryAppConfig,
  params: { installationId: string; refreshToken: string },
): Promise<SentryTokenGrant> {
  return grant(
    config,
    params.installationId,
    { grant_type: "refresh_token", refresh_token: params.refreshToken },
    "refreshing the token",
  );
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** The HS256 assertion of Sentry's manual refresh: iss = sub = client id, signed with the client secret. */
export function jwtAssertion(config: SentryAppConfig, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const claims = base64url(
    JSON.stringify({
      iss: config.clientId,
      sub: config.clientId,
      iat,
      exp: iat + 60,
      jti: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", config.clientSecret)
    .update(`${header}.${claims}`)
    .digest();
  return `${header}.${claims}.${base64url(signature)}`;
}

/**
 * For a pair whose refresh answer was lost: authenticates as the app itself (the JWT goes in the
 * Authorization header, as Sentry reads it), not with the dead refresh token. Sentry may keep this grant
 * off for an organization (403), which then needs a new authorization like any other refusal.
 */
export function jwtBearerGrant(
  config: SentryAppConfig,
  params: { installationId: string; nowMs?: number },
): Promise<SentryTokenGrant> {
  return grant(
    config,
    params.installationId,
    { grant_type: JWT_BEARER_GRANT },
    "the manual (JWT-bearer) refresh",
    `Bearer ${jwtAssertion(config, params.nowMs)}`,
  );
}

/** Until verified, an app with "verify install" stays pending and gets no issue or alert webhooks. */
export async function verifyInstallation(
  config: SentryAppConfig,
  params: { installationId: string; token: string },
): Promise<void> {
  const url = `${config.baseUrl.replace(/\/+$/, "")}/api/0/sentry-app-installations/${encodeURIComponent(params.installationId)}/`;
  const response = await send(url, {
    method: "PUT",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      authorization: `Bearer ${params.token}`,
    },
    body: JSON.stringify({ status: "installed" }),
  });
  if (!response.ok) throw await failure(response, "verifying the installation");
  await response.body?.cancel();
}
