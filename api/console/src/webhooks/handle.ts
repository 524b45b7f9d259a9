import type { WebhookSource } from "@repo/webhooks";
import { env } from "../env";
import { getRuntime } from "../runtime";
import { errorResponse, requestIdOf } from "./http";
import { receiveWebhook } from "./receive";

/** The whole of a webhook route handler: the console's runtime, the configured limits, the pipeline. */
export async function handleWebhook(source: WebhookSource, request: Request): Promise<Response> {
  try {
    const runtime = await getRuntime();
    return await receiveWebhook(source, request, {
      db: runtime.db,
      workflows: runtime.workflows,
      keyring: runtime.keyring,
      maxBodyBytes: env.WEBHOOK_MAX_BODY_BYTES,
      resolutionCacheMs: 2_000,
      log: (message, fields) => console.warn(`[webhooks:${source}] ${message}`, fields ?? {}),
    });
  } catch (error) {
    // Our failure, not the sender's: a 5xx so Sentry retries the delivery later.
    // Drizzle's "Failed query" names the statement; the database's reason is in its cause. Only the first
    // line of each is logged: the statement's parameters carry the delivery's body.
    const reason = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0];
    console.error(
      `[webhooks:${source}] unexpected error: ${reason(error)}`,
      error instanceof Error && error.cause ? `cause: ${reason(error.cause)}` : "",
    );
    return errorResponse(
      500,
      "INTERNAL_ERROR",
      "the delivery could not be stored; retry later",
      requestIdOf(request),
    );
  }
}

/** 405 for every route that only takes POST (the webhook routes, `/v1/search`), naming what it takes. */
export function methodNotAllowed(request: Request): Response {
  const response = errorResponse(405, "METHOD_NOT_ALLOWED", "use POST", requestIdOf(request));
  response.headers.set("allow", "POST");
  return response;
}
