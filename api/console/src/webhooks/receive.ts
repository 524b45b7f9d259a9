import {
  type Database,
  type InsertPayloadParams,
  newId,
  type StoredPayload,
  sha256Hex,
} from "@db/console";
import type { Keyring } from "@repo/secrets";
import {
  checkFreshness,
  type DeliveryDescription,
  type TransformResult,
  verifySignature,
  type WebhookSource,
  webhookProvider,
} from "@repo/webhooks";
import { providerIngest } from "../providers";
import type { SecretResolution } from "../providers/types";
import type { WorkflowEngine } from "../workflows/engine";
import { captureDecision } from "./emit";
import { errorResponse, readBody, requestIdOf } from "./http";
import { payloadWriter } from "./payload-writer";

export interface ReceiveDeps {
  db: Database;
  workflows: Pick<WorkflowEngine, "dispatch">;
  keyring: Keyring;
  maxBodyBytes: number;
  /**
   * How long a verified installation's secret and workspace are reused without asking the database (0 =
   * always ask). Only positive answers are kept, and a lifecycle event drops its installation at once, so
   * the cost is that an operator's relink from another process takes up to this long to apply.
   */
  resolutionCacheMs?: number;
  now?: () => Date;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/*
 * Status codes. Sentry retries timeouts, connection errors and 5xx (three times, five minutes apart) and
 * never retries a 4xx, so:
 * - 4xx for anything the sender got wrong, which a retry cannot fix: 400 malformed body or envelope, 401
 *   signature or timestamp, 404 unknown or uninstalled installation, 413 too large, 415 not JSON.
 *   Unknown installations get 404 rather than 5xx so a stranger's deliveries cannot start a retry storm.
 * - 5xx only for our own failures that a later retry may get past: 503 when this console lacks the
 *   secret to verify with, 500 when storing fails. Nothing verified is answered 2xx before it is stored.
 * - 2xx once the row is stored: 202 accepted (captured later, filtered, or ignored), 200 for a duplicate.
 */
export async function receiveWebhook(
  source: WebhookSource,
  request: Request,
  deps: ReceiveDeps,
): Promise<Response> {
  const requestId = requestIdOf(request);
  const log = deps.log ?? (() => {});
  const now = deps.now?.() ?? new Date();
  const provider = webhookProvider(source);
  const fail = (status: number, error: string, message: string) =>
    errorResponse(status, error, message, requestId);

  const body = await readBody(request, deps.maxBodyBytes);
  if (!body.ok) {
    return body.reason === "too-large"
      ? fail(413, "PAYLOAD_TOO_LARGE", `body exceeds ${deps.maxBodyBytes} bytes`)
      : fail(400, "INVALID_BODY", "body is not readable UTF-8");
  }
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    return fail(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
  }
  const fresh = checkFreshness(provider.signature, request.headers, now);
  if (!fresh.ok) return fail(401, "UNAUTHORIZED", `timestamp rejected: ${fresh.reason}`);

  // Parsed before verifying only to learn which installation, and so which secret, the body claims.
  let payload: unknown;
  try {
    payload = JSON.parse(body.text);
  } catch {
    payload = undefined;
  }
  const described = payload === undefined ? undefined : provider.describe(request.headers, payload);
  const delivery: DeliveryDescription | undefined =
    described && !("error" in described) ? described : undefined;

  const ctx = { db: deps.db, keyring: deps.keyring, log };
  const cache = resolutionCache(deps.db);
  const cacheKey =
    delivery?.installationId && delivery.resource !== "installation" && deps.resolutionCacheMs
      ? `${source}:${delivery.installationId}`
      : undefined;
  const cached = cacheKey ? cache.get(cacheKey) : undefined;
  let resolution: SecretResolution;
  if (cached && cached.expires > Date.now()) {
    resolution = cached.resolution;
  } else {
    resolution = await providerIngest[source].resolveSecret(
      ctx,
      delivery ?? {
        resource: request.headers.get("sentry-hook-resource") ?? "unknown",
        action: "unknown",
      },
    );
    if (cacheKey && resolution.kind === "verify") {
      cache.set(cacheKey, { resolution, expires: Date.now() + (deps.resolutionCacheMs ?? 0) });
    }
  }
  if (resolution.kind === "not-configured") {
    log("webhook secret not configured", { source, requestId, message: resolution.message });
    return fail(503, "NOT_CONFIGURED", resolution.message);
  }
  if (resolution.kind === "verify") {
    const signed = verifySignature(provider.signature, {
      secret: resolution.secret,
      body: body.bytes,
      headers: request.headers,
    });
    if (!signed.ok) return fail(401, "UNAUTHORIZED", `signature rejected: ${signed.reason}`);
  }
  if (payload === undefined) return fail(400, "INVALID_JSON", "body is not valid JSON");
  if (!delivery) {
    return fail(400, "INVALID_PAYLOAD", (described as { error: string }).error);
  }
  if (resolution.kind === "unknown-installation") {
    log("webhook for unknown installation", {
      source,
      requestId,
      installation: delivery.installationId,
    });
    return fail(404, "UNKNOWN_INSTALLATION", resolution.message);
  }
  if (resolution.kind === "revoked-installation") {
    // 404 like an unknown one: after an uninstall nothing should retry, and a stranger cannot tell an
    // installation that once existed from one that never did.
    return fail(404, "INSTALLATION_REVOKED", resolution.message);
  }

  const envelope = provider.envelope.safeParse(payload);
  const headers: Record<string, string> = {};
  for (const name of provider.storedHeaders) {
    const value = request.headers.get(name);
    if (value) headers[name] = value;
  }
  const base = {
    workspaceId: resolution.workspaceId,
    source,
    resource: delivery.resource,
    action: delivery.action,
    requestId: delivery.requestId ?? requestId,
    headers,
    body: body.text,
    bodySha256: sha256Hex(body.text),
    receivedAt: now,
    ingestionSource: "webhook" as const,
  };

  // A verified but malformed delivery is kept (status failed) so nothing authentic is lost, then refused.
  if (!envelope.success) {
    await store({ ...base, status: "failed", lastError: `envelope: ${envelope.error.message}` });
    return fail(400, "INVALID_PAYLOAD", `envelope does not match: ${envelope.error.message}`);
  }

  const lifecycle = await providerIngest[source].handleLifecycle(ctx, delivery, payload);
  if (lifecycle) {
    cache.delete(`${source}:${delivery.installationId}`);
    const stored = await store({ ...base, status: lifecycle.status < 300 ? "done" : "failed" });
    if (stored.duplicate) return Response.json({ duplicate: true, payloadId: stored.payload.id });
    return lifecycle.status < 300
      ? Response.json(
          { ...lifecycle.body, payloadId: stored.payload.id },
          { status: lifecycle.status },
        )
      : fail(lifecycle.status, String(lifecycle.body.error), String(lifecycle.body.message));
  }

  let transformed: TransformResult;
  try {
    transformed = provider.transform({ resource: delivery.resource, payload, receivedAt: now });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await store({ ...base, status: "failed", lastError: message });
    return fail(400, "INVALID_PAYLOAD", message);
  }

  const outcome = captureDecision(provider, transformed, {
    workspaceId: resolution.workspaceId,
    integration: resolution.integration,
    ingestionSource: "webhook",
  });
  if (outcome.status !== "pending") {
    const stored = await store({ ...base, status: outcome.status, lastError: outcome.reason });
    if (stored.duplicate) return Response.json({ duplicate: true, payloadId: stored.payload.id });
    return Response.json(
      {
        received: true,
        payloadId: stored.payload.id,
        status: outcome.status,
        reason: outcome.reason,
      },
      { status: 202 },
    );
  }

  const payloadId = newId("pl");
  const stored = await store({
    ...base,
    id: payloadId,
    status: "pending",
    event: outcome.event(payloadId, base.bodySha256),
  });
  if (stored.duplicate) return Response.json({ duplicate: true, payloadId: stored.payload.id });
  const event = stored.payload.event!;
  const dispatched = await deps.workflows.dispatch({ id: stored.payload.id, event });
  if (!dispatched.ok) {
    // The row is stored and pending: the runner or the sweeper delivers it later. Still a 202.
    log("capture dispatch failed; left pending", {
      payloadId: stored.payload.id,
      error: dispatched.error,
    });
  }
  return Response.json(
    { received: true, payloadId: stored.payload.id, status: "pending" },
    { status: 202 },
  );

  function store(
    values: InsertPayloadParams,
  ): Promise<{ payload: StoredPayload; duplicate: boolean }> {
    return payloadWriter(deps.db).write(values);
  }
}

const resolutionCaches = new WeakMap<
  Database,
  Map<string, { resolution: SecretResolution; expires: number }>
>();

function resolutionCache(db: Database) {
  let cache = resolutionCaches.get(db);
  if (!cache) {
    cache = new Map();
    resolutionCaches.set(db, cache);
  }
  return cache;
}
