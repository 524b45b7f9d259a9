import { createHmac, randomUUID } from "node:crypto";
import { safeEqual } from "./http";

/**
 * HS256 JWTs for Sentry's manual token refresh (`urn:sentry:params:oauth:grant-type:jwt-bearer`): the app
 * proves it holds the client secret with claims iss = sub = client id, iat, exp and a single-use jti.
 */
export const JWT_BEARER_GRANT = "urn:sentry:params:oauth:grant-type:jwt-bearer";

const b64url = (value: string | Buffer): string => Buffer.from(value).toString("base64url");

const hs256 = (secret: string, input: string): string =>
  createHmac("sha256", secret).update(input).digest("base64url");

/** Signs claims as an HS256 JWT. Exported for tests and scripts that play the app's side. */
export function signHs256Jwt(
  claims: Record<string, unknown>,
  secret: string,
  header: Record<string, unknown> = { alg: "HS256", typ: "JWT" },
): string {
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${signingInput}.${hs256(secret, signingInput)}`;
}

/** The assertion a well-behaved app sends: valid for `ttlSeconds` from `nowMs`, with a fresh jti. */
export function clientSecretJwt(
  clientId: string,
  clientSecret: string,
  nowMs: number = Date.now(),
  ttlSeconds = 60,
): string {
  const iat = Math.floor(nowMs / 1000);
  return signHs256Jwt(
    { iss: clientId, sub: clientId, iat, exp: iat + ttlSeconds, jti: randomUUID() },
    clientSecret,
  );
}

export type JwtCheck = { ok: true; jti: string; expMs: number } | { ok: false; detail: string };

const INVALID: JwtCheck = { ok: false, detail: "Could not validate JWT" };
/** How far in the future `iat` may be, for clock skew between the app and the simulator. */
const IAT_LEEWAY_MS = 60_000;

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks signature (constant time), algorithm, expiry and issuer. The jti's single use is the caller's
 * job, since only it knows which jtis were spent.
 */
export function verifyClientSecretJwt(
  token: string,
  expected: { clientId: string; clientSecret: string; nowMs: number },
): JwtCheck {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return INVALID;
  const [headerPart, claimsPart, signature] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  // Only HS256: "none" or an asymmetric alg naming the secret as a public key must never pass.
  if (header?.alg !== "HS256") return INVALID;
  if (!safeEqual(signature, hs256(expected.clientSecret, `${headerPart}.${claimsPart}`))) {
    return INVALID;
  }
  const claims = decodeJson(claimsPart);
  if (!claims) return INVALID;
  const { iss, sub, iat, exp, jti } = claims;
  if (typeof exp !== "number" || !Number.isFinite(exp) || exp * 1000 <= expected.nowMs) {
    return INVALID;
  }
  if (
    typeof iat !== "number" ||
    !Number.isFinite(iat) ||
    iat * 1000 > expected.nowMs + IAT_LEEWAY_MS
  ) {
    return INVALID;
  }
  if (typeof jti !== "string" || jti.length === 0) return INVALID;
  const issuerOk = typeof iss === "string" && safeEqual(iss, expected.clientId);
  const subjectOk = typeof sub === "string" && safeEqual(sub, expected.clientId);
  if (!issuerOk || !subjectOk)
    return { ok: false, detail: "JWT is not valid for this application" };
  return { ok: true, jti, expMs: exp * 1000 };
}
