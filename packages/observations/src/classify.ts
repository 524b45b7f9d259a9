import type { SourceEvent } from "@repo/schemas";
import { z } from "zod";
import { metaString, metaStrings, splitSourceType, withoutUrls } from "./event-text";

export const observationTypes = [
  "error",
  "incident",
  "alert",
  "resolution",
  "assignment",
  "discussion",
  "change",
  "deployment",
  "other",
] as const;
export const observationTypeSchema = z.enum(observationTypes);
export type ObservationType = z.infer<typeof observationTypeSchema>;

export interface Classification {
  observationType: ObservationType;
  topics: string[];
}

export const MAX_TOPICS = 5;

interface TypeRule {
  type: ObservationType;
  matches(resource: string, action: string): boolean;
}

const isAlertResource = (resource: string) => resource === "alert" || resource.endsWith("_alert");

/**
 * First match wins, so the order encodes precedence: what happened (resolved, assigned, ignored) outranks
 * what it happened to, and a comment is a discussion whatever it says. Rules read only the
 * `<resource>.<action>` shape, so any provider that names its events that way is classified the same.
 */
const TYPE_RULES: readonly TypeRule[] = [
  { type: "discussion", matches: (resource) => resource === "comment" },
  { type: "resolution", matches: (_, action) => action === "resolved" },
  { type: "assignment", matches: (_, action) => action === "assigned" || action === "unassigned" },
  {
    type: "change",
    matches: (_, action) => ["ignored", "archived", "muted", "snoozed"].includes(action),
  },
  // A metric breaching its critical threshold is an ongoing incident, not one more notification.
  {
    type: "incident",
    matches: (resource, action) => isAlertResource(resource) && action === "critical",
  },
  { type: "incident", matches: (resource) => resource === "incident" },
  { type: "alert", matches: (resource) => isAlertResource(resource) },
  { type: "deployment", matches: (resource) => resource === "deployment" || resource === "deploy" },
  { type: "error", matches: (resource) => resource === "error" || resource === "exception" },
  {
    type: "error",
    matches: (resource, action) =>
      resource === "issue" && ["created", "unresolved", "regressed", "escalating"].includes(action),
  },
  {
    type: "change",
    matches: (resource) => ["push", "commit", "pull_request", "release"].includes(resource),
  },
];

export function observationTypeOf(sourceType: string): ObservationType {
  const { resource, action } = splitSourceType(sourceType);
  return TYPE_RULES.find((rule) => rule.matches(resource, action))?.type ?? "other";
}

/**
 * Whole words after the text is lowered and split at camelCase and punctuation, so `CheckoutViewController`
 * and `payments-api` both name their topic.
 */
const TOPIC_KEYWORDS: Readonly<Record<string, RegExp>> = {
  payments: /\b(?:payments?|stripe|billing|invoices?|refunds?|payouts?|charges?|card declined)\b/g,
  checkout: /\b(?:checkout|cart|basket)\b/g,
  auth: /\b(?:auth|authentication|authorization|login|logout|sign in|oauth|jwt|sso|sessions?|passwords?)\b/g,
  database:
    /\b(?:database|db|sql|postgres|postgresql|mysql|prisma|drizzle|deadlock|migrations?|redis|mongo|mongodb)\b/g,
  performance:
    /\b(?:latency|slow|p50|p75|p95|p99|duration|performance|timeouts?|timed out|memory|cpu)\b/g,
  network:
    /\b(?:network|econnreset|econnrefused|etimedout|socket|dns|fetch failed|connection refused|connection reset)\b/g,
  frontend:
    /\b(?:frontend|front end|react|browser|dom|render|rendering|hydration|component|css|ios|android)\b/g,
  api: /\b(?:api|apis|endpoints?|graphql|grpc|webhooks?)\b/g,
  infra:
    /\b(?:infra|infrastructure|kubernetes|k8s|pod|container|docker|disk|oom|terraform|aws|gcp|azure)\b/g,
  security: /\b(?:security|vulnerability|xss|csrf|injection|unauthori[sz]ed|forbidden|cve)\b/g,
  jobs: /\b(?:jobs?|cron|worker|workers|queue|queues|scheduler|background|batch|sidekiq|celery)\b/g,
};

export function topicText(event: SourceEvent): string {
  const parts = [
    event.title,
    event.body,
    ...metaStrings(event, "project"),
    ...metaStrings(event, "projects"),
    metaString(event, "culprit") ?? "",
  ];
  return withoutUrls(parts.join("\n"))
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ");
}

/**
 * Topics that appear most often win when more than the cap match; ties go alphabetically, so the same
 * event always gets the same topics.
 */
export function topicsOf(event: SourceEvent): string[] {
  const text = topicText(event);
  const hits = Object.entries(TOPIC_KEYWORDS)
    .map(([topic, pattern]) => ({ topic, count: text.match(pattern)?.length ?? 0 }))
    .filter(({ count }) => count > 0)
    .sort((a, b) => b.count - a.count || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  return hits
    .slice(0, MAX_TOPICS)
    .map(({ topic }) => topic)
    .sort();
}

export function classifyObservation(event: SourceEvent): Classification {
  return { observationType: observationTypeOf(event.sourceType), topics: topicsOf(event) };
}
