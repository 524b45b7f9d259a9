/**
 * Redaction of stored webhook deliveries before the console shows them. A delivery can carry credentials
 * (an installation's OAuth grant code, a signature header, a DSN, a cookie an SDK captured): anyone who
 * can read the page must not be able to replay them. Ids (`installation.uuid`, `key_id`, `issue_id`) stay,
 * they are what a reader debugs with.
 */

export const REDACTED = "[redacted]";

/** Words that make a key secret wherever they appear in it (`refreshToken`, `X-Sentry-Signature`). */
const SECRET_WORDS = new Set([
  "token",
  "tokens",
  "secret",
  "secrets",
  "password",
  "passwd",
  "passphrase",
  "authorization",
  "cookie",
  "cookies",
  "signature",
  "dsn",
  "session",
  "apikey",
  "credential",
  "credentials",
]);

/**
 * Keys secret only as a whole, or as two adjacent words: `code` alone is an OAuth grant code, while
 * `status_code` and `error_code` are not secrets; `key` alone is too common (`key_id`), `api_key` is one.
 */
const SECRET_PAIRS = new Set([
  "api key",
  "private key",
  "access key",
  "client secret",
  "auth code",
  "grant code",
  "oauth code",
  "authorization code",
]);
const SECRET_WHOLE_KEYS = new Set(["code", "auth", "sessionid", "csrftoken", "xsrftoken"]);

/** `refreshToken` → [refresh, token]; `X-Api-Key` → [x, api, key]; `client_secret` → [client, secret]. */
function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "");
}

export function isSecretKey(key: string): boolean {
  const words = wordsOf(key);
  if (words.length === 0) return false;
  if (SECRET_WHOLE_KEYS.has(words.join(""))) return true;
  for (const [i, word] of words.entries()) {
    if (SECRET_WORDS.has(word)) return true;
    const next = words[i + 1];
    if (next !== undefined && SECRET_PAIRS.has(`${word} ${next}`)) return true;
  }
  return false;
}

/** `Bearer abc…`, `Basic dXNlcjpw…`, `Token abc…`: the scheme stays, the credential goes. */
const AUTH_SCHEME = /\b(Bearer|Basic|Token)(\s+)([A-Za-z0-9\-._~+/]{8,}=*)/gi;
/** Prose says "Token verification failed": a credential has a digit, or is longer than words are. */
const looksLikeCredential = (text: string) => /\d/.test(text) || text.length >= 20;
/** `https://<key>[:<secret>]@o1.ingest.sentry.io/1`: a DSN or any URL with credentials in it. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;
/** Sentry's own auth tokens and JWTs are recognisable by shape wherever they appear. */
const TOKEN_SHAPES = [
  /\bsntry[su]_[A-Za-z0-9+/=_-]{20,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];

export function redactString(value: string): string {
  let out = value
    .replace(AUTH_SCHEME, (match, scheme: string, space: string, credential: string) =>
      looksLikeCredential(credential) ? `${scheme}${space}${REDACTED}` : match,
    )
    .replace(URL_CREDENTIALS, (_, scheme: string) => `${scheme}${REDACTED}@`);
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, REDACTED);
  return out;
}

/** Nothing to hide in an absent value; showing `null` keeps the payload's shape readable. */
const redactedValue = (value: unknown) =>
  value === null || value === undefined ? value : REDACTED;

/** `[["Cookie", "a=b"], ["User-Agent", "…"]]`: how Sentry events list request headers. */
function isHeaderPairs(value: unknown[]): value is [string, unknown][] {
  return (
    value.length > 0 &&
    value.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === "string")
  );
}

function redact(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return redactString(value);
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return new Date(value.getTime());
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      if (isHeaderPairs(value)) {
        return value.map(([name, v]) => [
          name,
          isSecretKey(name) ? redactedValue(v) : redact(v, seen),
        ]);
      }
      return value.map((item) => redact(item, seen));
    }
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = isSecretKey(key) ? redactedValue(v) : redact(v, seen);
    }
    return out;
  } finally {
    // A value reached twice without a cycle (shared, not nested) is copied both times.
    seen.delete(value);
  }
}

/**
 * A deep copy of `value` with secrets replaced by "[redacted]": values under secret-looking keys (see
 * `isSecretKey`), and credentials inside strings (auth headers, URLs with a user part such as a DSN,
 * Sentry tokens, JWTs). The input is never modified.
 */
export function redactPayload(value: unknown): unknown {
  return redact(value, new WeakSet());
}
