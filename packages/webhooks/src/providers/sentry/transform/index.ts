import { type SourceEvent, sourceEventSchema } from "@repo/schemas";
import {
  isSentryCapturedResource,
  type SentryCapturedResource,
  sentryResources,
  sentrySourceType,
} from "../events";
import { sentryEnvelopeSchema } from "../schema";
import { transformComment } from "./comment";
import { transformError } from "./error";
import { transformEventAlert } from "./event-alert";
import { transformIssue } from "./issue";
import { transformMetricAlert } from "./metric-alert";
import { type EventDraft, SentryPayloadError, type TransformContext } from "./shared";

export { SentryPayloadError } from "./shared";

export type SentryTransformResult =
  | { kind: "event"; event: SourceEvent }
  | { kind: "unsupported"; reason: string };

const transformers: Record<SentryCapturedResource, (ctx: TransformContext) => EventDraft> = {
  issue: transformIssue,
  error: transformError,
  event_alert: transformEventAlert,
  metric_alert: transformMetricAlert,
  comment: transformComment,
};

/** Why a resource that Sentry does send is not captured; read by whoever wonders where it went. */
const uncapturedResources: Record<string, string> = {
  installation:
    "installation lifecycle is handled by the connection flow, not captured as an event",
  seer: "Seer (AI fix) progress updates are not captured",
  preprod_artifact: "pre-production build artifacts are not captured",
};

function issuesOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) {
  return error.issues.map(
    (issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`,
  );
}

/**
 * Turns one verified Sentry delivery into a SourceEvent. Pure: the same input always gives the same
 * event (bar `receivedAt`, used only where the payload has no time of its own). Resources and actions
 * outside the catalogue are `unsupported`, not errors; a captured delivery whose body does not have
 * the documented shape throws `SentryPayloadError`.
 */
export function transformSentryWebhook(input: {
  resource: string;
  payload: unknown;
  receivedAt: Date;
}): SentryTransformResult {
  const { resource, payload, receivedAt } = input;
  if (Number.isNaN(receivedAt.getTime())) throw new TypeError("receivedAt is not a valid date");
  const rawAction = (payload as { action?: unknown } | null)?.action;
  const eventName = `${resource}.${typeof rawAction === "string" ? rawAction : "?"}`;

  if (!isSentryCapturedResource(resource)) {
    const reason = (sentryResources as readonly string[]).includes(resource)
      ? uncapturedResources[resource]
      : undefined;
    return { kind: "unsupported", reason: `Sentry ${eventName}: ${reason ?? "unknown resource"}` };
  }

  const envelope = sentryEnvelopeSchema.safeParse(payload);
  if (!envelope.success) {
    const issues = issuesOf(envelope.error);
    throw new SentryPayloadError(
      `Sentry ${eventName} envelope is malformed: ${issues.join("; ")}`,
      eventName,
      issues,
    );
  }
  const action = envelope.data.action;
  const sourceType = sentrySourceType(resource, action);
  if (!sourceType) {
    return { kind: "unsupported", reason: `Sentry ${resource}.${action}: action is not captured` };
  }

  const draft = transformers[resource]({ envelope: envelope.data, action, sourceType, receivedAt });
  // The transformers sanitise what they copy; this is the guarantee that nothing slipped through.
  const event = sourceEventSchema.safeParse({ source: "sentry", sourceType, ...draft });
  if (!event.success) {
    const issues = issuesOf(event.error);
    throw new SentryPayloadError(
      `Sentry ${resource}.${action} produced an invalid SourceEvent: ${issues.join("; ")}`,
      `${resource}.${action}`,
      issues,
    );
  }
  return { kind: "event", event: event.data };
}
