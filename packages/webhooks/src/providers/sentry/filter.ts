import type { SourceEvent } from "@repo/schemas";
import { isSentryCapturedResource, type SentryLevel, sentryLevels } from "./events";
import type { SentrySourceConfig } from "./schema";

/** debug 0 < info 1 < warning 2 < error 3 < fatal 4. */
export const sentryLevelRank = Object.fromEntries(
  sentryLevels.map((level, rank) => [level, rank]),
) as Record<SentryLevel, number>;

export type SentryFilterResult = { allowed: true } | { allowed: false; reason: string };

function levelRank(level: unknown): number | undefined {
  if (typeof level !== "string") return undefined;
  const normalised = level.toLowerCase();
  // Older SDKs send `warn`; Python's logging levels arrive as `critical`.
  const alias =
    normalised === "warn" ? "warning" : normalised === "critical" ? "fatal" : normalised;
  return (sentryLevels as readonly string[]).includes(alias)
    ? sentryLevelRank[alias as SentryLevel]
    : undefined;
}

/**
 * Whether a workspace's Sentry configuration wants this event. Pure: it reads only the event and the
 * config, so the capture workflow can re-check replays and backfills with the same answer.
 */
export function sentryEventAllowed(
  event: SourceEvent,
  config: SentrySourceConfig,
): SentryFilterResult {
  const resource = event.sourceType.split(".")[0] ?? "";
  if (!isSentryCapturedResource(resource) || !config.sync.events.includes(resource)) {
    return { allowed: false, reason: `${resource} events are not synced for this integration` };
  }

  // Comments and metric alerts carry no level: the level filter is about error severity, so they pass.
  const minLevel = config.sync.minLevel;
  const rank = levelRank(event.metadata.level);
  if (minLevel && rank !== undefined && rank < sentryLevelRank[minLevel]) {
    return {
      allowed: false,
      reason: `level ${String(event.metadata.level)} is below the minimum ${minLevel}`,
    };
  }

  if (config.projectSlugs.length === 0) return { allowed: true };

  if (resource === "metric_alert") {
    // A metric alert belongs to an organisation's alert rule, not to one project, and carries no
    // project id. An earlier implementation rejected every metric alert here because of that; they
    // pass the project filter unless they name a different organisation.
    const organization = event.metadata.organization;
    if (typeof organization === "string" && organization !== config.organizationSlug) {
      return {
        allowed: false,
        reason: `metric alert belongs to organization ${organization}, not ${config.organizationSlug}`,
      };
    }
    return { allowed: true };
  }

  const project = event.metadata.project;
  if (typeof project !== "string" || project === "") {
    // Fail closed: the workspace limited itself to some projects and this event names none.
    return { allowed: false, reason: "event names no project and only some projects are synced" };
  }
  if (!config.projectSlugs.includes(project)) {
    return { allowed: false, reason: `project ${project} is not synced for this integration` };
  }
  return { allowed: true };
}
