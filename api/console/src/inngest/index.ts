import type { SentryTokenService } from "../providers/sentry/tokens";
import { workflows } from "../workflows/registry";
import type { WorkflowDeps } from "../workflows/types";
import { toInngestFunction } from "./adapt";
import { inngest } from "./client";
import { outboxSweep } from "./functions/outbox-sweep";
import { reconcileVectorsCron } from "./functions/reconcile-vectors";
import { sentryBackfillFunction } from "./functions/sentry-backfill";
import { sentryTokenRefreshCron } from "./functions/sentry-token-refresh";

export { inngest };

/** Every Inngest function of the console, for the `/api/inngest` serve route. */
export function createInngestFunctions(
  getDeps: () => Promise<WorkflowDeps & { sentryTokens?: SentryTokenService }>,
) {
  return [
    ...workflows.map((workflow) => toInngestFunction(inngest, workflow, getDeps)),
    outboxSweep(inngest, getDeps),
    reconcileVectorsCron(inngest, getDeps),
    sentryTokenRefreshCron(inngest, async () => (await getDeps()).sentryTokens),
    sentryBackfillFunction(inngest, getDeps),
  ];
}
