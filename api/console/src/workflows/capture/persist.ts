import {
  type ActorInput,
  type ClusterWrite,
  findObservationsInThreads,
  listOpenClusters,
  type ObservationStatus,
  persistObservation,
  type RelationshipInput,
} from "@db/console";
import {
  CLUSTER_JOIN_THRESHOLD,
  clusterAffinity,
  cosine,
  updateCentroid,
} from "@repo/observations";
import type { SourceEvent } from "@repo/schemas";
import { vectorId } from "@repo/vectors";
import type { WorkflowDeps } from "../types";
import { entityKey } from "./vectors";

const CLUSTER_WINDOW_DAYS = 14;
const MAX_CLUSTER_KEYS = 30;
const MAX_CLUSTER_ACTORS = 20;

export interface CaptureFacts {
  workspaceId: string;
  observationId: string;
  payloadId: string;
  event: SourceEvent;
  status: ObservationStatus;
  significance: number;
  signals: { name: string; delta: number }[];
  observationType: string;
  topics: string[];
  entities: { category: string; key: string; label: string }[];
  snippet: string;
  threadKeys: string[];
}

const actorKey = (event: SourceEvent) => (event.actor ? `${event.source}:${event.actor.id}` : null);

/**
 * The last step: decides the cluster and the edges, then writes everything in one transaction. It reads the
 * content vector back from the store rather than carrying 512+ floats through the step journal; the
 * upsert step before it has stored it (or this step fails and is retried).
 */
export async function persistCapture(
  deps: WorkflowDeps,
  facts: CaptureFacts,
): Promise<{ created: boolean; mine: boolean; clusterId: string | null }> {
  const { event, workspaceId, observationId } = facts;
  const occurredAt = new Date(event.occurredAt);
  let cluster: ClusterWrite | null = null;
  if (facts.status === "captured") {
    const [content] = await deps.vectors.fetch(workspaceId, [vectorId("content", observationId)]);
    if (!content) throw new Error(`content vector of ${observationId} is missing; retrying`);
    cluster = await decideCluster(deps, facts, content.values, occurredAt);
  }
  const result = await persistObservation(deps.db, {
    observation: {
      id: observationId,
      workspaceId,
      source: event.source,
      sourceType: event.sourceType,
      sourceId: event.sourceId,
      payloadId: facts.payloadId,
      status: facts.status,
      title: event.title,
      body: event.body,
      snippet: facts.snippet,
      url: event.references.find((r) => r.url)?.url ?? null,
      observationType: facts.observationType,
      topics: facts.topics,
      significance: facts.significance,
      significanceSignals: facts.signals,
      references: event.references,
      threadKeys: facts.threadKeys,
      metadata: event.metadata,
      occurredAt,
    },
    entities: facts.entities,
    actor: event.actor
      ? {
          source: event.source,
          externalId: event.actor.id,
          name: event.actor.name,
          email: event.actor.email ?? null,
          avatarUrl: event.actor.avatarUrl ?? null,
        }
      : null,
    mentioned: mentionedPeople(event),
    cluster,
    relationships: await edgesFor(deps, facts),
  });
  return {
    created: result.created,
    // Not created but stored from this payload: an earlier attempt committed and then lost its step record.
    mine: result.created || result.payloadId === facts.payloadId,
    clusterId: result.clusterId,
  };
}

/** Joins the open cluster with the best affinity above the threshold, or starts one. */
async function decideCluster(
  deps: WorkflowDeps,
  facts: CaptureFacts,
  vector: number[],
  occurredAt: Date,
): Promise<ClusterWrite> {
  const keys = facts.entities.map(entityKey);
  const actor = actorKey(facts.event);
  const candidates = await listOpenClusters(deps.db, {
    workspaceId: facts.workspaceId,
    since: new Date(occurredAt.getTime() - CLUSTER_WINDOW_DAYS * 86_400_000),
  });
  let best: { affinity: number; cluster: (typeof candidates)[number] } | undefined;
  for (const candidate of candidates) {
    const shared = keys.filter((k) => candidate.entityKeys.includes(k)).length;
    const affinity = clusterAffinity({
      similarity: Math.max(0, cosine(candidate.centroid, vector)),
      sharedEntities: shared,
      sameActor: actor !== null && candidate.actorIds.includes(actor),
      hoursSinceLastSeen:
        Math.abs(occurredAt.getTime() - candidate.lastSeenAt.getTime()) / 3_600_000,
    });
    if (!best || affinity > best.affinity) best = { affinity, cluster: candidate };
  }
  const merge = (current: string[], added: string[], cap: number) =>
    [...new Set([...added, ...current])].slice(0, cap);
  if (best && best.affinity >= CLUSTER_JOIN_THRESHOLD) {
    return {
      kind: "join",
      clusterId: best.cluster.id,
      centroid: updateCentroid(best.cluster.centroid, best.cluster.observationCount, vector),
      entityKeys: merge(best.cluster.entityKeys, keys, MAX_CLUSTER_KEYS),
      actorIds: merge(best.cluster.actorIds, actor ? [actor] : [], MAX_CLUSTER_ACTORS),
    };
  }
  return {
    kind: "create",
    // Derived from the observation that starts it, so a retried capture starts the same cluster.
    clusterId: `clu_${facts.observationId.slice(4)}`,
    label: facts.event.title,
    centroid: updateCentroid(null, 0, vector),
    entityKeys: keys.slice(0, MAX_CLUSTER_KEYS),
    actorIds: actor ? [actor] : [],
  };
}

/**
 * Edges, from references alone so every source gets them: an observation follows the latest earlier one in
 * its thread (created -> assigned -> comment -> resolved), an alert points at the issue it names, and a
 * resolution is `resolved_by` the commits it references.
 */
async function edgesFor(deps: WorkflowDeps, facts: CaptureFacts): Promise<RelationshipInput[]> {
  const edges: RelationshipInput[] = [];
  const earlier = await findObservationsInThreads(deps.db, {
    workspaceId: facts.workspaceId,
    threadKeys: facts.threadKeys,
    excludeId: facts.observationId,
  });
  const occurredAt = new Date(facts.event.occurredAt).getTime();
  const before = earlier.filter((o) => o.occurredAt.getTime() <= occurredAt);
  if (facts.observationType === "alert" || facts.observationType === "incident") {
    const first = earlier.at(-1);
    if (first)
      edges.push({ type: "alerts_on", toObservationId: first.id, targetKey: `obs:${first.id}` });
  } else {
    const previous = before[0] ?? earlier[0];
    if (previous) {
      edges.push({
        type: "follows",
        toObservationId: previous.id,
        targetKey: `obs:${previous.id}`,
      });
    }
  }
  if (facts.observationType === "resolution") {
    for (const ref of facts.event.references) {
      if (ref.type === "commit") {
        edges.push({ type: "resolved_by", toObservationId: null, targetKey: `commit:${ref.id}` });
      }
    }
  }
  return edges;
}

/** People an event names without being its actor (an assignee known by email). */
function mentionedPeople(event: SourceEvent): ActorInput[] {
  return event.references
    .filter((r) => r.type === "assignee" && r.id.includes("@"))
    .map((r) => ({
      source: event.source,
      externalId: r.id.toLowerCase(),
      name: r.label ?? r.id,
      email: r.id.toLowerCase(),
    }));
}
