import { cron, type Inngest } from "@vendor/inngest";
import type { SentryTokenService } from "../../providers/sentry/tokens";

/**
 * Sentry's tokens live 8 hours: every 30 minutes, those lapsing within the next hour are renewed, so API
 * calls rarely wait on a refresh. Single-flight lives in the token service, not here.
 */
export function sentryTokenRefreshCron(
  client: Inngest,
  getTokens: () => Promise<SentryTokenService | undefined>,
) {
  return client.createFunction(
    { id: "sentry-token-refresh", retries: 1, triggers: [cron("*/30 * * * *")] },
    async ({ step }) =>
      step.run("refresh-expiring-tokens", async () => {
        const tokens = await getTokens();
        return tokens ? tokens.refreshExpiring() : { refreshed: 0, failed: 0, configured: false };
      }),
  );
}
