import { z } from "zod";

export const sources = ["sentry", "github", "vercel", "linear"] as const;
export const sourceSchema = z.enum(sources);
export type Source = z.infer<typeof sourceSchema>;

export const referenceTypes = [
  "issue",
  "project",
  "assignee",
  "release",
  "commit",
  "alert",
  "comment",
  "branch",
  "pr",
  "deployment",
  "cycle",
  "reviewer",
  "team",
  "label",
] as const;

export const referenceSchema = z.object({
  type: z.enum(referenceTypes),
  id: z.string().min(1),
  url: z.string().url().optional(),
  label: z.string().optional(),
});
export type Reference = z.infer<typeof referenceSchema>;

export const actorSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  email: z.string().email().optional(),
  avatarUrl: z.string().url().optional(),
});
export type Actor = z.infer<typeof actorSchema>;

export const TITLE_MAX = 200;

/**
 * The one contract between a provider and everything after it: every webhook, backfill or replay becomes
 * a SourceEvent. `sourceId` is the idempotency key: stable per upstream entity and action, so a repeated
 * delivery of the same fact dedupes. Defined once; every other type is inferred from this schema.
 */
export const sourceEventSchema = z.object({
  source: sourceSchema,
  /** `<resource>.<action>` as the provider names it, e.g. `issue.created`, `metric_alert.critical`. */
  sourceType: z.string().regex(/^[a-z_]+\.[a-z_]+$/, "sourceType is <resource>.<action>"),
  sourceId: z.string().min(1),
  title: z.string().min(1).max(TITLE_MAX),
  body: z.string(),
  actor: actorSchema.nullable(),
  occurredAt: z.string().datetime({ offset: true }),
  references: z.array(referenceSchema),
  metadata: z.record(z.string(), z.unknown()),
});
export type SourceEvent = z.infer<typeof sourceEventSchema>;

/** Titles are capped; a cut keeps whole words where it can and says it was cut. */
export function truncateTitle(title: string): string {
  const clean = title.replace(/\s+/g, " ").trim();
  if (clean.length <= TITLE_MAX) return clean;
  const cut = clean.slice(0, TITLE_MAX - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > TITLE_MAX * 0.6 ? cut.slice(0, space) : cut}…`;
}
