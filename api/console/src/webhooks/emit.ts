import type { WorkspaceIntegration } from "@db/console";
import { type ObservationCaptureData, observationCaptureEvent } from "@repo/schemas";
import type { TransformResult, webhookProvider } from "@repo/webhooks";

export type CaptureEvent = { id: string; name: string; data: ObservationCaptureData };

/**
 * What becomes of a transformed delivery: stored as ignored or filtered with a reason, or stored pending
 * with a capture event. The event is built once the row's id and body hash are known, because it names
 * the row and takes its id from the content.
 */
export type CaptureDecision =
  | { status: "ignored" | "filtered"; reason: string }
  | { status: "pending"; event: (payloadId: string, bodySha256: string) => CaptureEvent };

/**
 * The one rule for turning a SourceEvent into a capture event, shared by every way a payload arrives
 * (webhook, backfill, replay) so that the same upstream fact yields the same event, and the capture
 * workflow's (workspace, sourceId) check can recognise it whichever way it came.
 */
export function captureDecision(
  provider: ReturnType<typeof webhookProvider>,
  transformed: TransformResult,
  target: {
    workspaceId: string | null;
    /** The workspace's active integration, whose source config filters what is captured. */
    integration?: WorkspaceIntegration;
    ingestionSource: ObservationCaptureData["ingestionSource"];
  },
): CaptureDecision {
  if (transformed.kind === "unsupported") return { status: "ignored", reason: transformed.reason };
  const workspaceId = target.workspaceId;
  if (!workspaceId) {
    return { status: "ignored", reason: "installation is not linked to a workspace yet" };
  }
  if (target.integration) {
    const config = provider.configSchema.safeParse(target.integration.sourceConfig);
    if (config.success) {
      const allowed = provider.allowed(transformed.event, config.data as never);
      if (!allowed.allowed) return { status: "filtered", reason: allowed.reason };
    }
  }
  return {
    status: "pending",
    event: (payloadId, bodySha256) => ({
      // Derived from the content so Inngest's 24-hour id dedupe also absorbs a redelivery.
      id: `${provider.source}-${bodySha256.slice(0, 40)}`,
      name: observationCaptureEvent.name,
      data: {
        workspaceId,
        payloadId,
        ingestionSource: target.ingestionSource,
        sourceEvent: transformed.event,
      },
    }),
  };
}
