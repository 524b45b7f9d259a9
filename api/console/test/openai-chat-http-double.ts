/**
 * TEST DOUBLE of OpenAI's chat completions HTTP API: a node:http server on 127.0.0.1 answering
 * `POST /v1/chat/completions` in OpenAI's wire format, so the real SDK runs against it through `baseURL`.
 * It plays a relevance judge: `rate(query, line)` decides each listed result's score. Not a model.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ChatDouble {
  baseURL: string;
  requests: { authorization: string | undefined; body: string }[];
  /** The next replies fail with these HTTP statuses, one per request. */
  failNext(...statuses: number[]): void;
  close(): Promise<void>;
}

export async function startChatDouble(
  rate: (query: string, result: string) => number,
): Promise<ChatDouble> {
  const requests: ChatDouble["requests"] = [];
  const failures: number[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    requests.push({ authorization: req.headers.authorization, body });
    const failure = failures.shift();
    if (failure) {
      res.writeHead(failure, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "scripted failure", type: "server_error" } }));
      return;
    }
    const parsed = JSON.parse(body) as { messages: { role: string; content: string }[] };
    const user = parsed.messages.find((m) => m.role === "user")?.content ?? "";
    const query = /^Query: (.*)$/m.exec(user)?.[1] ?? "";
    const scores = [...user.matchAll(/^(r\d+): (.*)$/gm)].map((m) => ({
      id: m[1]!,
      score: rate(query, m[2]!),
    }));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: "chatcmpl-double",
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: "judge-double",
        choices: [
          {
            index: 0,
            finish_reason: "stop",
            message: { role: "assistant", content: JSON.stringify({ scores }) },
          },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext: (...statuses) => failures.push(...statuses),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
