import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { SourceEvent } from "@repo/schemas";
import { hmacSha256Hex, webhookProvider } from "@repo/webhooks";
import { sentrySerialize } from "../src/providers/sentry/sender";

export const PUBLIC_SECRET = "test-public-client-secret-0123456789abcdef";
export const fixturesDir = path.resolve(import.meta.dirname, "../../../../shared/fixtures/sentry");

export interface Fixture {
  file: string;
  resource: string;
  action: string;
  installation: string;
  body: string;
}

/** Every webhook fixture, serialized as Sentry would send it. */
export function loadFixtures(): Fixture[] {
  const dirs = ["", "integration-platform-example", "synthesized"];
  return dirs.flatMap((dir) =>
    readdirSync(path.join(fixturesDir, dir))
      .filter((f) => f.endsWith(".json") && !f.startsWith("signature") && f !== "MOCK_SETUP.json")
      .map((f) => {
        const body = sentrySerialize(readFileSync(path.join(fixturesDir, dir, f), "utf8"));
        const parsed = JSON.parse(body) as { action: string; installation: { uuid: string } };
        return {
          file: path.join(dir, f),
          resource: f.split(".")[0]!,
          action: parsed.action,
          installation: parsed.installation.uuid,
          body,
        };
      }),
  );
}

export function sentryRequest(
  body: string,
  options: {
    resource: string;
    secret?: string;
    signature?: string | null;
    timestamp?: number | null;
    contentType?: string;
    requestId?: string;
    url?: string;
  },
): Request {
  const headers: Record<string, string> = {
    "content-type": options.contentType ?? "application/json",
    "request-id": options.requestId ?? crypto.randomUUID().replaceAll("-", ""),
    "sentry-hook-resource": options.resource,
  };
  if (options.timestamp !== null) {
    headers["sentry-hook-timestamp"] = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  }
  const signature =
    options.signature === undefined
      ? hmacSha256Hex(options.secret ?? PUBLIC_SECRET, body)
      : options.signature;
  if (signature !== null) headers["sentry-hook-signature"] = signature;
  return new Request(options.url ?? "http://localhost/api/sentry/webhooks", {
    method: "POST",
    headers,
    body,
  });
}

/** The SourceEvent a fixture becomes, or undefined for a delivery that is not captured. */
export function sourceEventOf(
  fixture: Pick<Fixture, "resource" | "body">,
  receivedAt = new Date("2026-03-01T00:00:00Z"),
): SourceEvent | undefined {
  const result = webhookProvider("sentry").transform({
    resource: fixture.resource,
    payload: JSON.parse(fixture.body),
    receivedAt,
  });
  return result.kind === "event" ? result.event : undefined;
}
