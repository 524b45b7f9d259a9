import {
  bigserial,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

export const observationStatuses = ["captured", "below_threshold"] as const;
export type ObservationStatus = (typeof observationStatuses)[number];

export interface ObservationReference {
  type: string;
  id: string;
  url?: string;
  label?: string;
}

/** A person or bot as the workspace knows them, merged across sources by email. */
export const actors = pgTable(
  "actors",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    source: text("source").notNull(),
    externalId: text("external_id").notNull(),
    name: text("name").notNull(),
    email: text("email"),
    avatarUrl: text("avatar_url"),
    observationCount: integer("observation_count").notNull().default(0),
    lastActiveAt: timestamp("last_active_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("actors_workspace_source_external_uq").on(t.workspaceId, t.source, t.externalId),
    index("actors_workspace_email_idx").on(t.workspaceId, t.email),
  ],
);

/**
 * A vector kept as base64 float32 rather than JSON numbers: capture reads dozens of candidate centroids per
 * observation, and decoding bytes is far cheaper than parsing thousands of decimal numbers. Not pgvector,
 * because these migrations must also apply to a Postgres server without it.
 */
export const encodeFloat32 = (values: readonly number[]) =>
  Buffer.from(new Float32Array(values).buffer).toString("base64");

const float32Vector = customType<{ data: number[]; driverData: string }>({
  dataType: () => "text",
  toDriver: encodeFloat32,
  fromDriver: (text) => {
    const bytes = Buffer.from(text, "base64");
    const aligned = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return Array.from(new Float32Array(aligned));
  },
});

/**
 * Observations that are about the same thing. `centroid` is the running mean of its members' content
 * embeddings; `entityKeys` the keys its members share most, kept for the entity-overlap signal.
 */
export const clusters = pgTable(
  "clusters",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    label: text("label").notNull(),
    centroid: float32Vector("centroid").notNull(),
    entityKeys: jsonb("entity_keys").$type<string[]>().notNull().default([]),
    actorIds: jsonb("actor_ids").$type<string[]>().notNull().default([]),
    observationCount: integer("observation_count").notNull().default(0),
    status: text("status").$type<"open" | "closed">().notNull().default("open"),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("clusters_workspace_open_idx").on(t.workspaceId, t.status, t.lastSeenAt),
    // Capture also considers every open cluster that shares an entity with the new observations.
    index("clusters_entity_keys_idx").using("gin", t.entityKeys),
  ],
);

/**
 * One captured fact. The UNIQUE (workspace_id, source_id) key is what makes capture exactly-once: a retry
 * or a concurrent run of the same SourceEvent cannot create a second row. Rows scored below the threshold
 * are kept (status below_threshold, no vectors) so their entities are counted once and a redelivery still
 * dedupes.
 */
export const observations = pgTable(
  "observations",
  {
    id: text("id").primaryKey(),
    // Capture order, finer than `created_at` (a batch shares one transaction time): it breaks ties in
    // upstream time when follow-ups look for the latest event of their thread.
    seq: bigserial("seq", { mode: "number" }).notNull(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    source: text("source").notNull(),
    sourceType: text("source_type").notNull(),
    sourceId: text("source_id").notNull(),
    payloadId: text("payload_id"),
    status: text("status").$type<ObservationStatus>().notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    snippet: text("snippet").notNull(),
    url: text("url"),
    observationType: text("observation_type").notNull(),
    topics: jsonb("topics").$type<string[]>().notNull().default([]),
    significance: integer("significance").notNull(),
    significanceSignals: jsonb("significance_signals")
      .$type<{ name: string; delta: number }[]>()
      .notNull()
      .default([]),
    actorId: text("actor_id").references(() => actors.id, { onDelete: "set null" }),
    clusterId: text("cluster_id").references(() => clusters.id, { onDelete: "set null" }),
    references: jsonb("references").$type<ObservationReference[]>().notNull().default([]),
    /** Keys of the upstream threads it belongs to (`issue:<id>`): how its follow-ups find it. */
    threadKeys: jsonb("thread_keys").$type<string[]>().notNull().default([]),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("observations_workspace_source_id_uq").on(t.workspaceId, t.sourceId),
    index("observations_workspace_occurred_idx").on(t.workspaceId, t.occurredAt),
    // Search catches its in-memory corpus up by capture order: `seq > watermark` per workspace.
    index("observations_workspace_seq_idx").on(t.workspaceId, t.seq),
    index("observations_cluster_idx").on(t.clusterId),
    index("observations_thread_keys_idx").using("gin", t.threadKeys),
  ],
);

/** Identifiers worth finding exactly: short ids, error types, files, endpoints, env vars, commits, … */
export const entities = pgTable(
  "entities",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    category: text("category").notNull(),
    key: text("key").notNull(),
    label: text("label").notNull(),
    occurrenceCount: integer("occurrence_count").notNull().default(0),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("entities_workspace_category_key_uq").on(t.workspaceId, t.category, t.key)],
);

export const observationEntities = pgTable(
  "observation_entities",
  {
    observationId: text("observation_id")
      .notNull()
      .references(() => observations.id, { onDelete: "cascade" }),
    entityId: text("entity_id")
      .notNull()
      .references(() => entities.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.observationId, t.entityId] }),
    index("observation_entities_entity_idx").on(t.entityId),
  ],
);

export const relationshipTypes = ["follows", "resolved_by", "alerts_on", "references"] as const;
export type RelationshipType = (typeof relationshipTypes)[number];

/**
 * Edges from an observation to another observation (`follows`, `alerts_on`) or to something outside the
 * memory that it names (`resolved_by` a commit): `targetKey` identifies the target either way.
 */
export const relationships = pgTable(
  "relationships",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    fromObservationId: text("from_observation_id")
      .notNull()
      .references(() => observations.id, { onDelete: "cascade" }),
    type: text("type").$type<RelationshipType>().notNull(),
    toObservationId: text("to_observation_id").references(() => observations.id, {
      onDelete: "cascade",
    }),
    targetKey: text("target_key").notNull(),
    confidence: real("confidence").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("relationships_edge_uq").on(t.fromObservationId, t.type, t.targetKey),
    index("relationships_to_idx").on(t.toObservationId),
  ],
);

export type Observation = typeof observations.$inferSelect;
export type NewObservation = typeof observations.$inferInsert;
export type Actor = typeof actors.$inferSelect;
export type Cluster = typeof clusters.$inferSelect;
export type Entity = typeof entities.$inferSelect;
export type Relationship = typeof relationships.$inferSelect;
