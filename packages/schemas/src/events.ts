import { z } from "zod";
import { sourceEventSchema } from "./source-event";

export const ingestionSources = ["webhook", "backfill", "replay"] as const;

/**
 * `apps-console/neural/observation.capture`: carries the stored payload's id and the SourceEvent, never the
 * raw body (Inngest caps event size; the body stays in the database).
 */
export const observationCaptureEvent = {
  name: "apps-console/neural/observation.capture",
  schema: z.object({
    workspaceId: z.string().min(1),
    payloadId: z.string().min(1),
    ingestionSource: z.enum(ingestionSources),
    sourceEvent: sourceEventSchema,
  }),
} as const;
export type ObservationCaptureData = z.infer<typeof observationCaptureEvent.schema>;

export const observationOutcomes = [
  "captured",
  "below_threshold",
  "duplicate",
  "filtered",
] as const;

/** `apps-console/neural/observation.captured`: a capture finished; followers (profiles, summaries) start here. */
export const observationCapturedEvent = {
  name: "apps-console/neural/observation.captured",
  schema: z.object({
    workspaceId: z.string().min(1),
    observationId: z.string().min(1),
    sourceId: z.string().min(1),
    outcome: z.enum(observationOutcomes),
    clusterId: z.string().nullable(),
  }),
} as const;
export type ObservationCapturedData = z.infer<typeof observationCapturedEvent.schema>;
