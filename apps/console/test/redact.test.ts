import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isSecretKey, REDACTED, redactPayload, redactString } from "../src/lib/redact";

// Resolved from this file rather than imported from the harness: this suite needs no Next build.
const fixtures = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../shared/fixtures/sentry",
);
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(fixtures, name), "utf8"));

describe("secret keys", () => {
  it.each([
    "token",
    "access_token",
    "refreshToken",
    "client_secret",
    "clientSecret",
    "password",
    "Authorization",
    "Cookie",
    "set-cookie",
    "api_key",
    "apiKey",
    "X-Api-Key",
    "apikey",
    "code",
    "authCode",
    "sentry-hook-signature",
    "Sentry-Hook-Signature",
    "dsn",
    "SENTRY_DSN",
    "session",
    "sessionId",
    "XSRFToken",
    "private_key",
  ])("%s is secret", (key) => expect(isSecretKey(key)).toBe(true));

  it.each([
    "installation",
    "installationId",
    "uuid",
    "key_id",
    "key",
    "status_code",
    "error_code",
    "codeowners",
    "issue_id",
    "shortId",
    "author",
    "sentry-hook-resource",
    "fingerprint",
    "hashes",
  ])("%s is not", (key) => expect(isSecretKey(key)).toBe(false));
});

describe("secrets inside strings", () => {
  it("strips the key from a DSN and credentials from any URL", () => {
    expect(redactString("https://a1b2c3d4e5f6@o1.ingest.sentry.io/1")).toBe(
      `https://${REDACTED}@o1.ingest.sentry.io/1`,
    );
    expect(redactString("dsn=https://public:secret@sentry.example.com/42 ok")).toBe(
      `dsn=https://${REDACTED}@sentry.example.com/42 ok`,
    );
    expect(redactString("postgres://app:hunter2@db:5432/x")).toBe(
      `postgres://${REDACTED}@db:5432/x`,
    );
  });

  it("keeps the scheme of an auth header and hides its credential", () => {
    expect(redactString("Bearer sntrys_eyJpYXQiOjE3MDAwMDAwMDB9abc")).toBe(`Bearer ${REDACTED}`);
    expect(redactString("authorization: Basic dXNlcjpwYXNzd29yZA==")).toBe(
      `authorization: Basic ${REDACTED}`,
    );
    expect(redactString("token abc123def456")).toBe(`token ${REDACTED}`);
  });

  it("recognises Sentry tokens and JWTs by shape", () => {
    expect(redactString("saw sntryu_0123456789abcdef0123456789abcdef here")).toBe(
      `saw ${REDACTED} here`,
    );
    const jwt =
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    expect(redactString(`jwt ${jwt}`)).toBe(`jwt ${REDACTED}`);
  });

  it("leaves prose, ordinary links and package names alone", () => {
    for (const text of [
      "Token verification failed for the webhook",
      "Bearer of bad news",
      "https://sentry.io/organizations/test-org/issues/1170820242/",
      "https://example.com/path?email=ada@example.com",
      "npm:@sentry/browser",
      "ada@example.com",
    ]) {
      expect(redactString(text)).toBe(text);
    }
  });
});

describe("redactPayload", () => {
  it("hides an installation's grant code and keeps its ids (installation.created)", () => {
    const body = fixture("installation.created.json");
    const redacted = redactPayload(body) as typeof body;
    const expected = structuredClone(body) as {
      data: { installation: { code: string } };
    };
    expected.data.installation.code = REDACTED;
    expect(redacted).toEqual(expected);
    expect(redacted).toMatchObject({
      installation: { uuid: "a8e5d37a-696c-4c54-adb5-b3f28d64c7de" },
      data: {
        installation: {
          uuid: "a8e5d37a-696c-4c54-adb5-b3f28d64c7de",
          app: { uuid: "2ebf071f-28df-4989-aca9-c37c763b278f", slug: "webhooks-galore" },
          organization: { slug: "test-org" },
          status: "pending",
        },
      },
    });
    // A copy: the stored payload itself is untouched.
    expect((body.data as { installation: { code: string } }).installation.code).toBe(
      "f3c71b491e3949b6b033ae45312a4fcb",
    );
    expect(JSON.stringify(redacted)).not.toContain("f3c71b491e3949b6b033ae45312a4fcb");
  });

  it("hides a token exchange whole and keeps the installation id", () => {
    const setup = fixture("integration-platform-example/MOCK_SETUP.json");
    const redacted = redactPayload(setup);
    // Everything under a secret key goes, objects included: what else it holds is not known to be safe.
    expect(redacted).toMatchObject({
      postInstall: {
        code: REDACTED,
        installationId: "7a485448-a9e2-4c85-8a3c-4f44175783c9",
        sentryOrgSlug: "example",
      },
      newToken: REDACTED,
      installation: { uuid: "7a485448-a9e2-4c85-8a3c-4f44175783c9" },
    });
    expect(redactPayload({ exchange: setup.newToken })).toEqual({
      exchange: { token: REDACTED, refreshToken: REDACTED, expiresAt: "3000-01-01T08:00:00.000Z" },
    });
  });

  it("changes nothing in an error event without secrets, down to null cookies and key_id", () => {
    const body = fixture("error.created.json");
    expect(redactPayload(body)).toEqual(body);
  });

  it("hides secret request headers listed as pairs, and a DSN anywhere in the event", () => {
    const body = fixture("error.created.json") as {
      data: { error: { request: { headers: [string, string][] }; extra?: unknown } };
    };
    body.data.error.request.headers.push(
      ["Authorization", "Bearer abcdef0123456789"],
      ["Cookie", "session=s3cr3t"],
    );
    body.data.error.extra = {
      sentry_dsn: "https://k@o1.ingest.sentry.io/1",
      note: "see https://k@o1.ingest.sentry.io/1",
    };
    const redacted = redactPayload(body) as typeof body;
    expect(redacted.data.error.request.headers).toEqual([
      expect.arrayContaining(["User-Agent"]),
      ["Authorization", REDACTED],
      ["Cookie", REDACTED],
    ]);
    expect(redacted.data.error.extra).toEqual({
      sentry_dsn: REDACTED,
      note: `see https://${REDACTED}@o1.ingest.sentry.io/1`,
    });
    expect(JSON.stringify(redacted)).not.toContain("s3cr3t");
  });

  it("hides the signature of stored delivery headers", () => {
    expect(
      redactPayload({
        "sentry-hook-resource": "issue",
        "sentry-hook-signature": "f0e1d2c3b4a5",
        "request-id": "c1f2",
      }),
    ).toEqual({
      "sentry-hook-resource": "issue",
      "sentry-hook-signature": REDACTED,
      "request-id": "c1f2",
    });
  });

  it("redacts whole values under secret keys, keeps primitives, and copies deeply", () => {
    const input = { auth: { user: "a", pass: "b" }, nested: [{ password: 1 }, { n: 2, ok: true }] };
    const out = redactPayload(input) as typeof input;
    expect(out).toEqual({ auth: REDACTED, nested: [{ password: REDACTED }, { n: 2, ok: true }] });
    expect(out.nested).not.toBe(input.nested);
    expect(out.nested[1]).not.toBe(input.nested[1]);
    expect(redactPayload("plain")).toBe("plain");
    expect(redactPayload(42)).toBe(42);
    expect(redactPayload(null)).toBeNull();
  });
});
