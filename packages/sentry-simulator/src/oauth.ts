import { randomUUID } from "node:crypto";
import {
  INSTALLING_USER,
  type InstallationRecord,
  SCOPES,
  type SimContext,
  type TokenPair,
} from "./context";
import {
  bearerToken,
  detail,
  iso,
  isReply,
  jsonObject,
  LOST_ANSWER,
  NOT_FOUND,
  type Reply,
  randomHex,
  reply,
  type SimRequest,
  safeEqual,
} from "./http";
import { JWT_BEARER_GRANT, verifyClientSecretJwt } from "./jwt";

/** Grant codes are single use and live 10 minutes. */
export const GRANT_LIFETIME_MS = 10 * 60_000;

const REQUIRED = ["This field is required."];
const INVALID_PAIR = "Invalid Client ID / Secret pair";
const NO_SUCH_REFRESH = "Given refresh token does not exist";

let tokenIds = 0;

function newPair(ctx: SimContext): TokenPair {
  const now = ctx.now();
  return {
    id: String(++tokenIds),
    token: randomHex(32),
    refreshToken: randomHex(32),
    expiresAt: now + ctx.options.tokenLifetimeMs,
    dateCreated: now,
    scopes: [...SCOPES],
  };
}

/** Sentry's ApiTokenSerializer as the authorizations endpoint calls it (application: null, token shown). */
function tokenAnswer(pair: TokenPair, state: unknown): Reply {
  return reply(201, {
    id: pair.id,
    scopes: pair.scopes,
    application: null,
    expiresAt: iso(pair.expiresAt),
    dateCreated: iso(pair.dateCreated),
    state: state ?? null,
    token: pair.token,
    refreshToken: pair.refreshToken,
  });
}

export function installationBody(ctx: SimContext, inst: InstallationRecord) {
  return {
    app: { uuid: ctx.app.uuid, slug: ctx.app.slug },
    organization: { slug: inst.orgSlug, id: inst.orgId },
    uuid: inst.uuid,
    status: inst.status,
  };
}

/**
 * `GET /sentry-apps/{slug}/external-install/`: the user "accepts" at once. Creates a pending
 * installation and a grant code, sends `installation.created` (awaited, so it lands before the redirect;
 * a failed delivery is dropped, Sentry would retry it later), then redirects to the app.
 */
export async function externalInstall(
  ctx: SimContext,
  req: SimRequest,
  slug: string,
): Promise<Reply> {
  if (slug !== ctx.options.appSlug) return NOT_FOUND;
  const org = ctx.options.organization;
  const inst: InstallationRecord = {
    uuid: randomUUID(),
    status: "pending",
    orgSlug: org.slug,
    orgId: org.id,
    pair: null,
  };
  ctx.installations.set(inst.uuid, inst);
  const code = randomHex(16);
  ctx.grants.push({ code, installationUuid: inst.uuid, expiresAt: ctx.now() + GRANT_LIFETIME_MS });

  if (ctx.options.webhookUrl) {
    const body = {
      action: "created",
      actor: INSTALLING_USER,
      data: {
        installation: {
          status: inst.status,
          organization: { slug: org.slug, id: org.id },
          app: ctx.app,
          code,
          uuid: inst.uuid,
        },
      },
      installation: { uuid: inst.uuid },
    };
    await ctx.sendWebhook("installation", body).then(
      (res) => res.body?.cancel(),
      () => undefined,
    );
  }

  const location = new URL(ctx.options.redirectUrl);
  location.searchParams.set("code", code);
  location.searchParams.set("installationId", inst.uuid);
  location.searchParams.set("orgSlug", org.slug);
  const state = req.url.searchParams.get("state");
  if (state !== null) location.searchParams.set("state", state);
  return reply(302, undefined, { Location: location.toString() });
}

/** Looks the client pair up in constant time; answers 401 when it is missing or wrong. */
function checkClient(ctx: SimContext, body: Record<string, unknown>): Reply | undefined {
  const { client_id: id, client_secret: secret } = body;
  if (typeof id !== "string" || typeof secret !== "string" || !id || !secret) {
    return detail(401, INVALID_PAIR);
  }
  const idOk = safeEqual(id, ctx.options.clientId);
  const secretOk = safeEqual(secret, ctx.options.clientSecret);
  return idOk && secretOk ? undefined : detail(401, INVALID_PAIR);
}

/** Takes the next injected refresh failure, if any. Only requests that would otherwise succeed take one. */
function rotate(ctx: SimContext, inst: InstallationRecord, state: unknown): Reply {
  const failure = ctx.refreshFailures.shift();
  if (failure === "reject") return detail(401, NO_SUCH_REFRESH);
  inst.pair = newPair(ctx); // the old access and refresh token are gone from here on
  return failure === "lose-answer" ? LOST_ANSWER : tokenAnswer(inst.pair, state);
}

/** `POST /api/0/sentry-app-installations/{uuid}/authorizations/`. */
export function authorizations(ctx: SimContext, req: SimRequest, uuid: string): Reply {
  const answer = grant(ctx, req, uuid);
  if (!("destroy" in answer) && answer.status !== 201) ctx.stats.rejectedGrants++;
  return answer;
}

function grant(ctx: SimContext, req: SimRequest, uuid: string): Reply {
  const body = jsonObject(req);
  if (isReply(body)) return body;
  const grantType = body.grant_type;
  if (grantType === JWT_BEARER_GRANT) return jwtBearer(ctx, req, uuid, body);

  const bad = checkClient(ctx, body);
  if (bad) return bad;
  const inst = ctx.installations.get(uuid);
  if (!inst) return detail(404, "The requested resource does not exist");

  if (grantType === "authorization_code") {
    if (typeof body.code !== "string" || !body.code) return reply(400, { code: REQUIRED });
    const code = body.code;
    const found = ctx.grants.find((g) => safeEqual(g.code, code));
    if (!found) return detail(401, "Could not find grant for given code");
    if (found.installationUuid !== inst.uuid) return detail(401, "Forbidden grant");
    if (found.expiresAt <= ctx.now()) return detail(401, "Grant has already expired");
    ctx.grants = ctx.grants.filter((g) => g !== found);
    inst.pair = newPair(ctx);
    ctx.stats.authorizationCodeGrants++;
    return tokenAnswer(inst.pair, body.state);
  }

  if (grantType === "refresh_token") {
    const given = body.refresh_token;
    if (typeof given !== "string" || !given) return reply(400, { refresh_token: REQUIRED });
    if (!inst.pair || !safeEqual(inst.pair.refreshToken, given)) {
      return detail(401, NO_SUCH_REFRESH);
    }
    const answer = rotate(ctx, inst, body.state);
    if ("destroy" in answer || answer.status === 201) ctx.stats.refreshGrants++;
    return answer;
  }

  return detail(403, "Invalid grant_type");
}

/**
 * The manual refresh. Real Sentry reads the JWT from `Authorization: Bearer <jwt>` and ignores the body
 * apart from grant_type; the simulator also accepts it as `assertion` in the body. A client pair in the
 * body is optional here, but checked when present.
 */
function jwtBearer(
  ctx: SimContext,
  req: SimRequest,
  uuid: string,
  body: Record<string, unknown>,
): Reply {
  const jwt =
    bearerToken(req.headers) ?? (typeof body.assertion === "string" ? body.assertion : undefined);
  if (!jwt) return detail(401, "Header is in invalid form");
  if (body.client_id !== undefined || body.client_secret !== undefined) {
    const bad = checkClient(ctx, body);
    if (bad) return bad;
  }
  const now = ctx.now();
  for (const [jti, expMs] of ctx.usedJtis) if (expMs <= now) ctx.usedJtis.delete(jti);
  const check = verifyClientSecretJwt(jwt, {
    clientId: ctx.options.clientId,
    clientSecret: ctx.options.clientSecret,
    nowMs: now,
  });
  if (!check.ok) return detail(401, check.detail);
  if (ctx.usedJtis.has(check.jti)) return detail(401, "JWT has already been used");
  const inst = ctx.installations.get(uuid);
  if (!inst) return detail(401, "Installation not found");
  ctx.usedJtis.set(check.jti, check.expMs);
  const answer = rotate(ctx, inst, body.state);
  if ("destroy" in answer || answer.status === 201) ctx.stats.jwtBearerGrants++;
  return answer;
}

/**
 * The installation a bearer token belongs to. Every stored access token is compared in constant time;
 * unknown tokens get Sentry's "Invalid token", expired ones its "Token expired" (both 401).
 */
export function authenticate(ctx: SimContext, req: SimRequest): InstallationRecord | Reply {
  const token = bearerToken(req.headers);
  if (!token) return detail(401, "Authentication credentials were not provided.");
  let owner: InstallationRecord | undefined;
  for (const inst of ctx.installations.values()) {
    if (inst.pair && safeEqual(inst.pair.token, token)) owner = inst;
  }
  if (!owner?.pair) return detail(401, "Invalid token");
  if (owner.pair.expiresAt <= ctx.now()) return detail(401, "Token expired");
  return owner;
}

/** `PUT /api/0/sentry-app-installations/{uuid}/` with `{status: "installed"}`: "verify install". */
export function updateInstallation(ctx: SimContext, req: SimRequest, uuid: string): Reply {
  ctx.stats.apiCalls++;
  const owner = authenticate(ctx, req);
  if (isReply(owner)) return owner;
  const inst = ctx.installations.get(uuid);
  // A valid token of another installation is not a credential for this one.
  if (!inst || owner !== inst) return detail(401, "Invalid token");
  const body = jsonObject(req);
  if (isReply(body)) return body;
  if (body.status !== "installed") {
    return reply(400, {
      status: [`Invalid value '${String(body.status)}' for status. Valid values: 'installed'`],
    });
  }
  inst.status = "installed";
  if (!ctx.stats.installationsVerified.includes(uuid)) ctx.stats.installationsVerified.push(uuid);
  return reply(200, installationBody(ctx, inst));
}
