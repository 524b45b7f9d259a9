import { z } from "zod";

/** The retrieval paths `/v1/search` runs in parallel; each is reported, timed and explained on its own. */
export const searchPaths = ["vector", "entity", "lexical", "cluster", "actor"] as const;
export type SearchPath = (typeof searchPaths)[number];

export const searchModes = ["fast", "balanced", "thorough"] as const;
export type SearchMode = (typeof searchModes)[number];

/** Sentry's issue states; `assigned` is not a state but is asked about like one. */
export const issueStates = ["unresolved", "resolved", "ignored", "assigned", "unassigned"] as const;

const isoDate = z.iso.datetime({ offset: true });

export const searchFiltersSchema = z
  .object({
    sourceTypes: z.array(z.string().min(1)).max(50).optional(),
    observationTypes: z.array(z.string().min(1)).max(50).optional(),
    actorNames: z.array(z.string().min(1)).max(50).optional(),
    projects: z.array(z.string().min(1)).max(50).optional(),
    levels: z.array(z.string().min(1)).max(10).optional(),
    /** The current state of the issue a result belongs to (its latest issue event). */
    status: z.array(z.enum(issueStates)).max(5).optional(),
    dateRange: z
      .object({ start: isoDate.optional(), end: isoDate.optional() })
      .refine((r) => !r.start || !r.end || r.start <= r.end, "start must not be after end")
      .optional(),
  })
  .strict();
export type SearchFilters = z.infer<typeof searchFiltersSchema>;

export const searchRequestSchema = z
  .object({
    query: z.string().trim().min(1).max(1000),
    limit: z.number().int().min(1).max(100).default(10),
    offset: z.number().int().min(0).max(10_000).default(0),
    mode: z.enum(searchModes).default("balanced"),
    groupBy: z.enum(["entity", "none"]).default("entity"),
    filters: searchFiltersSchema.default({}),
    includeContext: z.boolean().default(true),
    includeHighlights: z.boolean().default(true),
    explain: z.boolean().default(false),
  })
  .strict();
/** What a client sends (defaults optional) and what the service works with (defaults applied). */
export type SearchRequestInput = z.input<typeof searchRequestSchema>;
export type SearchRequest = z.output<typeof searchRequestSchema>;

export const searchReferenceSchema = z.object({
  type: z.string(),
  id: z.string(),
  url: z.string().optional(),
  label: z.string().optional(),
});

const pathExplainSchema = z.object({
  rank: z.number().int().min(1),
  score: z.number(),
  /** What matched on this path: a view, an entity key, terms, an actor or a cluster. */
  matched: z.string().optional(),
});

export const searchExplainSchema = z.object({
  paths: z.partialRecord(z.enum(searchPaths), pathExplainSchema),
  fused: z.number(),
  recency: z.number(),
  significance: z.number(),
  /** Feature reranker (balanced) or judge (thorough) contributions, by name. */
  rerank: z.record(z.string(), z.number()),
  final: z.number(),
});
export type SearchExplain = z.infer<typeof searchExplainSchema>;

export const timelineEntrySchema = z.object({
  id: z.string(),
  type: z.string(),
  title: z.string(),
  occurredAt: z.string(),
  actor: z.string().optional(),
});

export const searchResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  snippet: z.string(),
  score: z.number(),
  source: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  /** The upstream thing the result is about: a Sentry issue (short id), a metric alert, or the observation. */
  entity: z.object({ type: z.string(), id: z.string(), state: z.string().nullable() }),
  references: z.array(searchReferenceSchema),
  entities: z.array(z.object({ category: z.string(), key: z.string() })),
  highlights: z.array(z.object({ field: z.enum(["title", "body"]), text: z.string() })),
  timeline: z.array(timelineEntrySchema),
  explain: searchExplainSchema.optional(),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

const pathStatusSchema = z.object({
  status: z.enum(["ok", "error", "timeout", "skipped"]),
  hits: z.number().int().min(0),
  error: z.string().optional(),
});

export const searchLatencySchema = z.object({
  auth: z.number(),
  embedding: z.number(),
  vector: z.number(),
  entity: z.number(),
  lexical: z.number(),
  cluster: z.number(),
  actor: z.number(),
  fuse: z.number(),
  rerank: z.number(),
  enrich: z.number(),
  total: z.number(),
});
export type SearchLatency = z.infer<typeof searchLatencySchema>;

export const searchResponseSchema = z.object({
  data: z.array(searchResultSchema),
  context: z.object({
    clusters: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        observationCount: z.number(),
        score: z.number(),
      }),
    ),
    relevantActors: z.array(
      z.object({ id: z.string(), name: z.string(), observationCount: z.number() }),
    ),
  }),
  meta: z.object({
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    took: z.number(),
    /** The mode that ran: `thorough` without an OpenAI key reports `balanced`. */
    mode: z.enum(searchModes),
    paths: z.record(z.enum(searchPaths), pathStatusSchema),
  }),
  latency: searchLatencySchema,
  requestId: z.string(),
});
export type SearchResponse = z.infer<typeof searchResponseSchema>;

export const apiErrorCodes = [
  "VALIDATION_ERROR",
  "INVALID_JSON",
  "UNAUTHORIZED",
  "RATE_LIMITED",
  "METHOD_NOT_ALLOWED",
  "PAYLOAD_TOO_LARGE",
  "INTERNAL_ERROR",
] as const;

export const apiErrorSchema = z.object({
  error: z.enum(apiErrorCodes),
  message: z.string(),
  requestId: z.string(),
  issues: z.array(z.unknown()).optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/**
 * One observation as search holds it in memory: its row, its actor and its entity keys. The database
 * query returns this shape and the search corpus indexes it.
 */
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
