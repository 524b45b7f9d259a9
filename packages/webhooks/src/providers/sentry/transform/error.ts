import { truncateTitle } from "@repo/schemas";
import { sentryErrorDataSchema } from "../schema";
import { summarizeEvent } from "./sentry-event";
import {
  bodyLines,
  compact,
  type EventDraft,
  envelopeActor,
  envelopeMetadata,
  firstTime,
  parseData,
  type TransformContext,
} from "./shared";

/**
 * One delivery per stored event. `event_id` is unique per event, so it alone is the idempotency key.
 * `datetime` is when the error happened on the client; `timestamp` is the same instant as a float and
 * `received` is Sentry's ingest time, each a fallback for the one before.
 */
export function transformError(ctx: TransformContext): EventDraft {
  const { error } = parseData(sentryErrorDataSchema, ctx.envelope.data, `error.${ctx.action}`);
  const summary = summarizeEvent(error);
  return {
    sourceId: `sentry:error:${summary.eventId}`,
    title: truncateTitle(summary.headline),
    body: bodyLines([...summary.lines, ["Link", error.web_url]]),
    // Sentry (an application) reports errors; the end user in `error.user` is not an actor.
    actor: envelopeActor(ctx.envelope),
    occurredAt: firstTime([error.datetime, error.timestamp, error.received], ctx.receivedAt),
    references: summary.references,
    metadata: compact({
      ...summary.metadata,
      ...envelopeMetadata(ctx, summary.organization),
    }),
  };
}
