import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { hmacSha256Hex } from "@repo/webhooks";

/**
 * A development and test stand-in for Sentry's delivery side: it serializes and signs bodies the way
 * Sentry does and POSTs them with Sentry's five headers.
 */
export interface SentryDelivery {
  resource: string;
  body: string;
  /** Where it came from, for reports. */
  label: string;
}

/**
 * Sentry serializes compactly with non-ASCII escaped as \uXXXX and number literals as Python wrote them
 * (`1566248777.0` stays `1566248777.0`). Re-serializing with JSON.stringify would lose both, so this
 * rewrites the fixture's own text: whitespace outside strings goes, non-ASCII inside strings is escaped.
 */
export function sentrySerialize(jsonText: string): string {
  JSON.parse(jsonText);
  let out = "";
  let inString = false;
  for (let i = 0; i < jsonText.length; i++) {
    const ch = jsonText[i]!;
    if (inString) {
      if (ch === "\\") {
        out += ch + jsonText[++i];
        continue;
      }
      if (ch === '"') inString = false;
      const code = ch.charCodeAt(0);
      out += code > 0x7e ? `\\u${code.toString(16).padStart(4, "0")}` : ch;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (!/\s/.test(ch)) {
      out += ch;
    }
  }
  return out;
}

/** `<resource>.<action>[.variant].json` names the resource; a dataset directory carries it per line. */
export function loadDeliveries(target: string, resource?: string): SentryDelivery[] {
  const stat = statSync(target);
  if (stat.isDirectory()) {
    const jsonl = path.join(target, "webhooks.jsonl");
    try {
      return readFileSync(jsonl, "utf8")
        .split("\n")
        .filter((line) => line.trim())
        .map((line, i) => {
          const row = JSON.parse(line) as { resource: string; body: string };
          // Dataset bodies are already the exact bytes Sentry sent: send them untouched.
          return {
            resource: row.resource,
            body: row.body,
            label: `${path.basename(target)}#${i + 1}`,
          };
        });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    return readdirSync(target)
      .filter((f) => f.endsWith(".json") && !f.startsWith("signature") && f !== "MOCK_SETUP.json")
      .sort()
      .flatMap((f) => loadDeliveries(path.join(target, f), resource));
  }
  const name = path.basename(target);
  const inferred = resource ?? name.split(".")[0];
  if (!inferred) throw new Error(`cannot tell the resource of ${name}: pass --resource`);
  return [{ resource: inferred, body: sentrySerialize(readFileSync(target, "utf8")), label: name }];
}

export function signedHeaders(
  delivery: SentryDelivery,
  secret: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return {
    "content-type": "application/json",
    "request-id": randomBytes(16).toString("hex"),
    "sentry-hook-resource": delivery.resource,
    "sentry-hook-timestamp": String(timestamp),
    "sentry-hook-signature": hmacSha256Hex(secret, delivery.body),
  };
}

export interface SendResult {
  label: string;
  status: number;
  body: unknown;
  ms: number;
}

export async function sendDelivery(
  url: string,
  delivery: SentryDelivery,
  secret: string,
): Promise<SendResult> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: signedHeaders(delivery, secret),
      body: delivery.body,
      redirect: "manual",
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text
    }
    return { label: delivery.label, status: res.status, body, ms: performance.now() - started };
  } catch (error) {
    return {
      label: delivery.label,
      status: 0,
      body: error instanceof Error ? error.message : String(error),
      ms: performance.now() - started,
    };
  }
}
