import {
  type ActorInput,
  byRecency,
  type Cluster,
  type ClusterWrite,
  findLatestInThreads,
  listOpenClusters,
  type ObservationStatus,
  type PersistObservationParams,
  persistObservations,
  type RelationshipInput,
  type ThreadMember,
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

const CLUSTER_WINDOW_MS = 14 * 86_400_000;
/** How many of the most recently seen clusters every observation considers (besides entity matches). */
const RECENT_CLUSTERS = 50;
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

/** Centroids are stored as float32: the batch keeps them at the precision a stored one is read back at. */
const float32 = (values: number[]) => Array.from(Float32Array.from(values));

const actorKey = (event: SourceEvent) => (event.actor ? `${event.source}:${event.actor.id}` : null);

type Candidate = Cluster;

/**
 * The last step: decides each observation's cluster and edges, in arrival order and seeing the batch's
 * earlier members as if they had been stored one by one, then writes the whole batch in one transaction.
 * It reads content vectors back from the store rather than carrying 512+ floats per observation through
 * the step journal; the upsert step before it has stored them (or this step fails and is retried).
 */
export async function persistCaptures(
  deps: WorkflowDeps,
  params: { workspaceId: string; facts: readonly CaptureFacts[] },
): Promise<{ created: boolean; mine: boolean; clusterId: string | null }[]> {
  const { workspaceId, facts } = params;
  if (facts.length === 0) return [];
  const captured = facts.filter((f) => f.status === "captured");
  const earliest = Math.min(...facts.map((f) => Date.parse(f.event.occurredAt)));
  // Three independent reads, sent together.
  const [stored, loaded, threads] = await Promise.all([
    deps.vectors.fetch(
      workspaceId,
      captured.map((f) => vectorId("content", f.observationId)),
    ),
    captured.length > 0
      ? listOpenClusters(deps.db, {
          workspaceId,
          since: new Date(earliest - CLUSTER_WINDOW_MS),
          recent: RECENT_CLUSTERS,
          entityKeys: captured.flatMap((f) => f.entities.map(entityKey)),
        })
      : [],
    findLatestInThreads(deps.db, { workspaceId, threadKeys: facts.flatMap((f) => f.threadKeys) }),
  ]);
  const contentOf = new Map(stored.map((v) => [v.metadata.observationId, v.values]));
  for (const f of captured) {
    if (!contentOf.has(f.observationId)) {
      throw new Error(`content vector of ${f.observationId} is missing; retrying`);
    }
  }
  const known = new Map<string, Candidate>(loaded.map((c) => [c.id, c]));
  const clusters = new Map<string, ClusterWrite & { firstSeenAt: Date; lastSeenAt: Date }>();
  const stream = new ThreadStream(threads);

  const items: PersistObservationParams[] = facts.map((f) => {
    const occurredAt = new Date(f.event.occurredAt);
    let clusterId: string | null = null;
    const content = contentOf.get(f.observationId);
    if (f.status === "captured" && content) {
      const write = decideCluster(known, f, content, occurredAt);
      clusterId = write.clusterId;
      const previous = clusters.get(write.clusterId);
      clusters.set(write.clusterId, {
        ...write,
        ...(previous?.kind === "create" ? { kind: "create", label: previous.label } : {}),
        firstSeenAt:
          previous && previous.firstSeenAt < occurredAt ? previous.firstSeenAt : occurredAt,
        lastSeenAt: previous && previous.lastSeenAt > occurredAt ? previous.lastSeenAt : occurredAt,
      } as ClusterWrite & { firstSeenAt: Date; lastSeenAt: Date });
    }
    const relationships = edgesFor(stream.earlier(f), f);
    stream.add(f);
    return {
      observation: {
        id: f.observationId,
        workspaceId,
        source: f.event.source,
        sourceType: f.event.sourceType,
        sourceId: f.event.sourceId,
        payloadId: f.payloadId,
        status: f.status,
        title: f.event.title,
        body: f.event.body,
        snippet: f.snippet,
        url: f.event.references.find((r) => r.url)?.url ?? null,
        observationType: f.observationType,
        topics: f.topics,
        significance: f.significance,
        significanceSignals: f.signals,
        references: f.event.references,
        threadKeys: f.threadKeys,
        metadata: f.event.metadata,
        occurredAt,
        clusterId,
      },
      entities: f.entities,
      actor: f.event.actor
        ? {
            source: f.event.source,
            externalId: f.event.actor.id,
            name: f.event.actor.name,
            email: f.event.actor.email ?? null,
            avatarUrl: f.event.actor.avatarUrl ?? null,
          }
        : null,
      mentioned: mentionedPeople(f.event),
      relationships,
    };
  });
  const results = await persistObservations(deps.db, {
    workspaceId,
    items,
    clusters: [...clusters.values()],
  });
  return results.map((r, i) => ({
    created: r.created,
    // Not created but stored from this payload: an earlier attempt committed and then lost its step record.
    mine: r.created || r.payloadId === facts[i]!.payloadId,
    clusterId: r.clusterId,
  }));
}

/**
 * Joins the open cluster with the best affinity above the threshold, or starts one. The candidates are the
 * clusters seen within the window: the most recent ones and any sharing an entity. `known` is updated in
 * place, so the next observation of the batch sees clusters as this one left them, exactly as if it had
 * been captured alone after it.
 */
function decideCluster(
  known: Map<string, Candidate>,
  facts: CaptureFacts,
  vector: number[],
  occurredAt: Date,
): ClusterWrite {
  const keys = facts.entities.map(entityKey);
  const actor = actorKey(facts.event);
  const inWindow = [...known.values()]
    .filter((c) => c.lastSeenAt.getTime() >= occurredAt.getTime() - CLUSTER_WINDOW_MS)
    .sort(byRecency);
  const candidates = inWindow.filter(
    (c, rank) => rank < RECENT_CLUSTERS || keys.some((k) => c.entityKeys.includes(k)),
  );
  let best: { affinity: number; cluster: Candidate } | undefined;
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
    const cluster = best.cluster;
    cluster.centroid = float32(updateCentroid(cluster.centroid, cluster.observationCount, vector));
    cluster.entityKeys = merge(cluster.entityKeys, keys, MAX_CLUSTER_KEYS);
    cluster.actorIds = merge(cluster.actorIds, actor ? [actor] : [], MAX_CLUSTER_ACTORS);
    cluster.observationCount++;
    if (occurredAt > cluster.lastSeenAt) cluster.lastSeenAt = occurredAt;
    return {
      kind: "join",
      clusterId: cluster.id,
      centroid: cluster.centroid,
      entityKeys: cluster.entityKeys,
      actorIds: cluster.actorIds,
    };
  }
  const started: ClusterWrite = {
    kind: "create",
    // Derived from the observation that starts it, so a retried capture starts the same cluster.
    clusterId: `clu_${facts.observationId.slice(4)}`,
    label: facts.event.title,
    centroid: float32(updateCentroid(null, 0, vector)),
    entityKeys: keys.slice(0, MAX_CLUSTER_KEYS),
    actorIds: actor ? [actor] : [],
  };
  known.set(started.clusterId, {
    id: started.clusterId,
    workspaceId: facts.workspaceId,
    label: started.label,
    status: "open",
    centroid: started.centroid,
    entityKeys: started.entityKeys,
    actorIds: started.actorIds,
    observationCount: 1,
    firstSeenAt: occurredAt,
    lastSeenAt: occurredAt,
  } as Candidate);
  return started;
}

interface ThreadEntry {
  id: string;
  observationType: string;
  occurredAt: number;
  /** Capture order: stored rows by their sequence, this batch's after them in arrival order. */
  order: number;
}

/** The members of each thread, stored and captured so far in this batch. */
class ThreadStream {
  private readonly byThread = new Map<string, ThreadEntry[]>();
  private next = Number.MAX_SAFE_INTEGER / 2;

  constructor(stored: Map<string, ThreadMember[]>) {
    for (const [key, rows] of stored) {
      this.byThread.set(
        key,
        rows.map((r) => ({
          id: r.id,
          observationType: r.observationType,
          occurredAt: r.occurredAt.getTime(),
          order: r.seq,
        })),
      );
    }
  }

  /** Earlier members of the facts' threads, newest first (ties in upstream time go to the later capture). */
  earlier(facts: CaptureFacts): ThreadEntry[] {
    const seen = new Map<string, ThreadEntry>();
    for (const key of facts.threadKeys) {
      for (const entry of this.byThread.get(key) ?? []) {
        if (entry.id !== facts.observationId) seen.set(entry.id, entry);
      }
    }
    return [...seen.values()]
      .sort((a, b) => b.occurredAt - a.occurredAt || b.order - a.order)
      .slice(0, 20);
  }

  add(facts: CaptureFacts): void {
    const entry: ThreadEntry = {
      id: facts.observationId,
      observationType: facts.observationType,
      occurredAt: Date.parse(facts.event.occurredAt),
      order: this.next++,
    };
    for (const key of facts.threadKeys) {
      this.byThread.set(key, [...(this.byThread.get(key) ?? []), entry]);
    }
  }
}

/**
 * Edges, from references alone so every source gets them: an observation follows the latest earlier one in
 * its thread (created -> assigned -> comment -> resolved), an alert points at the issue it names, and a
 * resolution is `resolved_by` the commits it references.
 */
function edgesFor(earlier: ThreadEntry[], facts: CaptureFacts): RelationshipInput[] {
  const edges: RelationshipInput[] = [];
  const occurredAt = Date.parse(facts.event.occurredAt);
  const before = earlier.filter((o) => o.occurredAt <= occurredAt);
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
