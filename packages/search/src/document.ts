import { z } from "zod";

/** One observation as search sees it: what the database holds, flattened, plus its entity keys. */
export const searchDocumentSchema = z.object({
  id: z.string(),
  seq: z.number(),
  source: z.string(),
  sourceType: z.string(),
  observationType: z.string(),
  status: z.string(),
  title: z.string(),
  body: z.string(),
  snippet: z.string(),
  url: z.string().nullable(),
  occurredAt: z.string(),
  significance: z.number(),
  actor: z.object({ id: z.string(), name: z.string(), email: z.string().nullable() }).nullable(),
  clusterId: z.string().nullable(),
  references: z.array(
    z.object({
      type: z.string(),
      id: z.string(),
      url: z.string().optional(),
      label: z.string().optional(),
    }),
  ),
  threadKeys: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()),
  entities: z.array(z.object({ category: z.string(), key: z.string() })),
});
export type SearchDocument = z.infer<typeof searchDocumentSchema>;

/** What a result is about: a Sentry issue, a metric alert, or (for anything else) the observation itself. */
export interface Subject {
  type: "issue" | "alert" | "observation";
  id: string;
}

export const subjectKey = (s: Subject) => `${s.type}:${s.id}`;
