import type { SentrySourceType } from "./events";

/**
 * Base significance (0-100) per Sentry source type, before the event's own signals adjust it. Keyed by
 * the exact `sourceType` the transformers emit (`issue.archived` arrives as `issue.ignored`), and typed
 * over `SentrySourceType` so a type added to the catalogue without a weight is a compile error. An
 * earlier registry was keyed by other names, so every event fell through to the default weight.
 *
 * Alerts rank highest: someone configured them to mean "look now". New issues and regressions come next;
 * workflow changes (assign, ignore) and comment edits say less about the system itself.
 */
export const sentrySignificance: Record<SentrySourceType, number> = {
  "issue.created": 55,
  "issue.resolved": 50,
  "issue.unresolved": 45,
  "issue.assigned": 30,
  "issue.ignored": 25,
  "error.created": 45,
  "event_alert.triggered": 65,
  "metric_alert.critical": 70,
  "metric_alert.warning": 60,
  "metric_alert.resolved": 50,
  "metric_alert.open": 55,
  "comment.created": 35,
  "comment.updated": 20,
  "comment.deleted": 10,
};
