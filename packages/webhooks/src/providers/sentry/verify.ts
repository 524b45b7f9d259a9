import type { SignatureScheme } from "../../signature";

/**
 * Sentry signs the exact body bytes with the integration's client secret (HMAC-SHA256, lowercase hex, no
 * prefix). UI-component requests use the older `Sentry-App-Signature` header. The timestamp is not signed.
 */
export const sentrySignature = {
  signatureHeaders: ["sentry-hook-signature", "sentry-app-signature"],
  timestampHeader: "sentry-hook-timestamp",
  maxAgeSeconds: 5 * 60,
  maxFutureSeconds: 60,
} as const satisfies SignatureScheme;

export const sentryStoredHeaders = [
  "content-type",
  "request-id",
  "sentry-hook-resource",
  "sentry-hook-timestamp",
  "user-agent",
] as const;
