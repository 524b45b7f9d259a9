import { findObservationsBySourceIds, observationIdFor, setPayloadStatuses } from "@db/console";
import {
  classifyObservation,
  extractEntities,
  SIGNIFICANCE_THRESHOLD,
  scoreSignificance,
  snippetOf,
} from "@repo/observations";
import {
  type ObservationCapturedData,
  observationCapturedEvent,
  observationCaptureEvent,
} from "@repo/schemas";
import { baseSignificance } from "@repo/webhooks";
import { defineEvent, defineWorkflow, PermanentWorkflowError } from "../types";
import { checkAllowed } from "./allowed";
import { type CaptureFacts, persistCaptures } from "./persist";
import { embedObservations, entityKey, threadKeysOf, VIEWS } from "./vectors";

/** A source type with no registry weight still gets scored, low enough that signals must carry it. */
const UNREGISTERED_WEIGHT = 30;

const trigger = defineEvent(observationCaptureEvent.name, observationCaptureEvent.schema);

type Outcome = ObservationCapturedData["outcome"];
interface Verdict {
  outcome: Outcome;
  clusterId: string | null;
  reason?: string;
}

/**
 * SourceEvents -> observations, a batch of one workspace's events per run (Inngest's `batchEvents`; the
 * in-process runner batches whatever is due). Each step has a stable id and works on the whole batch, so a
 * retry (Inngest's, or the runner's after a crash) resumes after the last finished one, and a batch costs
 * about as many database statements as a single event. Idempotent end to end: the observation id comes
 * from (workspace, sourceId), vector ids from the observation id, and the database write is one
 * transaction guarded by the UNIQUE (workspace_id, source_id) key.
 */
export const captureObservation = defineWorkflow({
  id: "apps-console/neural.observation.capture",
  trigger,
  retries: 3,
  // One capture run at a time per workspace: clusters and counts are read, then written.
  concurrencyKey: "event.data.workspaceId",
  concurrencyLimit: 1,
  batch: { maxSize: 64, timeout: "1s", key: "event.data.workspaceId" },
  async handler({ events, step, deps }) {
    const workspaceId = events[0]!.data.workspaceId;
    if (events.some((e) => e.data.workspaceId !== workspaceId)) {
      throw new PermanentWorkflowError("a capture batch must hold one workspace's events");
    }
    const runs = events.map(({ data }) => ({
      payloadId: data.payloadId,
      event: data.sourceEvent,
      observationId: observationIdFor({ workspaceId, sourceId: data.sourceEvent.sourceId }),
    }));
    const verdicts = new Map<string, Verdict>();

    const known = await step.run("check-duplicate", async () => {
      const stored = await findObservationsBySourceIds(deps.db, {
        workspaceId,
        sourceIds: runs.map((r) => r.event.sourceId),
      });
      const owner = new Map<string, string>();
      return runs.map((run): Verdict | null => {
        const existing = stored.get(run.event.sourceId);
        if (existing) {
          // Stored from this very payload by an earlier attempt whose later steps did not finish: resume.
          if (existing.payloadId !== run.payloadId)
            return { outcome: "duplicate", clusterId: null };
          return {
            outcome: existing.status === "captured" ? "captured" : "below_threshold",
            clusterId: existing.clusterId,
          };
        }
        // The same fact twice in one batch (a redelivery): the first payload owns it.
        const first = owner.get(run.event.sourceId);
        if (first && first !== run.payloadId) return { outcome: "duplicate", clusterId: null };
        owner.set(run.event.sourceId, run.payloadId);
        return null;
      });
    });
    for (const [i, v] of known.entries()) if (v) verdicts.set(runs[i]!.payloadId, v);

    const fresh = runs.filter((r) => !verdicts.has(r.payloadId));
    const allowed = fresh.length
      ? await step.run("check-allowed", () =>
          checkAllowed(deps.db, { workspaceId, events: fresh.map((r) => r.event) }),
        )
      : [];
    allowed.forEach((a, i) => {
      if (!a.allowed) {
        verdicts.set(fresh[i]!.payloadId, {
          outcome: "filtered",
          clusterId: null,
          reason: a.reason,
        });
      }
    });

    const kept = fresh.filter((r) => !verdicts.has(r.payloadId));
    const facts: CaptureFacts[] = [];
    if (kept.length > 0) {
      const significance = await step.run("score-significance", () =>
        kept.map(({ event }) =>
          scoreSignificance(
            event,
            baseSignificance(event.source, event.sourceType) ?? UNREGISTERED_WEIGHT,
          ),
        ),
      );
      const classified = await step.run("classify", () =>
        kept.map(({ event }) => classifyObservation(event)),
      );
      const entities = await step.run("extract-entities", () =>
        kept.map(({ event }) => extractEntities(event)),
      );
      kept.forEach((run, i) => {
        facts.push({
          workspaceId,
          observationId: run.observationId,
          payloadId: run.payloadId,
          event: run.event,
          status: significance[i]!.score >= SIGNIFICANCE_THRESHOLD ? "captured" : "below_threshold",
          significance: significance[i]!.score,
          signals: significance[i]!.signals,
          observationType: classified[i]!.observationType,
          topics: classified[i]!.topics,
          entities: entities[i]!,
          snippet: snippetOf(run.event),
          threadKeys: threadKeysOf(run.event),
        });
      });
    }

    const captured = facts.filter((f) => f.status === "captured");
    if (captured.length > 0) {
      await step.run("upsert-vectors", async () => {
        await embedObservations(deps, {
          workspaceId,
          items: captured.map((f) => ({
            observationId: f.observationId,
            event: f.event,
            observationType: f.observationType,
            snippet: f.snippet,
            entityKeys: f.entities.map(entityKey),
          })),
        });
        return { vectors: captured.length * VIEWS.length };
      });
    }

    if (facts.length > 0) {
      const persisted = await step.run("persist", () =>
        persistCaptures(deps, { workspaceId, facts }),
      );
      persisted.forEach((p, i) => {
        const f = facts[i]!;
        verdicts.set(
          f.payloadId,
          p.mine
            ? {
                outcome: f.status === "captured" ? "captured" : "below_threshold",
                clusterId: p.clusterId,
              }
            : { outcome: "duplicate", clusterId: null },
        );
      });
    }

    const results = runs.map((run): ObservationCapturedData => {
      const verdict = verdicts.get(run.payloadId)!;
      return {
        workspaceId,
        observationId: run.observationId,
        sourceId: run.event.sourceId,
        outcome: verdict.outcome,
        clusterId: verdict.clusterId,
      };
    });
    await step.run("record-outcome", () =>
      setPayloadStatuses(deps.db, {
        outcomes: runs.map((run) => {
          const verdict = verdicts.get(run.payloadId)!;
          return {
            payloadId: run.payloadId,
            status: verdict.outcome === "captured" ? "done" : verdict.outcome,
            error: verdict.reason ?? null,
          };
        }),
      }),
    );
    await step.sendEvent(
      "emit-captured",
      results.map((data, i) => ({
        id: `captured-${runs[i]!.payloadId}`,
        name: observationCapturedEvent.name,
        data,
      })),
    );
    return results;
  },
});
