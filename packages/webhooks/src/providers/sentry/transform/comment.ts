import { truncateTitle } from "@repo/schemas";
import { sentryCommentDataSchema } from "../schema";
import {
  bodyLines,
  compact,
  type EventDraft,
  envelopeActor,
  envelopeMetadata,
  firstTime,
  nonEmpty,
  parseData,
  reference,
  shortHash,
  type TransformContext,
  toIsoTime,
} from "./shared";

const titleVerb = {
  created: "Comment on",
  updated: "Comment edited on",
  deleted: "Comment deleted on",
};

/**
 * Comment deliveries name the issue only by its numeric id (no shortId), so the issue reference uses
 * that id and `metadata.issueId` joins it to the issue's own events. `timestamp` is the comment's
 * time, which Sentry does not move on an edit, so an edit is keyed by the text it leaves behind too:
 * a retry repeats both, a second edit changes the text.
 */
export function transformComment(ctx: TransformContext): EventDraft {
  const data = parseData(sentryCommentDataSchema, ctx.envelope.data, `comment.${ctx.action}`);
  const action = ctx.sourceType.slice("comment.".length) as keyof typeof titleVerb;
  const commentId = String(data.comment_id);
  const issueId = String(data.issue_id);
  const text = nonEmpty(data.comment);
  const project = nonEmpty(data.project_slug);
  const actor = envelopeActor(ctx.envelope);
  const timestamp = toIsoTime(data.timestamp);
  const sourceId =
    action === "updated"
      ? `sentry:comment:${commentId}:updated:${timestamp ?? "unknown"}:${shortHash(text ?? "")}`
      : `sentry:comment:${commentId}:${action}`;

  return {
    sourceId,
    title: truncateTitle(
      `${titleVerb[action]} issue ${issueId}: ${text ?? `comment ${commentId}`}`,
    ),
    body: bodyLines([
      text,
      ["Issue", `Sentry issue ${issueId}`],
      ["Project", project],
      ["Comment by", actor?.name],
      action === "deleted" ? "This comment was deleted." : undefined,
      action === "updated" ? "This comment was edited." : undefined,
    ]),
    actor,
    // An edit or a deletion happens at delivery time; `timestamp` is when the comment was written.
    occurredAt:
      action === "created"
        ? firstTime([data.timestamp], ctx.receivedAt)
        : ctx.receivedAt.toISOString(),
    references: [
      ...reference("issue", issueId),
      ...reference("comment", commentId),
      ...reference("project", project, { label: project }),
    ],
    metadata: compact({
      ...envelopeMetadata(ctx),
      project,
      issueId,
      commentId,
      commentedAt: timestamp,
    }),
  };
}
