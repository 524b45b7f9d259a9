import { inngest, type Runtime, sentryBackfillEvent, startSentryBackfill } from "@api/console";
import { env } from "@api/console/env";
import { selectedEngine } from "@api/console/runtime";

/**
 * Starts (or finds the running) backfill of a connection's history. On Inngest it is a durable function;
 * on the embedded default it runs in the background on the workflow thread, and the runtime resumes
 * unfinished ones at start.
 */
export async function queueSentryBackfill(
  rt: Runtime,
  params: { workspaceId: string; installationId: string },
): Promise<{ backfillId: string } | undefined> {
  if (!rt.sentryTokens) return undefined;
  const deps = {
    db: rt.db,
    workflows: rt.workflows,
    tokens: rt.sentryTokens,
    baseUrl: env.SENTRY_URL,
  };
  const backfill = await startSentryBackfill(deps, params);
  if (selectedEngine() === "inngest") {
    await inngest.send(sentryBackfillEvent(backfill));
  } else if (!rt.runBackfill(backfill.id)) {
    // Stored and pending: the next start resumes it where the runner lives.
    console.warn("[sentry] backfill queued until the workflow engine runs", {
      backfill: backfill.id,
    });
  }
  return { backfillId: backfill.id };
}
