import { truncateTitle } from "@repo/schemas";
import { sentryMetricAlertDataSchema } from "../schema";
import {
  bodyLines,
  compact,
  type EventDraft,
  envelopeActor,
  envelopeMetadata,
  firstTime,
  nonEmpty,
  organizationFromUrl,
  parseData,
  reference,
  type TransformContext,
  toIsoTime,
} from "./shared";

/** Sentry's IncidentStatus codes. */
const incidentStatusNames: Record<number, string> = {
  1: "open",
  2: "closed",
  10: "warning",
  20: "critical",
};

/**
 * One incident (`metric_alert.id`) moves through warning, critical and resolved; each transition is a
 * fact keyed by the incident and the action. The payload has no time of the transition itself: an
 * escalation keeps the incident's `date_detected`, so only `resolved` (with `date_closed`) has a time of
 * its own and the others use the delivery time.
 */
export function transformMetricAlert(ctx: TransformContext): EventDraft {
  const data = parseData(
    sentryMetricAlertDataSchema,
    ctx.envelope.data,
    `metric_alert.${ctx.action}`,
  );
  const incident = data.metric_alert;
  const rule = incident.alert_rule;
  const alertId = String(incident.id);
  const name =
    nonEmpty(incident.title) ??
    nonEmpty(rule?.name) ??
    nonEmpty(data.description_title) ??
    `incident ${alertId}`;
  const projects = [...new Set([...(incident.projects ?? []), ...(rule?.projects ?? [])])];
  const thresholds = (rule?.triggers ?? [])
    .map((trigger) => {
      const label = nonEmpty(trigger.label);
      return label && typeof trigger.alert_threshold === "number"
        ? `${label} ${trigger.alert_threshold}`
        : undefined;
    })
    .filter((threshold): threshold is string => threshold !== undefined);
  const incidentStatus =
    typeof incident.status === "number" ? incidentStatusNames[incident.status] : undefined;
  // The docs' example escapes its newline (a literal backslash-n); either way it is a line break.
  const description = nonEmpty(data.description_text)?.replaceAll("\\n", "\n");
  const identifier = nonEmpty(incident.identifier);
  const organization = organizationFromUrl(data.web_url);

  return {
    sourceId: `sentry:metric_alert:${alertId}:${ctx.action}`,
    title: truncateTitle(`Metric alert ${ctx.action}: ${name}`),
    body: bodyLines([
      nonEmpty(data.description_title) ?? `Metric alert ${ctx.action}: ${name}`,
      description,
      ["Alert rule", rule?.name],
      ["Metric", rule?.aggregate],
      ["Query", rule?.query],
      ["Thresholds", thresholds.join(", ")],
      [
        "Time window",
        typeof rule?.time_window === "number" ? `${rule.time_window} minutes` : undefined,
      ],
      ["Environment", rule?.environment],
      ["Dataset", rule?.dataset],
      ["Projects", projects.join(", ")],
      ["Incident", identifier ? `#${identifier} (id ${alertId})` : alertId],
      ["Incident status", incidentStatus],
      ["Started", toIsoTime(incident.date_started)],
      ["Closed", toIsoTime(incident.date_closed)],
      ["Link", data.web_url],
    ]),
    actor: envelopeActor(ctx.envelope),
    occurredAt:
      ctx.action === "resolved"
        ? firstTime([incident.date_closed], ctx.receivedAt)
        : ctx.receivedAt.toISOString(),
    references: [
      ...reference("alert", alertId, { url: data.web_url, label: name }),
      ...projects.flatMap((slug) => reference("project", slug, { label: slug })),
    ],
    metadata: compact({
      ...envelopeMetadata(ctx, organization),
      // The action is the transition Sentry reports; the example app's mocks send status 2 (closed)
      // with every action, so the status code is kept separately rather than trusted for this.
      alertStatus: ctx.action,
      incidentStatus,
      alertId,
      alertIdentifier: identifier,
      alertRuleId: nonEmpty(rule?.id),
      alertRuleName: nonEmpty(rule?.name),
      organizationId: nonEmpty(incident.organization_id),
      projects,
      aggregate: nonEmpty(rule?.aggregate),
      query: nonEmpty(rule?.query),
      environment: nonEmpty(rule?.environment),
      dateStarted: toIsoTime(incident.date_started),
      dateClosed: toIsoTime(incident.date_closed),
    }),
  };
}
