/** An observation joins the best-scoring cluster only at or above this affinity; else it starts one. */
export const CLUSTER_JOIN_THRESHOLD = 0.55;

/**
 * Meaning dominates. Shared entities (the same short id, file or endpoint) are strong evidence on their
 * own; the same actor and recent activity only break ties between otherwise similar clusters.
 * The weights sum to 1, so the affinity stays in 0..1.
 */
export const AFFINITY_WEIGHTS = {
  similarity: 0.6,
  entities: 0.25,
  actor: 0.05,
  recency: 0.1,
} as const;
/** Three shared entities already make two events about the same thing; more adds nothing. */
export const ENTITY_OVERLAP_SATURATION = 3;
/** Recency decays with a three-day time constant: a cluster quiet for a week barely counts as recent. */
export const RECENCY_DECAY_HOURS = 72;

export interface ClusterAffinityInput {
  /** Cosine similarity of the observation to the cluster centroid; negatives count as 0. */
  similarity: number;
  sharedEntities: number;
  sameActor: boolean;
  hoursSinceLastSeen: number;
}

function clamp01(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

export function clusterAffinity(input: ClusterAffinityInput): number {
  const similarity = clamp01(input.similarity);
  const shared = Number.isFinite(input.sharedEntities) ? Math.max(0, input.sharedEntities) : 0;
  const overlap = Math.min(shared, ENTITY_OVERLAP_SATURATION) / ENTITY_OVERLAP_SATURATION;
  // A clock skewed into the future is treated as "just now", not as more recent than now.
  const hours = Number.isNaN(input.hoursSinceLastSeen) ? Infinity : input.hoursSinceLastSeen;
  const recency = Math.exp(-Math.max(0, hours) / RECENCY_DECAY_HOURS);
  return (
    AFFINITY_WEIGHTS.similarity * similarity +
    AFFINITY_WEIGHTS.entities * overlap +
    AFFINITY_WEIGHTS.actor * (input.sameActor ? 1 : 0) +
    AFFINITY_WEIGHTS.recency * recency
  );
}

function assertSameLength(a: readonly number[], b: readonly number[]): void {
  if (a.length !== b.length) {
    throw new Error(`vector dimensions differ: ${a.length} and ${b.length}`);
  }
}

function norm(vector: readonly number[]): number {
  let sum = 0;
  for (const value of vector) sum += value * value;
  return Math.sqrt(sum);
}

/** Unit length; a zero vector stays zero rather than becoming NaN. */
export function normalize(vector: readonly number[]): number[] {
  const length = norm(vector);
  return length === 0 ? vector.map(() => 0) : vector.map((value) => value / length);
}

/** Cosine similarity; 0 when either vector is zero (no direction means no similarity). */
export function cosine(a: readonly number[], b: readonly number[]): number {
  assertSameLength(a, b);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  const lengths = norm(a) * norm(b);
  return lengths === 0 ? 0 : dot / lengths;
}

/**
 * Folds one more member into a centroid of `count` members. The centroid is stored unit length, so the
 * weighted mean is of directions: each member's vector is normalised first, and the result again so that
 * cosine against it is comparable across clusters of any size.
 */
export function updateCentroid(
  centroid: readonly number[] | null,
  count: number,
  vector: readonly number[],
): number[] {
  const unit = normalize(vector);
  if (centroid === null || !(count > 0)) return unit;
  assertSameLength(centroid, vector);
  const current = normalize(centroid);
  return normalize(current.map((value, i) => (value * count + (unit[i] ?? 0)) / (count + 1)));
}
