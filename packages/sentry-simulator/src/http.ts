import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";

const REPLY: unique symbol = Symbol("sentry-simulator.reply");

/**
 * What a route answers: a JSON reply, or `destroy` to cut the connection without any answer. Branded,
 * so a domain object that happens to have a `status` field is never mistaken for one.
 */
export type Reply =
  | { [REPLY]: true; status: number; body?: unknown; headers?: Record<string, string> }
  | { [REPLY]: true; destroy: true };

export interface SimRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const MAX_BODY_BYTES = 1024 * 1024;

export const reply = (status: number, body?: unknown, headers?: Record<string, string>): Reply => ({
  [REPLY]: true,
  status,
  body,
  headers,
});

/** Apply the request, then cut the socket: the client never learns what happened. */
export const LOST_ANSWER: Reply = { [REPLY]: true, destroy: true };

export const detail = (status: number, text: string, headers?: Record<string, string>): Reply =>
  reply(status, { detail: text }, headers);

export const NOT_FOUND = detail(404, "Not found");

export function isReply(value: unknown): value is Reply {
  return typeof value === "object" && value !== null && REPLY in value;
}

/**
 * Constant-time string equality: both sides are hashed to 32 bytes first, so `timingSafeEqual` always
 * gets equal-length buffers and the time taken says nothing about where the strings differ.
 */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash("sha256").update(a, "utf8").digest();
  const right = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(left, right);
}

export const randomHex = (bytes: number): string => randomBytes(bytes).toString("hex");

/** Sentry's datetimes in REST answers: ISO 8601 with milliseconds and `Z`. */
export const iso = (ms: number): string => new Date(ms).toISOString();

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * The JSON object body of a request. Sentry's token endpoint only reads JSON: a form-encoded body (or
 * anything that is not a JSON object) is answered 400 here, before any credential is looked at.
 */
export function jsonObject(req: SimRequest): Record<string, unknown> | Reply {
  const type = String(req.headers["content-type"] ?? "")
    .split(";")[0]!
    .trim()
    .toLowerCase();
  if (type !== "application/json" && !type.endsWith("+json")) {
    return detail(400, "Invalid request: the body must be JSON (Content-Type: application/json)");
  }
  try {
    const parsed: unknown = JSON.parse(req.body.toString("utf8"));
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  return detail(400, "Invalid request: the body must be a JSON object");
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), if any. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "");
  return match?.[1];
}

export function send(res: ServerResponse, answer: Reply): void {
  if ("destroy" in answer) {
    // The "lost answer" case: whatever the handler did is applied, the client sees a dead socket.
    res.socket?.destroy();
    return;
  }
  const headers: Record<string, string> = { ...answer.headers };
  let payload: string | undefined;
  if (answer.body !== undefined) {
    payload = JSON.stringify(answer.body);
    headers["Content-Type"] = "application/json";
  }
  res.writeHead(answer.status, headers);
  res.end(payload);
}
