/**
 * The catalogue of what Sentry sends and what this connector captures. Everything that keys on event
 * names (significance weights, config, filters) derives from these lists, so a name cannot drift.
 */

/** Every `Sentry-Hook-Resource` Sentry sends today. */
export const sentryResources = [
  "issue",
  "error",
  "event_alert",
  "metric_alert",
  "comment",
  "installation",
  "seer",
  "preprod_artifact",
] as const;
export type SentryResource = (typeof sentryResources)[number];

/** Resources that become SourceEvents; a workspace chooses among these in `sync.events`. */
export const sentryCapturedResources = [
  "issue",
  "error",
  "event_alert",
  "metric_alert",
  "comment",
] as const;
export type SentryCapturedResource = (typeof sentryCapturedResources)[number];

/**
 * Actions captured per resource. `issue.archived` is what the docs call `ignored` since Sentry renamed
 * the state; both names arrive, so both are accepted. `metric_alert.open` is rare but documented.
 */
export const sentrySupportedActions = {
  issue: ["created", "resolved", "assigned", "ignored", "archived", "unresolved"],
  error: ["created"],
  event_alert: ["triggered"],
  metric_alert: ["critical", "warning", "resolved", "open"],
  comment: ["created", "updated", "deleted"],
} as const satisfies Record<SentryCapturedResource, readonly string[]>;

/**
 * Every `sourceType` the transformers emit, exactly. `issue.archived` is folded into `issue.ignored`
 * (with `metadata.action: "archived"`) so one fact has one name for weights and filters.
 */
export const sentrySourceTypes = [
  "issue.created",
  "issue.resolved",
  "issue.assigned",
  "issue.ignored",
  "issue.unresolved",
  "error.created",
  "event_alert.triggered",
  "metric_alert.critical",
  "metric_alert.warning",
  "metric_alert.resolved",
  "metric_alert.open",
  "comment.created",
  "comment.updated",
  "comment.deleted",
] as const;
export type SentrySourceType = (typeof sentrySourceTypes)[number];

type Supported = typeof sentrySupportedActions;
type DerivedSourceType = {
  [R in keyof Supported]: `${R}.${Exclude<Supported[R][number], "archived">}`;
}[keyof Supported];
type Assert<T extends true> = T;
/** Compile-time proof that the explicit list and the supported pairs agree in both directions. */
export type SentrySourceTypesMatchActions = Assert<
  [DerivedSourceType] extends [SentrySourceType]
    ? [SentrySourceType] extends [DerivedSourceType]
      ? true
      : false
    : false
>;

/** Sentry event levels, least severe first. */
export const sentryLevels = ["debug", "info", "warning", "error", "fatal"] as const;
export type SentryLevel = (typeof sentryLevels)[number];

export function isSentryCapturedResource(value: string): value is SentryCapturedResource {
  return (sentryCapturedResources as readonly string[]).includes(value);
}

export function isSentrySourceType(value: string): value is SentrySourceType {
  return (sentrySourceTypes as readonly string[]).includes(value);
}

/** The SourceEvent `sourceType` for a delivery, or undefined when the pair is not captured. */
export function sentrySourceType(resource: string, action: string): SentrySourceType | undefined {
  if (!isSentryCapturedResource(resource)) return undefined;
  const actions: readonly string[] = sentrySupportedActions[resource];
  if (!actions.includes(action)) return undefined;
  const normalised = resource === "issue" && action === "archived" ? "ignored" : action;
  const sourceType = `${resource}.${normalised}`;
  return isSentrySourceType(sourceType) ? sourceType : undefined;
}
