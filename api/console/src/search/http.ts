import { randomUUID } from "node:crypto";
import { type SearchRequest, type SearchResponse, searchRequestSchema } from "@repo/schemas";
import { env } from "../env";
import type { Runtime } from "../runtime";
import { getRuntime } from "../runtime";
import { errorResponse, readBody, requestIdOf } from "../webhooks/http";
import { authenticate, RateLimiter } from "./auth";
import { Corpora } from "./corpora";
import { createOpenAIJudge, type Judge } from "./judge";
import { runSearch } from "./service";
import { VectorMemory } from "./vector-memory";

/** A query is at most 1,000 characters; a body far beyond that is not a search request. */
const MAX_BODY_BYTES = 64 * 1024;

interface SearchState {
  corpora: Corpora;
  memory: VectorMemory | undefined;
  judge: Judge | undefined;
  limiter: RateLimiter;
  touched: Map<string, number>;
}

/** What a search needs of the console's runtime. */
export type SearchRuntime = Pick<Runtime, "db" | "vectors" | "embeddings">;

const states = new WeakMap<SearchRuntime, SearchState>();

function stateOf(runtime: SearchRuntime, options: SearchOptions): SearchState {
  let state = states.get(runtime);
  if (!state) {
    state = {
      corpora: new Corpora(runtime.db),
      memory: VectorMemory.for(runtime.vectors),
      judge:
        options.judge ??
        (env.OPENAI_API_KEY
          ? createOpenAIJudge({
              apiKey: env.OPENAI_API_KEY,
              baseURL: env.OPENAI_BASE_URL,
              model: env.SEARCH_JUDGE_MODEL,
            })
          : undefined),
      limiter: new RateLimiter(options.rateLimitPerMinute ?? env.SEARCH_RATE_LIMIT_PER_MINUTE),
      touched: new Map(),
    };
    states.set(runtime, state);
  }
  return state;
}

/**
 * `POST /v1/search`. Answers, in order: 401 UNAUTHORIZED for a missing, unknown, revoked or expired key
 * (nothing about the request is looked at before the key is); 429 RATE_LIMITED with Retry-After; 413 for a
 * body over 64 KiB; 400 INVALID_JSON; 400 VALIDATION_ERROR with zod's issues; 500 INTERNAL_ERROR only for
 * our own failures. The Authorization header is never logged.
 */
export interface SearchOptions {
  /** Overrides SEARCH_RATE_LIMIT_PER_MINUTE for this runtime (read when its state is first made). */
  rateLimitPerMinute?: number;
  /** The thorough mode's judge; by default OpenAI when OPENAI_API_KEY is set. */
  judge?: Judge;
}

/**
 * A search for a workspace the caller has already been authorised for by other means (the console's
 * session and membership check): the same paths, ranking and per-workspace corpus as `POST /v1/search`.
 */
export async function searchWorkspace(
  params: { workspaceId: string; request: SearchRequest },
  runtime?: SearchRuntime,
): Promise<SearchResponse> {
  const rt = runtime ?? (await getRuntime());
  const state = stateOf(rt, {});
  return runSearch(
    {
      db: rt.db,
      vectors: rt.vectors,
      embeddings: rt.embeddings,
      corpora: state.corpora,
      memory: state.memory,
      judge: state.judge,
    },
    {
      workspaceId: params.workspaceId,
      request: params.request,
      requestId: randomUUID().replaceAll("-", ""),
      authMs: 0,
    },
  );
}

export async function handleSearch(
  request: Request,
  runtime?: SearchRuntime,
  options: SearchOptions = {},
): Promise<Response> {
  const requestId = requestIdOf(request);
  const started = performance.now();
  try {
    const rt = runtime ?? (await getRuntime());
    const state = stateOf(rt, options);
    const key = await authenticate(rt.db, request.headers.get("authorization"), state.touched);
    if (!key) {
      return errorResponse(
        401,
        "UNAUTHORIZED",
        "send a valid API key as Authorization: Bearer <key>",
        requestId,
      );
    }
    const authMs = performance.now() - started;
    const allowed = state.limiter.take(key.id);
    if (!allowed.ok) {
      const response = errorResponse(
        429,
        "RATE_LIMITED",
        `too many requests for this API key; retry in ${allowed.retryAfterSeconds} s`,
        requestId,
      );
      response.headers.set("retry-after", String(allowed.retryAfterSeconds));
      return response;
    }
    const body = await readBody(request, MAX_BODY_BYTES);
    if (!body.ok) {
      return body.reason === "too-large"
        ? errorResponse(413, "PAYLOAD_TOO_LARGE", "a search request is at most 64 KiB", requestId)
        : errorResponse(400, "INVALID_JSON", "the body must be UTF-8 JSON", requestId);
    }
    let json: unknown;
    try {
      json = JSON.parse(body.text);
    } catch {
      return errorResponse(400, "INVALID_JSON", "the body is not valid JSON", requestId);
    }
    const parsed = searchRequestSchema.safeParse(json);
    if (!parsed.success) {
      return Response.json(
        {
          error: "VALIDATION_ERROR",
          message: "the request does not match the search schema; see issues",
          requestId,
          issues: parsed.error.issues,
        },
        { status: 400 },
      );
    }
    const response = await runSearch(
      {
        db: rt.db,
        vectors: rt.vectors,
        embeddings: rt.embeddings,
        corpora: state.corpora,
        memory: state.memory,
        judge: state.judge,
      },
      { workspaceId: key.workspaceId, request: parsed.data, requestId, authMs },
    );
    return Response.json(response, { headers: { "request-id": requestId } });
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    console.error(`[search] unexpected error (request ${requestId}): ${reason}`);
    return errorResponse(500, "INTERNAL_ERROR", "the search failed; retry later", requestId);
  }
}
