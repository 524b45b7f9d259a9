import type { Reference } from "@repo/schemas";
import type { SentryEvent, SentryStackFrame } from "../schema";
import {
  errorHeadline,
  nonEmpty,
  organizationFromUrl,
  projectFromEventUrl,
  reference,
  validUrl,
} from "./shared";

/** In-app frames shown in a body; enough to name the code path without drowning the text. */
const MAX_FRAMES = 5;

/** What `error.created` and `event_alert.triggered` both say about the event they carry. */
export interface EventSummary {
  headline: string;
  eventId: string;
  issueId?: string;
  level?: string;
  project?: string;
  organization?: string;
  release?: string;
  environment?: string;
  errorType?: string;
  frames: string[];
  /** Body lines describing the event, ready for `bodyLines`. */
  lines: (readonly [string, unknown] | string)[];
  metadata: Record<string, unknown>;
  references: Reference[];
}

/** Webhooks send tags as `[key, value]` pairs, the REST API as `{key, value}`. */
export function tagValue(tags: readonly unknown[] | null | undefined, key: string) {
  for (const tag of tags ?? []) {
    if (Array.isArray(tag) && tag[0] === key) return nonEmpty(tag[1]);
    if (tag && typeof tag === "object" && (tag as { key?: unknown }).key === key) {
      return nonEmpty((tag as { value?: unknown }).value);
    }
  }
  return undefined;
}

function formatFrame(frame: SentryStackFrame): string | undefined {
  const location =
    nonEmpty(frame.filename) ??
    nonEmpty(frame.module) ??
    nonEmpty(frame.abs_path) ??
    nonEmpty(frame.package)?.split("/").pop();
  const fn = nonEmpty(frame.function);
  if (!location && !fn) return undefined;
  const where = location && fn ? `${location} in ${fn}` : (location ?? `in ${fn}`);
  return typeof frame.lineno === "number" ? `${where} at line ${frame.lineno}` : where;
}

/**
 * Frames arrive oldest first, so the innermost (where it threw) are last. In-app frames name the
 * team's own code; when an SDK marks none in-app, the innermost frames are the next best clue.
 */
export function topFrames(event: SentryEvent): { frames: string[]; inApp: boolean } {
  const values = event.exception?.values ?? [];
  const primary = [...values]
    .reverse()
    .find((value) => (value.stacktrace?.frames ?? []).length > 0);
  const innermostFirst = [...(primary?.stacktrace?.frames ?? [])].reverse();
  const inAppFrames = innermostFirst.filter((frame) => frame.in_app === true);
  const chosen = inAppFrames.length > 0 ? inAppFrames : innermostFirst;
  const frames = chosen
    .map(formatFrame)
    .filter((line): line is string => line !== undefined)
    .slice(0, inAppFrames.length > 0 ? MAX_FRAMES : 3);
  return { frames, inApp: inAppFrames.length > 0 };
}

/** The issue page: the event's web link minus its `events/<id>/` tail, else the API link. */
function issueUrl(event: SentryEvent): string | undefined {
  const web = validUrl(event.web_url);
  const fromWeb = web?.match(/^(.*\/issues\/[^/]+\/)events\/[^/]+\/?$/)?.[1];
  return fromWeb ?? validUrl(event.issue_url);
}

export function summarizeEvent(event: SentryEvent): EventSummary {
  const values = event.exception?.values ?? [];
  const primary = values[values.length - 1];
  const errorType = nonEmpty(event.metadata?.type) ?? nonEmpty(primary?.type);
  const headline =
    errorHeadline(event.metadata, undefined) ??
    errorHeadline(primary, undefined) ??
    nonEmpty(event.title) ??
    nonEmpty(event.message) ??
    `Sentry event ${event.event_id}`;
  const level = nonEmpty(event.level) ?? tagValue(event.tags, "level");
  const release = nonEmpty(event.release) ?? tagValue(event.tags, "release");
  const environment = nonEmpty(event.environment) ?? tagValue(event.tags, "environment");
  const transaction = nonEmpty(event.transaction) ?? tagValue(event.tags, "transaction");
  const handled = primary?.mechanism?.handled ?? tagValue(event.tags, "handled");
  const project = projectFromEventUrl(event.url);
  const organization = organizationFromUrl(event.web_url) ?? organizationFromUrl(event.url);
  const issueId = nonEmpty(event.issue_id);
  const { frames, inApp } = topFrames(event);
  // Chained exceptions: the primary is last; earlier ones are causes worth naming.
  const causes = values
    .slice(0, -1)
    .map((value) => errorHeadline(value, undefined))
    .filter((line): line is string => line !== undefined);

  const lines: (readonly [string, unknown] | string)[] = [
    headline,
    ["Culprit", event.culprit],
    ["Level", level],
    ["Project", project],
    ["Environment", environment],
    ["Release", release],
    ["Transaction", transaction],
    ["Platform", event.platform],
    ["Handled", handled === false || handled === "no" ? "no" : handled === true ? "yes" : handled],
    ["Mechanism", primary?.mechanism?.type],
    ...causes.map((cause) => ["Caused by", cause] as const),
    ["Sentry issue", issueId],
    ["Event", event.event_id],
  ];
  if (frames.length > 0) {
    lines.push(inApp ? "Top in-app frames (innermost first):" : "Top frames (innermost first):");
    lines.push(...frames.map((frame) => `  ${frame}`));
  }

  return {
    headline,
    eventId: event.event_id,
    issueId,
    level,
    project,
    organization,
    release,
    environment,
    errorType,
    frames,
    lines,
    metadata: {
      level,
      project,
      projectId: nonEmpty(event.project),
      organization,
      issueId,
      eventId: event.event_id,
      errorType,
      culprit: nonEmpty(event.culprit),
      platform: nonEmpty(event.platform),
      environment,
      release,
      transaction,
      handled: typeof handled === "boolean" ? handled : handled === "no" ? false : undefined,
      filename: nonEmpty(event.metadata?.filename),
      function: nonEmpty(event.metadata?.function),
    },
    references: [
      ...reference("issue", issueId, { url: issueUrl(event) }),
      ...reference("project", project, { label: project }),
      ...reference("release", release),
    ],
  };
}
