import { findObservationBySourceId, observationIdFor, setPayloadStatus } from "@db/console";
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
import { defineEvent, defineWorkflow } from "../types";
import { checkAllowed } from "./allowed";
import { persistCapture } from "./persist";
import { embedObservation, entityKey, threadKeysOf, VIEWS } from "./vectors";

/** A source type with no registry weight still gets scored, low enough that signals must carry it. */
const UNREGISTERED_WEIGHT = 30;

const trigger = defineEvent(observationCaptureEvent.name, observationCaptureEvent.schema);

/**
 * SourceEvent -> observation. Each step has a stable id, so a retry (Inngest's, or the in-process runner's
 * after a crash) resumes after the last finished one. Idempotent end to end: the observation id comes from
 * (workspace, sourceId), vector ids from the observation id, and the database write is one transaction
 * guarded by the UNIQUE (workspace_id, source_id) key.
 */
export const captureObservation = defineWorkflow({
  id: "apps-console/neural.observation.capture",
  trigger,
  retries: 3,
  // One capture at a time per workspace: clusters and counts are read, then written.
  concurrencyKey: "event.data.workspaceId",
  concurrencyLimit: 1,
  async handler({ event, step, deps }) {
    const { workspaceId, payloadId, sourceEvent } = event.data;
    const observationId = observationIdFor({ workspaceId, sourceId: sourceEvent.sourceId });
    const finish = async (
      outcome: ObservationCapturedData["outcome"],
      clusterId: string | null,
      reason?: string,
    ) => {
      await step.run("record-outcome", () =>
        setPayloadStatus(deps.db, {
          payloadId,
          status: outcome === "captured" ? "done" : outcome,
          error: reason ?? null,
        }),
      );
      const data: ObservationCapturedData = {
        workspaceId,
        observationId,
        sourceId: sourceEvent.sourceId,
        outcome,
        clusterId,
      };
      await step.sendEvent("emit-captured", {
        id: `captured-${observationId}`,
        name: observationCapturedEvent.name,
        data,
      });
      return data;
    };

    const existing = await step.run(
      "check-duplicate",
      async () =>
        (await findObservationBySourceId(deps.db, {
          workspaceId,
          sourceId: sourceEvent.sourceId,
        })) ?? null,
    );
    if (existing) {
      // Stored from this very payload by an earlier attempt whose later steps did not finish: resume there.
      if (existing.payloadId !== payloadId) return finish("duplicate", null);
      return finish(
        existing.status === "captured" ? "captured" : "below_threshold",
        existing.clusterId,
      );
    }

    const allowed = await step.run("check-allowed", () =>
      checkAllowed(deps.db, { workspaceId, event: sourceEvent }),
    );
    if (!allowed.allowed) return finish("filtered", null, allowed.reason);

    const significance = await step.run("score-significance", () =>
      scoreSignificance(
        sourceEvent,
        baseSignificance(sourceEvent.source, sourceEvent.sourceType) ?? UNREGISTERED_WEIGHT,
      ),
    );
    const classified = await step.run("classify", () => classifyObservation(sourceEvent));
    const entities = await step.run("extract-entities", () => extractEntities(sourceEvent));
    const captured = significance.score >= SIGNIFICANCE_THRESHOLD;
    const snippet = snippetOf(sourceEvent);

    if (captured) {
      await step.run("upsert-vectors", async () => {
        await embedObservation(deps, {
          workspaceId,
          observationId,
          event: sourceEvent,
          observationType: classified.observationType,
          snippet,
          entityKeys: entities.map(entityKey),
        });
        return { views: VIEWS.length };
      });
    }

    const persisted = await step.run("persist", () =>
      persistCapture(deps, {
        workspaceId,
        observationId,
        payloadId,
        event: sourceEvent,
        status: captured ? "captured" : "below_threshold",
        significance: significance.score,
        signals: significance.signals,
        observationType: classified.observationType,
        topics: classified.topics,
        entities,
        snippet,
        threadKeys: threadKeysOf(sourceEvent),
      }),
    );
    if (!persisted.mine) return finish("duplicate", null);
    return finish(captured ? "captured" : "below_threshold", persisted.clusterId);
  },
});
