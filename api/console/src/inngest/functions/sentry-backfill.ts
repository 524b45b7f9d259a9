import { type Database, setBackfillStatus } from "@db/console";
import { eventType, type Inngest, NonRetriableError } from "@vendor/inngest";
import { z } from "zod";
import { type BackfillDeps, backfillPage } from "../../providers/sentry/backfill";
import { sentryAppConfig } from "../../providers/sentry/config";
import type { SentryTokenService } from "../../providers/sentry/tokens";
import { inngestEngine, type WorkflowEngine } from "../../workflows/engine";

/**
 * `apps-console/sentry/backfill.requested`: run the backfill `backfillId`. The installation travels with
 * it only because Inngest's concurrency key can read the event and nothing else.
 */
export const sentryBackfillRequested = {
  name: "apps-console/sentry/backfill.requested",
  schema: z.object({ backfillId: z.string().min(1), installationId: z.string().min(1) }),
} as const;
export type SentryBackfillRequestedData = z.infer<typeof sentryBackfillRequested.schema>;

/**
 * The event that starts a backfill run, for `inngest.send`. Its id is the backfill's, so asking twice
 * (a double click on Connect) starts one run; a run's hand-over to the next carries no id.
 */
export function sentryBackfillEvent(
  backfill: { id: string; installationId: string },
  options: { continuation?: boolean } = {},
) {
  return {
    ...(options.continuation ? {} : { id: `sentry-backfill-${backfill.id}` }),
    name: sentryBackfillRequested.name,
    data: { backfillId: backfill.id, installationId: backfill.installationId },
  };
}

/*
 * Inngest caps a run at 1,000 steps and each page may take two (read, then a pause), so a run reads at
 * most this many pages and hands the rest to a fresh run of the same backfill, which resumes at its saved
 * cursor; the concurrency key keeps the two from overlapping.
 */
export const PAGES_PER_RUN = 400;

export interface SentryBackfillFunctionOptions {
  /** Sentry's base URL; by default SENTRY_URL from the validated environment. */
  baseUrl?: () => string | undefined;
  /** Where captured payloads' events go; by default this Inngest client. */
  workflows?: Pick<WorkflowEngine, "dispatch">;
  log?: BackfillDeps["log"];
}

/**
 * Pages through a connected Sentry organization's issues, one step per page so a retried step repeats
 * only its own page, sleeping where Sentry's rate limit says. A page that still throws once Inngest's
 * retries are spent fails the backfill with the reason, so the Sources page does not show it running.
 */
export function sentryBackfillFunction(
  client: Inngest,
  getDeps: () => Promise<{ db: Database; sentryTokens?: SentryTokenService }>,
  options: SentryBackfillFunctionOptions = {},
) {
  const baseUrl = options.baseUrl ?? (() => sentryAppConfig()?.baseUrl);
  const workflows = options.workflows ?? inngestEngine(client);

  async function backfillDeps(): Promise<BackfillDeps> {
    const { db, sentryTokens } = await getDeps();
    const url = baseUrl();
    if (!sentryTokens || !url) {
      throw new NonRetriableError(
        "Sentry is not configured here (SENTRY_CLIENT_ID and SENTRY_CLIENT_SECRET)",
      );
    }
    return { db, tokens: sentryTokens, baseUrl: url, workflows, log: options.log };
  }

  return client.createFunction(
    {
      id: "sentry-backfill",
      retries: 3,
      triggers: [eventType(sentryBackfillRequested.name)],
      concurrency: [{ key: "event.data.installationId", limit: 1 }],
    },
    async ({ event, step }) => {
      const parsed = sentryBackfillRequested.schema.safeParse(event.data);
      if (!parsed.success) {
        throw new NonRetriableError(`event does not match its schema: ${parsed.error.message}`);
      }
      const { backfillId } = parsed.data;
      let pages = 0;
      let items = 0;
      try {
        for (let n = 1; ; n++) {
          const page = await step.run(`page-${n}`, async () =>
            backfillPage(await backfillDeps(), { backfillId }),
          );
          items += page.items;
          if (!page.rateLimited) pages++;
          if (page.done) return { backfillId, pages, items, done: true };
          if (pages >= PAGES_PER_RUN) {
            await step.sendEvent(
              "continue",
              sentryBackfillEvent(
                { id: backfillId, installationId: parsed.data.installationId },
                { continuation: true },
              ),
            );
            return { backfillId, pages, items, done: false };
          }
          if (page.waitMs) await step.sleep(`wait-${n}`, page.waitMs);
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await step.run("mark-failed", async () => {
          const { db } = await getDeps();
          await setBackfillStatus(db, { id: backfillId, status: "failed", error: message });
        });
        throw new NonRetriableError(`sentry backfill ${backfillId} failed: ${message}`, {
          cause: error,
        });
      }
    },
  );
}
