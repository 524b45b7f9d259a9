import { z } from "zod";
import { sentryCapturedResources, sentryLevels } from "./events";

/*
 * Schemas are deliberately loose: Sentry adds fields without notice, example-app mocks omit fields real
 * deliveries carry, and null is common. Only what a transformer cannot do without is required; unknown
 * keys pass through so the stored payload and the parsed one never disagree.
 */

/** Sentry serialises most ids as strings but some (comment ids, error `project`) as numbers. */
const sentryId = z.union([z.string(), z.number()]);
const text = z.string().nullish();
const num = z.number().nullish();
/** Timestamps arrive as ISO strings (`Z` or `+00:00`) or as epoch-second floats. */
const sentryTime = z.union([z.string(), z.number()]).nullish();

export const sentryEnvelopeSchema = z.looseObject({
  action: z.string().min(1),
  installation: z.looseObject({ uuid: z.string().min(1) }),
  data: z.record(z.string(), z.unknown()),
  // Optional because the official example app's mocks lack it; real deliveries always carry it.
  actor: z
    .looseObject({
      type: z.enum(["user", "application"]),
      id: sentryId,
      name: z.string(),
    })
    .optional(),
});
export type SentryEnvelope = z.infer<typeof sentryEnvelopeSchema>;

/** A user or team as Sentry embeds it (`assignedTo`, `assignee`); email is omitted under enhanced privacy. */
export const sentryUserRefSchema = z.looseObject({
  type: text,
  id: sentryId.nullish(),
  name: text,
  email: text,
});
export type SentryUserRef = z.infer<typeof sentryUserRefSchema>;

const sentryProjectSchema = z.looseObject({
  id: sentryId.nullish(),
  name: text,
  slug: text,
  platform: text,
});

const sentryErrorMetadataSchema = z.looseObject({
  type: text,
  value: text,
  title: text,
  filename: text,
  function: text,
});

export const sentryIssueSchema = z.looseObject({
  id: sentryId,
  shortId: text,
  title: text,
  culprit: text,
  level: text,
  status: text,
  substatus: text,
  statusDetails: z.record(z.string(), z.unknown()).nullish(),
  platform: text,
  type: text,
  project: sentryProjectSchema.nullish(),
  metadata: sentryErrorMetadataSchema.nullish(),
  assignedTo: sentryUserRefSchema.nullish(),
  count: sentryId.nullish(),
  userCount: num,
  numComments: num,
  isUnhandled: z.boolean().nullish(),
  firstSeen: sentryTime,
  lastSeen: sentryTime,
  permalink: text,
  web_url: text,
  url: text,
  project_url: text,
});
export type SentryIssue = z.infer<typeof sentryIssueSchema>;

export const sentryIssueDataSchema = z.looseObject({
  issue: sentryIssueSchema,
  /** Only on `assigned`; may be a team. */
  assignee: sentryUserRefSchema.nullish(),
  /** Only on `resolved`: now, in_release, in_next_release, in_commit, ... */
  resolution_type: text,
});
export type SentryIssueData = z.infer<typeof sentryIssueDataSchema>;

export const sentryStackFrameSchema = z.looseObject({
  filename: text,
  abs_path: text,
  module: text,
  package: text,
  function: text,
  lineno: num,
  colno: num,
  in_app: z.boolean().nullish(),
});
export type SentryStackFrame = z.infer<typeof sentryStackFrameSchema>;

const sentryExceptionValueSchema = z.looseObject({
  type: text,
  value: text,
  module: text,
  mechanism: z.looseObject({ type: text, handled: z.boolean().nullish() }).nullish(),
  stacktrace: z.looseObject({ frames: z.array(sentryStackFrameSchema).nullish() }).nullish(),
});

/** A full event in the webhook (snake_case) format, shared by `error` and `event_alert`. */
export const sentryEventSchema = z.looseObject({
  event_id: z.string().min(1),
  issue_id: sentryId.nullish(),
  issue_url: text,
  web_url: text,
  url: text,
  title: text,
  message: text,
  culprit: text,
  location: text,
  level: text,
  platform: text,
  environment: text,
  release: text,
  transaction: text,
  project: sentryId.nullish(),
  datetime: sentryTime,
  timestamp: sentryTime,
  received: sentryTime,
  metadata: sentryErrorMetadataSchema.nullish(),
  // Webhooks send `[key, value]` pairs, the REST API `{key, value}` objects: accept either.
  tags: z.array(z.unknown()).nullish(),
  exception: z.looseObject({ values: z.array(sentryExceptionValueSchema).nullish() }).nullish(),
  user: z.record(z.string(), z.unknown()).nullish(),
});
export type SentryEvent = z.infer<typeof sentryEventSchema>;

export const sentryErrorDataSchema = z.looseObject({ error: sentryEventSchema });
export type SentryErrorData = z.infer<typeof sentryErrorDataSchema>;

export const sentryEventAlertDataSchema = z.looseObject({
  event: sentryEventSchema,
  triggered_rule: text,
  issue_alert: z
    .looseObject({
      id: sentryId.nullish(),
      title: text,
      settings: z.array(z.looseObject({ name: z.string(), value: z.unknown() })).nullish(),
    })
    .nullish(),
});
export type SentryEventAlertData = z.infer<typeof sentryEventAlertDataSchema>;

const sentryAlertTriggerSchema = z.looseObject({
  label: text,
  alert_threshold: num,
  resolve_threshold: num,
});

export const sentryMetricAlertDataSchema = z.looseObject({
  metric_alert: z.looseObject({
    id: sentryId,
    identifier: sentryId.nullish(),
    title: text,
    /** IncidentStatus: 1 open, 2 closed, 10 warning, 20 critical. */
    status: num,
    organization_id: sentryId.nullish(),
    projects: z.array(z.string()).nullish(),
    alert_rule: z
      .looseObject({
        id: sentryId.nullish(),
        name: text,
        aggregate: text,
        query: text,
        dataset: text,
        environment: text,
        time_window: num,
        projects: z.array(z.string()).nullish(),
        triggers: z.array(sentryAlertTriggerSchema).nullish(),
      })
      .nullish(),
    date_started: sentryTime,
    date_detected: sentryTime,
    date_created: sentryTime,
    date_closed: sentryTime,
  }),
  description_text: text,
  description_title: text,
  web_url: text,
});
export type SentryMetricAlertData = z.infer<typeof sentryMetricAlertDataSchema>;

export const sentryCommentDataSchema = z.looseObject({
  comment_id: sentryId,
  /** An integer in real deliveries, a string in the example app's mocks. */
  issue_id: sentryId,
  project_slug: text,
  timestamp: sentryTime,
  comment: text,
});
export type SentryCommentData = z.infer<typeof sentryCommentDataSchema>;

export const sentryInstallationDataSchema = z.looseObject({
  installation: z.looseObject({
    uuid: z.string().min(1),
    status: text,
    code: text,
    app: z.looseObject({ uuid: text, slug: text }).nullish(),
    organization: z.looseObject({ slug: text }).nullish(),
  }),
});
export type SentryInstallationData = z.infer<typeof sentryInstallationDataSchema>;

/** Per-integration settings stored with the workspace's Sentry connection. */
export const sentrySourceConfigSchema = z.object({
  sourceType: z.literal("sentry"),
  organizationSlug: z.string().min(1),
  /** Empty means every project of the organization. */
  projectSlugs: z.array(z.string().min(1)).default([]),
  sync: z
    .object({
      events: z.array(z.enum(sentryCapturedResources)).default([...sentryCapturedResources]),
      /** Events below this level are not captured; events without a level always pass. */
      minLevel: z.enum(sentryLevels).optional(),
    })
    .default({ events: [...sentryCapturedResources] }),
});
export type SentrySourceConfig = z.infer<typeof sentrySourceConfigSchema>;
