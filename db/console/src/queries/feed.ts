import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Executor, jsonOf, rowsOf, textArray } from "../client";
import {
  type Actor,
  actors,
  type Cluster,
  clusters,
  type Entity,
  entities,
  type ObservationReference,
  type ObservationStatus,
  observationEntities,
  observations,
  type RelationshipType,
  relationships,
  type WebhookPayload,
  workspaceWebhookPayloads,
} from "../schema";

/** What one row of the feed shows. */
export interface FeedItem {
  id: string;
  title: string;
  snippet: string;
  source: string;
  sourceType: string;
  observationType: string;
  /** Below-threshold rows are listed too, so an event that scored low is not taken for a lost one. */
  status: ObservationStatus;
  occurredAt: Date;
  actorName: string | null;
  level: string | null;
  /** The observation's project, or the first of an alert's projects. */
  project: string | null;
  /** The Sentry issue key (`PAYMENTS-API-1F`), also for events that name their issue only by number. */
  shortId: string | null;
  issueId: string | null;
  alertId: string | null;
  url: string | null;
  significance: number;
}

/** Where the next page starts: the last row shown, in (occurred_at desc, id desc) order. */
export interface FeedCursor {
  occurredAt: Date;
  id: string;
}

export interface ListFeedParams {
  workspaceId: string;
  /** Each filter is a set of accepted values; an absent or empty list does not filter. */
  sourceTypes?: readonly string[];
  observationTypes?: readonly string[];
  projects?: readonly string[];
  levels?: readonly string[];
  before?: FeedCursor | undefined;
  limit: number;
}

export interface FeedPage {
  items: FeedItem[];
  /** Set only when older rows exist, so a "Load older" link never leads to an empty page. */
  nextBefore: FeedCursor | undefined;
}

/** As the driver answers: a timestamp may come back as text, a count as a string. */
type FeedRow = Omit<FeedItem, "occurredAt"> & { occurredAt: string | Date };

/**
 * The feed row's columns over `o` (observations) and `a` (actors), named as `FeedItem` names them.
 * Project, level and the issue and alert ids live in the provider's `metadata`. An error or comment
 * names its issue only by number; its short id is read from the issue's own observation through the
 * thread key they share (`issue:<number>`, GIN indexed).
 */
const feedColumns = sql`
  o.id, o.title, o.snippet, o.source, o.source_type as "sourceType",
  o.observation_type as "observationType", o.status, o.occurred_at as "occurredAt", o.url,
  o.significance, a.name as "actorName", o.metadata->>'level' as level,
  coalesce(o.metadata->>'project', o.metadata->'projects'->>0) as project,
  coalesce(o.metadata->>'shortId', (
    select i.metadata->>'shortId' from ${observations} i
    where i.workspace_id = o.workspace_id
      and i.thread_keys ? ('issue:' || (o.metadata->>'issueId'))
      and i.metadata ? 'shortId'
    order by i.occurred_at desc, i.id desc
    limit 1
  )) as "shortId",
  o.metadata->>'issueId' as "issueId", o.metadata->>'alertId' as "alertId"`;

const feedFrom = sql`${observations} o
  left join ${actors} a on a.id = o.actor_id and a.workspace_id = o.workspace_id`;

const toFeedItem = <Row extends FeedRow>(r: Row) => ({
  ...r,
  occurredAt: new Date(r.occurredAt),
  significance: Number(r.significance),
});

const listed = (values: readonly string[] | undefined) =>
  values && values.length > 0 ? [...new Set(values)] : undefined;

/**
 * A workspace's observations, newest first. Keyset pagination on (occurred_at, id): rows captured while
 * someone pages never shift or repeat a page, as an offset would.
 */
export async function listFeed(db: Executor, params: ListFeedParams): Promise<FeedPage> {
  const conditions: SQL[] = [sql`o.workspace_id = ${params.workspaceId}`];
  const sourceTypes = listed(params.sourceTypes);
  if (sourceTypes) conditions.push(sql`o.source_type = any(${textArray(sourceTypes)})`);
  const observationTypes = listed(params.observationTypes);
  if (observationTypes) {
    conditions.push(sql`o.observation_type = any(${textArray(observationTypes)})`);
  }
  const levels = listed(params.levels);
  if (levels) conditions.push(sql`(o.metadata->>'level') = any(${textArray(levels)})`);
  const projects = listed(params.projects);
  if (projects) {
    // A metric alert spans several projects (`projects`); it belongs to each of them.
    conditions.push(sql`((o.metadata->>'project') = any(${textArray(projects)})
      or (jsonb_typeof(o.metadata->'projects') = 'array' and o.metadata->'projects' ?| ${textArray(projects)}))`);
  }
  if (params.before) {
    conditions.push(
      sql`(o.occurred_at, o.id) < (${params.before.occurredAt.toISOString()}::timestamptz, ${params.before.id})`,
    );
  }
  const limit = Math.max(1, Math.floor(params.limit));
  const rows = rowsOf<FeedRow>(
    await db.execute(sql`
      select ${feedColumns} from ${feedFrom}
      where ${sql.join(conditions, sql` and `)}
      order by o.occurred_at desc, o.id desc
      limit ${limit + 1}`),
  );
  const items = rows.slice(0, limit).map(toFeedItem);
  const last = items.at(-1);
  return {
    items,
    nextBefore:
      rows.length > limit && last ? { occurredAt: last.occurredAt, id: last.id } : undefined,
  };
}

export interface FeedFacets {
  sourceTypes: string[];
  observationTypes: string[];
  projects: string[];
  levels: string[];
}

/** The values each feed filter can take in this workspace, sorted, for its dropdowns. */
export async function listFeedFacets(
  db: Executor,
  params: { workspaceId: string },
): Promise<FeedFacets> {
  const ws = params.workspaceId;
  // One statement: four round trips through the embedded server would each queue behind capture.
  const rows = rowsOf<{ facet: keyof FeedFacets; value: string }>(
    await db.execute(sql`
      select distinct 'sourceTypes' as facet, source_type as value from ${observations}
        where workspace_id = ${ws}
      union
      select distinct 'observationTypes', observation_type from ${observations}
        where workspace_id = ${ws}
      union
      select distinct 'levels', metadata->>'level' from ${observations}
        where workspace_id = ${ws} and metadata->>'level' is not null
      union
      select distinct 'projects', p.value from ${observations} o
        cross join lateral jsonb_array_elements_text(
          case when jsonb_typeof(o.metadata->'projects') = 'array' then o.metadata->'projects'
            else '[]'::jsonb end
          || case when jsonb_typeof(o.metadata->'project') = 'string'
            then jsonb_build_array(o.metadata->'project') else '[]'::jsonb end
        ) as p(value)
        where o.workspace_id = ${ws}`),
  );
  const facets: FeedFacets = { sourceTypes: [], observationTypes: [], projects: [], levels: [] };
  for (const row of rows) if (row.value !== "") facets[row.facet].push(row.value);
  // Sorted here, not in SQL: PGlite and a server may collate differently.
  const { sourceTypes, observationTypes, projects, levels } = facets;
  for (const list of [sourceTypes, observationTypes, projects, levels]) {
    list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return facets;
}

/** `occurrenceCount`: how many observations in the workspace name it. */
export type ObservationDetailEntity = Pick<
  Entity,
  "id" | "category" | "key" | "label" | "occurrenceCount"
>;

export type ObservationDetailCluster = Pick<
  Cluster,
  "id" | "label" | "observationCount" | "status" | "firstSeenAt" | "lastSeenAt"
>;

export interface ObservationDetailRelationship {
  id: string;
  type: RelationshipType;
  /** `outgoing`: this observation is the edge's source; `incoming`: another observation points here. */
  direction: "outgoing" | "incoming";
  /** `obs:<id>`, `commit:<sha>`, …: what an outgoing edge names when it is not an observation. */
  targetKey: string;
  confidence: number;
  /** The observation at the other end, when it is one (a commit is not). */
  other: { id: string; title: string; observationType: string; occurredAt: Date } | null;
}

export type ObservationDetailPayload = Pick<
  WebhookPayload,
  | "id"
  | "source"
  | "resource"
  | "action"
  | "requestId"
  | "receivedAt"
  | "ingestionSource"
  | "status"
  | "headers"
> & {
  /** The delivery body parsed as JSON, or the stored text when it is not JSON. Not redacted. */
  body: unknown;
};

export interface ObservationDetail extends FeedItem {
  body: string;
  sourceId: string;
  topics: string[];
  references: ObservationReference[];
  metadata: Record<string, unknown>;
  createdAt: Date;
  actor: Pick<Actor, "id" | "name" | "email" | "avatarUrl"> | null;
  entities: ObservationDetailEntity[];
  cluster: ObservationDetailCluster | null;
  relationships: ObservationDetailRelationship[];
  payload: ObservationDetailPayload | null;
}

type DetailRow = FeedRow & {
  body: string;
  sourceId: string;
  topics: string[] | string;
  references: ObservationReference[] | string;
  metadata: Record<string, unknown> | string;
  createdAt: string | Date;
  actorId: string | null;
  actorEmail: string | null;
  actorAvatarUrl: string | null;
  clusterId: string | null;
  payloadId: string | null;
};

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** An observation's edges in one direction, with the observation at the other end when there is one. */
function edgesOf(
  db: Executor,
  params: { workspaceId: string; observationId: string },
  direction: ObservationDetailRelationship["direction"],
) {
  const other = alias(observations, "other");
  const [near, far] =
    direction === "outgoing"
      ? [relationships.fromObservationId, relationships.toObservationId]
      : [relationships.toObservationId, relationships.fromObservationId];
  return db
    .select({
      id: relationships.id,
      type: relationships.type,
      targetKey: relationships.targetKey,
      confidence: relationships.confidence,
      otherId: other.id,
      otherTitle: other.title,
      otherType: other.observationType,
      otherOccurredAt: other.occurredAt,
    })
    .from(relationships)
    .leftJoin(other, and(eq(other.id, far), eq(other.workspaceId, params.workspaceId)))
    .where(and(eq(relationships.workspaceId, params.workspaceId), eq(near, params.observationId)))
    .orderBy(asc(relationships.createdAt), asc(relationships.id))
    .then((rows) =>
      rows.map(
        (r): ObservationDetailRelationship => ({
          id: r.id,
          type: r.type,
          direction,
          targetKey: r.targetKey,
          confidence: r.confidence,
          other:
            r.otherId && r.otherTitle !== null && r.otherType && r.otherOccurredAt
              ? {
                  id: r.otherId,
                  title: r.otherTitle,
                  observationType: r.otherType,
                  occurredAt: r.otherOccurredAt,
                }
              : null,
        }),
      ),
    );
}

/**
 * One observation with everything its page shows, or undefined when it is not in this workspace: every
 * read below is scoped by workspace, so an id from another workspace reveals nothing.
 */
export async function getObservationDetail(
  db: Executor,
  params: { workspaceId: string; observationId: string },
): Promise<ObservationDetail | undefined> {
  const { workspaceId, observationId } = params;
  const [row] = rowsOf<DetailRow>(
    await db.execute(sql`
      select ${feedColumns}, o.body, o.source_id as "sourceId", o.topics, o.references, o.metadata,
        o.created_at as "createdAt", a.id as "actorId", a.email as "actorEmail",
        a.avatar_url as "actorAvatarUrl", o.cluster_id as "clusterId", o.payload_id as "payloadId"
      from ${feedFrom}
      where o.workspace_id = ${workspaceId} and o.id = ${observationId}`),
  );
  if (!row) return undefined;
  const { actorId, actorEmail, actorAvatarUrl, clusterId, payloadId, ...observation } = row;

  const p = workspaceWebhookPayloads;
  const [entityRows, clusterRows, outgoing, incoming, payloadRows] = await Promise.all([
    db
      .select({
        id: entities.id,
        category: entities.category,
        key: entities.key,
        label: entities.label,
        occurrenceCount: entities.occurrenceCount,
      })
      .from(observationEntities)
      .innerJoin(entities, eq(entities.id, observationEntities.entityId))
      .where(
        and(
          eq(observationEntities.observationId, observationId),
          eq(entities.workspaceId, workspaceId),
        ),
      )
      .orderBy(asc(entities.category), asc(entities.key)),
    clusterId
      ? db
          .select({
            id: clusters.id,
            label: clusters.label,
            observationCount: clusters.observationCount,
            status: clusters.status,
            firstSeenAt: clusters.firstSeenAt,
            lastSeenAt: clusters.lastSeenAt,
          })
          .from(clusters)
          .where(and(eq(clusters.id, clusterId), eq(clusters.workspaceId, workspaceId)))
      : [],
    edgesOf(db, params, "outgoing"),
    edgesOf(db, params, "incoming"),
    // Capture records the delivery an observation came from in `payload_id` (null for rows made
    // without one, e.g. imports). The delivery must be bound to the same workspace too.
    payloadId
      ? db
          .select({
            id: p.id,
            source: p.source,
            resource: p.resource,
            action: p.action,
            requestId: p.requestId,
            receivedAt: p.receivedAt,
            ingestionSource: p.ingestionSource,
            status: p.status,
            headers: p.headers,
            body: p.body,
          })
          .from(p)
          .where(and(eq(p.id, payloadId), eq(p.workspaceId, workspaceId)))
      : [],
  ]);

  const payload = payloadRows[0];
  return {
    ...toFeedItem(observation),
    topics: jsonOf(row.topics),
    references: jsonOf(row.references),
    metadata: jsonOf(row.metadata),
    createdAt: new Date(row.createdAt),
    actor:
      actorId && row.actorName !== null
        ? { id: actorId, name: row.actorName, email: actorEmail, avatarUrl: actorAvatarUrl }
        : null,
    entities: entityRows,
    cluster: clusterRows[0] ?? null,
    relationships: [...outgoing, ...incoming],
    payload: payload ? { ...payload, body: parseBody(payload.body) } : null,
  };
}
