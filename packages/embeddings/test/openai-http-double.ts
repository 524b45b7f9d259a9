/**
 * TEST DOUBLE of OpenAI's HTTP API: a tiny node:http server on 127.0.0.1 that answers
 * `POST /v1/embeddings` the way api.openai.com does (float or base64 encoding, `index` on every item,
 * error bodies and headers). The real SDK is pointed at it through `baseURL`, so tests exercise the
 * actual wire format rather than a mocked client. Not a general OpenAI emulator.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedEmbeddingsRequest {
  body: {
    model: string;
    input: string[];
    dimensions?: number;
    encoding_format?: "float" | "base64";
  };
  authorization: string | undefined;
}

/** A scripted answer for the next request: an HTTP error, or a dropped connection. */
export type ScriptedReply =
  | {
      status: number;
      headers?: Record<string, string>;
      error?: { message: string; type?: string; code?: string };
    }
  | { drop: true }
  | { wrongDimension: number }
  | { keepOrder: true };

/** The vector the double returns for a text: deterministic, text-dependent, not unit length. */
export function doubleVector(text: string, dimension: number): number[] {
  const out = new Array<number>(dimension);
  let seed = 2166136261;
  for (let i = 0; i < text.length; i++) seed = Math.imul(seed ^ text.charCodeAt(i), 16777619);
  for (let i = 0; i < dimension; i++) {
    seed = Math.imul(seed ^ (seed >>> 15), 2246822519) + i;
    out[i] = ((seed >>> 0) / 0xffffffff) * 4 - 2;
  }
  return out;
}

function encodeBase64(vector: number[]): string {
  const floats = new Float32Array(vector);
  return Buffer.from(floats.buffer).toString("base64");
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

export interface OpenAIHttpDouble {
  /** `http://127.0.0.1:<port>/v1`, ready for the SDK's `baseURL`. */
  baseURL: string;
  requests: RecordedEmbeddingsRequest[];
  /** Scripted replies are consumed one per request, before falling back to a normal answer. */
  script(...replies: ScriptedReply[]): void;
  /** The native size the double's "model" produces when no `dimensions` is sent. */
  nativeDimension: number;
  reset(): void;
  close(): Promise<void>;
}

export async function startOpenAIHttpDouble(): Promise<OpenAIHttpDouble> {
  const requests: RecordedEmbeddingsRequest[] = [];
  let scripted: ScriptedReply[] = [];

  const server: Server = createServer(async (req, res) => {
    if (req.method !== "POST" || req.url !== "/v1/embeddings") {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: { message: `No route ${req.method} ${req.url}`, type: "invalid_request_error" },
        }),
      );
      return;
    }
    const body = (await readJson(req)) as RecordedEmbeddingsRequest["body"];
    requests.push({ body, authorization: req.headers.authorization });
    const reply = scripted.shift();
    if (reply && "drop" in reply) {
      req.socket.destroy();
      return;
    }
    if (reply && "status" in reply) {
      res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      res.end(JSON.stringify({ error: { type: "server_error", ...reply.error } }));
      return;
    }
    const dimension =
      reply && "wrongDimension" in reply
        ? reply.wrongDimension
        : (body.dimensions ?? double.nativeDimension);
    const data = body.input.map((text, index) => {
      const vector = doubleVector(text, dimension);
      // The SDK asks for base64 unless told otherwise; OpenAI answers floats only when asked.
      const embedding = body.encoding_format === "float" ? vector : encodeBase64(vector);
      return { object: "embedding", index, embedding };
    });
    // Real responses are in order today, but only `index` is promised; reversing proves callers use it.
    if (!(reply && "keepOrder" in reply)) data.reverse();
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        object: "list",
        model: body.model,
        data,
        usage: { prompt_tokens: body.input.length, total_tokens: body.input.length },
      }),
    );
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const double: OpenAIHttpDouble = {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    nativeDimension: 1536,
    script(...replies) {
      scripted.push(...replies);
    },
    reset() {
      requests.length = 0;
      scripted = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return double;
}
