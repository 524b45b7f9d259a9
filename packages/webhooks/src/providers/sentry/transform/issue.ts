import { truncateTitle } from "@repo/schemas";
import { type SentryIssue, type SentryUserRef, sentryIssueDataSchema } from "../schema";
import {
  ignoreCondition,
  resolutionFacts,
  resolutionLines,
  resolutionReferences,
} from "./issue-status";
import {
  assigneeKey,
  assigneeReferences,
  bodyLines,
  compact,
  describeUser,
  type EventDraft,
  envelopeActor,
  envelopeMetadata,
  errorHeadline,
  firstTime,
  nonEmpty,
  organizationFromUrl,
  parseData,
  reference,
  shortHash,
  stableJson,
  type TransformContext,
  toCount,
  toIsoTime,
  validUrl,
} from "./shared";

type IssueAction = "created" | "resolved" | "assigned" | "ignored" | "unresolved";

function issueAction(ctx: TransformContext): IssueAction {
  return ctx.sourceType.slice("issue.".length) as IssueAction;
}

function userName(user: SentryUserRef | null | undefined): string | undefined {
  return nonEmpty(user?.name) ?? nonEmpty(user?.email) ?? nonEmpty(user?.id);
}

function titlePrefix(ctx: TransformContext, issue: SentryIssue, assignee?: SentryUserRef | null) {
  switch (issueAction(ctx)) {
    case "created":
      return "";
    case "resolved":
      return "Resolved: ";
    case "assigned": {
      const name = userName(assignee);
      if (!name) return "Assigned: ";
      return assignee?.type === "team" ? `Assigned to team ${name}: ` : `Assigned to ${name}: `;
    }
    case "ignored":
      return ctx.action === "archived" ? "Archived: " : "Ignored: ";
    case "unresolved":
      if (issue.substatus === "regressed") return "Regressed: ";
      if (issue.substatus === "escalating") return "Escalating: ";
      return "Unresolved: ";
  }
}

/**
 * Only `created` has a payload time that is the fact's own (`firstSeen`). Workflow deliveries carry no
 * time of the action: `lastSeen` is the last event, often hours earlier, so the delivery time is the
 * honest answer. A regression or escalation is caused by a new event, so there `lastSeen` is the moment.
 */
function occurredAt(ctx: TransformContext, issue: SentryIssue): string {
  const action = issueAction(ctx);
  if (action === "created") return firstTime([issue.firstSeen], ctx.receivedAt);
  if (
    action === "unresolved" &&
    (issue.substatus === "regressed" || issue.substatus === "escalating")
  ) {
    return firstTime([issue.lastSeen], ctx.receivedAt);
  }
  return ctx.receivedAt.toISOString();
}

/**
 * `created` is one fact per issue, so a backfill of the same issue dedupes against the webhook.
 * A state change can happen again later (resolve, regress, resolve): `lastSeen` moves with every new
 * event and the status details say how it was resolved or ignored, so together they separate a later
 * fact from a retry of the same delivery, which repeats both exactly.
 */
function sourceId(
  ctx: TransformContext,
  issue: SentryIssue,
  assignee: SentryUserRef | null | undefined,
  resolutionType: string | undefined,
): string {
  const action = issueAction(ctx);
  const base = `sentry:issue:${String(issue.id)}:${action}`;
  if (action === "created") return base;
  if (action === "assigned") return `${base}:${assigneeKey(assignee) ?? "unassigned"}`;
  const seen = toIsoTime(issue.lastSeen) ?? `count-${nonEmpty(issue.count) ?? "unknown"}`;
  const details = issue.statusDetails ?? {};
  const detailKey =
    Object.keys(details).length > 0 || resolutionType
      ? `:${shortHash(stableJson({ details, resolutionType }))}`
      : "";
  return `${base}:${seen}${detailKey}`;
}

export function transformIssue(ctx: TransformContext): EventDraft {
  const data = parseData(sentryIssueDataSchema, ctx.envelope.data, `issue.${ctx.action}`);
  const issue = data.issue;
  const action = issueAction(ctx);
  const groupId = String(issue.id);
  const shortId = nonEmpty(issue.shortId);
  // `assignee` is the new owner on `assigned`; `assignedTo` is the owner at delivery time.
  const assignee = action === "assigned" ? (data.assignee ?? issue.assignedTo) : issue.assignedTo;
  const resolutionType = nonEmpty(data.resolution_type);
  const headline =
    errorHeadline(issue.metadata, issue.title) ?? shortId ?? `Sentry issue ${groupId}`;
  const sentryTitle = nonEmpty(issue.title);
  const projectSlug = nonEmpty(issue.project?.slug);
  const projectName = nonEmpty(issue.project?.name);
  const url = validUrl(issue.permalink) ?? validUrl(issue.web_url);
  const organization = [issue.permalink, issue.web_url, issue.url, issue.project_url]
    .map(organizationFromUrl)
    .find((slug) => slug !== undefined);
  const actor = envelopeActor(ctx.envelope, [data.assignee, issue.assignedTo]);
  const location = [nonEmpty(issue.metadata?.filename), nonEmpty(issue.metadata?.function)]
    .filter((part) => part !== undefined)
    .join(" in ");
  const status = [nonEmpty(issue.status), nonEmpty(issue.substatus)].filter(Boolean);
  const facts = resolutionFacts(issue.statusDetails);
  const count = toCount(issue.count);
  const userCount = toCount(issue.userCount);
  const actedBy: Record<IssueAction, string | undefined> = {
    created: undefined,
    resolved: "Resolved by",
    assigned: "Assigned by",
    ignored: ctx.action === "archived" ? "Archived by" : "Ignored by",
    unresolved: "Unresolved by",
  };

  const body = bodyLines([
    headline,
    sentryTitle && !headline.startsWith(sentryTitle.replace(/\.{3}$|…$/, ""))
      ? ["Title", sentryTitle]
      : undefined,
    ["Issue", shortId ? `${shortId} (Sentry issue ${groupId})` : `Sentry issue ${groupId}`],
    [
      "Project",
      projectName && projectSlug && projectName !== projectSlug
        ? `${projectName} (${projectSlug})`
        : (projectSlug ?? projectName),
    ],
    ["Culprit", issue.culprit],
    ["Location", location],
    ["Level", issue.level],
    ["Status", status.length === 2 ? `${status[0]} (${status[1]})` : status[0]],
    ["Events", count],
    ["Users affected", userCount],
    [
      "Unhandled",
      issue.isUnhandled === true ? "yes" : issue.isUnhandled === false ? "no" : undefined,
    ],
    ["First seen", toIsoTime(issue.firstSeen)],
    ["Last seen", toIsoTime(issue.lastSeen)],
    ["Assigned to", describeUser(assignee)],
    ...(action === "resolved" ? resolutionLines(issue.statusDetails, resolutionType) : []),
    action === "ignored"
      ? [ctx.action === "archived" ? "Archived" : "Ignored", ignoreCondition(issue.statusDetails)]
      : undefined,
    actedBy[action] && actor ? [actedBy[action], actor.name] : undefined,
    ["Link", url],
  ]);

  return {
    sourceId: sourceId(ctx, issue, assignee, resolutionType),
    title: truncateTitle(`${titlePrefix(ctx, issue, assignee)}${headline}`),
    body,
    actor,
    occurredAt: occurredAt(ctx, issue),
    references: [
      ...reference("issue", shortId ?? groupId, { url, label: truncateTitle(headline) }),
      ...reference("project", projectSlug, { label: projectName }),
      ...assigneeReferences(assignee),
      ...(action === "resolved" ? resolutionReferences(issue.statusDetails) : []),
    ],
    metadata: compact({
      ...envelopeMetadata(ctx, organization),
      level: nonEmpty(issue.level),
      project: projectSlug,
      projectId: nonEmpty(issue.project?.id),
      projectName,
      status: nonEmpty(issue.status),
      substatus: nonEmpty(issue.substatus),
      shortId,
      issueId: groupId,
      errorType: nonEmpty(issue.metadata?.type),
      culprit: nonEmpty(issue.culprit),
      filename: nonEmpty(issue.metadata?.filename),
      function: nonEmpty(issue.metadata?.function),
      count,
      userCount,
      platform: nonEmpty(issue.platform) ?? nonEmpty(issue.project?.platform),
      isUnhandled: issue.isUnhandled ?? undefined,
      firstSeen: toIsoTime(issue.firstSeen),
      lastSeen: toIsoTime(issue.lastSeen),
      assignee: assigneeKey(assignee),
      assigneeName: userName(assignee),
      resolutionType,
      release: facts.release,
      commit: facts.commit?.id,
      ignoreCondition: action === "ignored" ? ignoreCondition(issue.statusDetails) : undefined,
    }),
  };
}
