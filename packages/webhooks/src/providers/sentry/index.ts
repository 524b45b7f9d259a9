import type { DeliveryDescription, WebhookProvider } from "../../types";
import { sentryEventAllowed } from "./filter";
import { type SentrySourceConfig, sentryEnvelopeSchema, sentrySourceConfigSchema } from "./schema";
import { sentrySignificance } from "./significance";
import { transformSentryWebhook } from "./transform";
import { sentrySignature, sentryStoredHeaders } from "./verify";

export * from "./events";
export * from "./filter";
export * from "./schema";
export * from "./significance";
export * from "./transform";
export * from "./verify";

/**
 * The event name is `Sentry-Hook-Resource` + "." + `body.action`: the body itself has no type field.
 * The installation uuid is read before verification only to find which secret to verify with.
 */
function describe(headers: Headers, payload: unknown): DeliveryDescription | { error: string } {
  const resource = headers.get("sentry-hook-resource");
  if (!resource) return { error: "missing Sentry-Hook-Resource header" };
  const body = (payload ?? {}) as { action?: unknown; installation?: { uuid?: unknown } };
  if (typeof body.action !== "string" || body.action === "") {
    return { error: "body has no action" };
  }
  const uuid = body.installation?.uuid;
  return {
    resource,
    action: body.action,
    installationId: typeof uuid === "string" ? uuid : undefined,
    requestId: headers.get("request-id") ?? undefined,
  };
}

export const sentryProvider = {
  source: "sentry",
  signature: sentrySignature,
  storedHeaders: sentryStoredHeaders,
  describe,
  envelope: sentryEnvelopeSchema,
  transform: transformSentryWebhook,
  configSchema: sentrySourceConfigSchema,
  allowed: sentryEventAllowed,
  significance: sentrySignificance,
} satisfies WebhookProvider<SentrySourceConfig>;
