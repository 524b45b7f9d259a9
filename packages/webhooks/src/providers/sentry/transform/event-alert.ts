import { truncateTitle } from "@repo/schemas";
import { sentryEventAlertDataSchema } from "../schema";
import { summarizeEvent } from "./sentry-event";
import {
  bodyLines,
  compact,
  type EventDraft,
  envelopeActor,
  envelopeMetadata,
  firstTime,
  nonEmpty,
  parseData,
  type TransformContext,
} from "./shared";

/**
 * An issue-alert rule fired for one event. The same event can fire several rules, and each firing is
 * its own fact, so the rule is part of the key. The rule fires while Sentry processes the event, so
 * `received` is the closest time the payload offers.
 */
export function transformEventAlert(ctx: TransformContext): EventDraft {
  const data = parseData(
    sentryEventAlertDataSchema,
    ctx.envelope.data,
    `event_alert.${ctx.action}`,
  );
  const summary = summarizeEvent(data.event);
  const ruleId = nonEmpty(data.issue_alert?.id);
  // Example-app mocks omit `triggered_rule`; the alert-rule-action block names the rule instead.
  const rule =
    nonEmpty(data.triggered_rule) ??
    nonEmpty(data.issue_alert?.title) ??
    (ruleId ? `rule ${ruleId}` : "unknown rule");
  const settings = (data.issue_alert?.settings ?? [])
    .map((setting) => {
      const value = nonEmpty(setting.value);
      return value ? `${setting.name}=${value}` : undefined;
    })
    .filter((setting): setting is string => setting !== undefined);

  return {
    sourceId: `sentry:event_alert:${summary.eventId}:${rule}`,
    title: truncateTitle(`Issue alert "${rule}": ${summary.headline}`),
    body: bodyLines([
      `Alert rule "${rule}" triggered`,
      ["Alert settings", settings.join(", ")],
      ...summary.lines,
      ["Link", data.event.web_url],
    ]),
    actor: envelopeActor(ctx.envelope),
    occurredAt: firstTime(
      [data.event.received, data.event.datetime, data.event.timestamp],
      ctx.receivedAt,
    ),
    references: summary.references,
    metadata: compact({
      ...summary.metadata,
      ...envelopeMetadata(ctx, summary.organization),
      rule,
      ruleId,
    }),
  };
}
