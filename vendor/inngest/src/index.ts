import { Inngest } from "inngest";
import { env, inngestConfigured } from "./env";

export { cron, eventType, Inngest, NonRetriableError, RetryAfterError } from "inngest";
export { inngestConfigured };

/**
 * The SDK reads its keys from options here instead of from the environment, so the one validated env
 * module stays the only reader. v4 defaults to cloud mode, which requires a signing key to serve.
 */
export function createInngestClient(id: string): Inngest {
  return new Inngest({
    id,
    isDev: env.INNGEST_DEV === "1",
    eventKey: env.INNGEST_EVENT_KEY,
    signingKey: env.INNGEST_SIGNING_KEY,
    baseUrl: env.INNGEST_BASE_URL,
  });
}
