import { env } from "../../env";
import type { SentryAppConfig } from "./oauth-client";

export type SentryConnectConfig = SentryAppConfig & { appSlug: string };

/**
 * The public integration's settings, when complete. Webhooks need only the client secret; the OAuth
 * connect flow and every API call need the client id too, and connecting also needs the app's slug.
 */
export function sentryAppConfig(): SentryAppConfig | undefined {
  if (!env.SENTRY_CLIENT_ID || !env.SENTRY_CLIENT_SECRET) return undefined;
  return {
    baseUrl: env.SENTRY_URL,
    clientId: env.SENTRY_CLIENT_ID,
    clientSecret: env.SENTRY_CLIENT_SECRET,
    appSlug: env.SENTRY_APP_SLUG,
  };
}

/** The variables a connect button still lacks, named so the page can say exactly what to set. */
export function missingConnectSettings(): string[] {
  return [
    ["SENTRY_CLIENT_ID", env.SENTRY_CLIENT_ID],
    ["SENTRY_CLIENT_SECRET", env.SENTRY_CLIENT_SECRET],
    ["SENTRY_APP_SLUG", env.SENTRY_APP_SLUG],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => name as string);
}

export function sentryConnectConfig(): SentryConnectConfig | undefined {
  const config = sentryAppConfig();
  return config?.appSlug ? { ...config, appSlug: config.appSlug } : undefined;
}
