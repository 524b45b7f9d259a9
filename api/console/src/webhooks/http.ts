import { randomUUID } from "node:crypto";

/** Every non-2xx answer has this body, so a sender's logs say what was wrong with its delivery. */
export function errorResponse(
  status: number,
  error: string,
  message: string,
  requestId: string,
): Response {
  return Response.json({ error, message, requestId }, { status });
}

export function requestIdOf(request: Request): string {
  const given = request.headers.get("request-id");
  return given && /^[A-Za-z0-9-]{1,64}$/.test(given) ? given : randomUUID().replaceAll("-", "");
}

export type BodyResult =
  | { ok: true; bytes: Buffer; text: string }
  | { ok: false; reason: "too-large" | "not-utf8" | "unreadable" };

/**
 * Reads the raw body once, refusing more than `maxBytes` as soon as the declared length or the bytes read
 * so far exceed it, so an oversized or endless body costs no more than the limit.
 */
export async function readBody(request: Request, maxBytes: number): Promise<BodyResult> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, reason: "too-large" };
  if (!request.body) return { ok: true, bytes: Buffer.alloc(0), text: "" };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        return { ok: false, reason: "too-large" };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  const bytes = Buffer.concat(chunks);
  try {
    return { ok: true, bytes, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, reason: "not-utf8" };
  }
}
