import { listStalePendingPayloads } from "@db/console";
import { cron, type Inngest } from "@vendor/inngest";
import type { WorkflowDeps } from "../../workflows/types";

export const SWEEP_STALE_AFTER_MS = 2 * 60_000;

/**
 * With Inngest as the engine nothing polls the outbox, so a payload whose event never reached Inngest (the
 * send failed, or the process died between storing and sending) would wait forever. This re-sends those
 * events with their original ids: one Inngest already accepted is deduplicated, a lost one runs now.
 */
export function outboxSweep(client: Inngest, getDeps: () => Promise<WorkflowDeps>) {
  return client.createFunction(
    { id: "outbox-sweep", retries: 2, triggers: [cron("*/5 * * * *")] },
    async ({ step }) => {
      const stale = await step.run("find-stale-payloads", async () => {
        const { db } = await getDeps();
        const rows = await listStalePendingPayloads(db, {
          olderThanMs: SWEEP_STALE_AFTER_MS,
          limit: 500,
        });
        return rows.flatMap((row) => (row.event ? [row.event] : []));
      });
      if (stale.length > 0) {
        await step.sendEvent(
          "redrive-stale-payloads",
          stale.map((event) => ({ id: event.id, name: event.name, data: event.data })),
        );
      }
      return { redriven: stale.length };
    },
  );
}
