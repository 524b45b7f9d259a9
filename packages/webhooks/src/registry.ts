import { sentryProvider } from "./providers/sentry";
import type { WebhookProvider, WebhookSource } from "./types";

/** One line per provider; the mapped type makes a source without its provider a compile error. */
export const webhookProviders = {
  sentry: sentryProvider,
} satisfies { [S in WebhookSource]: WebhookProvider<unknown> & { source: S } };

export function webhookProvider<S extends WebhookSource>(source: S): (typeof webhookProviders)[S] {
  return webhookProviders[source];
}

/**
 * The provider's base weight for one `(source, sourceType)` pair, or undefined when either is unknown, so
 * the caller decides the fallback. Own-property lookups only: the inputs come from stored events, and
 * `constructor` or `__proto__` must not resolve to something on the prototype.
 */
export function baseSignificance(source: string, sourceType: string): number | undefined {
  if (!Object.hasOwn(webhookProviders, source)) return undefined;
  const table: Record<string, number> = webhookProviders[source as WebhookSource].significance;
  return Object.hasOwn(table, sourceType) ? table[sourceType] : undefined;
}
