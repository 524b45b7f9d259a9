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
