import type { SourceEvent } from "@repo/schemas";
import type { z } from "zod";
import type { SignatureScheme } from "./signature";

/** Sources that arrive by webhook. Adding one here without a registry entry is a compile error. */
export const webhookSources = ["sentry"] as const;
export type WebhookSource = (typeof webhookSources)[number];

export interface DeliveryDescription {
  resource: string;
  action: string;
  /** The upstream installation or account the delivery claims to be for (unverified until signed). */
  installationId?: string;
  requestId?: string;
}

export type TransformResult =
  | { kind: "event"; event: SourceEvent }
  | { kind: "unsupported"; reason: string };

export type FilterResult = { allowed: true } | { allowed: false; reason: string };

/**
 * Everything the generic ingest pipeline needs to know about one provider; pure, no I/O. A provider is a
 * folder (verify, schema, transform, events) plus one line in the registry.
 */
export interface WebhookProvider<TConfig = unknown> {
  source: WebhookSource;
  signature: SignatureScheme;
  /** Headers worth keeping with the stored payload; never the signature. */
  storedHeaders: readonly string[];
  /** Reads what the delivery says it is from headers and, before verification, the parsed body. */
  describe(headers: Headers, payload: unknown): DeliveryDescription | { error: string };
  /** The provider's envelope, checked after the signature. */
  envelope: z.ZodType;
  transform(input: { resource: string; payload: unknown; receivedAt: Date }): TransformResult;
  /** The per-integration configuration stored in `workspace_integrations.source_config`. */
  configSchema: z.ZodType<TConfig>;
  allowed(event: SourceEvent, config: TConfig): FilterResult;
  /**
   * Base significance (0-100) per `sourceType` this provider emits: how much an event of that type
   * matters before its own content is read. Keys must be the exact sourceTypes the transform produces;
   * a type missing here is scored with the caller's default, so each provider should type its table over
   * its own sourceType union to make a gap a compile error.
   */
  significance: Record<string, number>;
}
