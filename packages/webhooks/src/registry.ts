import { sentryProvider } from "./providers/sentry";
import type { WebhookProvider, WebhookSource } from "./types";

/** One line per provider; the mapped type makes a source without its provider a compile error. */
export const webhookProviders = {
  sentry: sentryProvider,
} satisfies { [S in WebhookSource]: WebhookProvider<unknown> & { source: S } };

export function webhookProvider<S extends WebhookSource>(source: S): (typeof webhookProviders)[S] {
  return webhookProviders[source];
}
