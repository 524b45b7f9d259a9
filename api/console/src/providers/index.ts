import type { WebhookSource } from "@repo/webhooks";
import { sentryIngest } from "./sentry/ingest";
import type { ProviderIngest } from "./types";

/** Server-side provider hooks, one line per provider; a webhook source without one does not compile. */
export const providerIngest = {
  sentry: sentryIngest,
} satisfies { [S in WebhookSource]: ProviderIngest };
