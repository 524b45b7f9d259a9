/**
 * The arithmetic under MemoryVectorIndex: a seeded PRNG, a bounded top-k heap, and k-means over rows of a
 * flat Float32Array (Lloyd's iterations on a sample; a cluster left empty restarts from a random row).
 */

/** A small deterministic PRNG (mulberry32): the same rows always give the same lists. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Keeps the `size` best (score, row) pairs seen: a min-heap on score. */
export class TopK {
  readonly scores: Float64Array;
  readonly rows: Int32Array;
  length = 0;

  constructor(readonly size: number) {
    this.scores = new Float64Array(size);
    this.rows = new Int32Array(size);
  }

  get floor(): number {
    return this.length < this.size ? Number.NEGATIVE_INFINITY : this.scores[0]!;
  }

  push(score: number, row: number): void {
    const { scores, rows } = this;
    if (this.length < this.size) {
      let i = this.length++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (scores[parent]! <= score) break;
        scores[i] = scores[parent]!;
        rows[i] = rows[parent]!;
        i = parent;
      }
      scores[i] = score;
      rows[i] = row;
      return;
    }
    if (score <= scores[0]!) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.length) break;
      const right = left + 1;
      const child = right < this.length && scores[right]! < scores[left]! ? right : left;
      if (scores[child]! >= score) break;
      scores[i] = scores[child]!;
      rows[i] = rows[child]!;
      i = child;
    }
    scores[i] = score;
    rows[i] = row;
  }
}

/** The nearest centroid to the point at `at` (Euclidean: the largest p·c - |c|²/2). */
export function nearestCentroid(
  points: Float32Array,
  at: number,
  dimension: number,
  centroids: Float32Array,
  halfNorms: Float32Array,
): number {
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < halfNorms.length; c++) {
    let s = 0;
    for (let j = 0; j < dimension; j++) s += points[at + j]! * centroids[c * dimension + j]!;
    s -= halfNorms[c]!;
    if (s > bestScore) {
      bestScore = s;
      best = c;
    }
  }
  return best;
}

export function kmeans(params: {
  points: Float32Array;
  dimension: number;
  /** Row numbers of the points to learn from. */
  sample: Int32Array;
  clusters: number;
  iterations: number;
  random: () => number;
}): { centroids: Float32Array; halfNorms: Float32Array } {
  const { points, dimension, sample, clusters, iterations } = params;
  const centroids = new Float32Array(clusters * dimension);
  const halfNorms = new Float32Array(clusters);
  const seed = (c: number) => {
    const row = sample[Math.floor(params.random() * sample.length)]!;
    centroids.set(points.subarray(row * dimension, (row + 1) * dimension), c * dimension);
  };
  const refreshNorms = () => {
    for (let c = 0; c < clusters; c++) {
      let s = 0;
      for (let j = 0; j < dimension; j++) s += centroids[c * dimension + j]! ** 2;
      halfNorms[c] = s / 2;
    }
  };
  for (let c = 0; c < clusters; c++) seed(c);
  const sums = new Float64Array(clusters * dimension);
  const counts = new Int32Array(clusters);
  for (let iteration = 0; iteration < iterations; iteration++) {
    refreshNorms();
    sums.fill(0);
    counts.fill(0);
    for (const row of sample) {
      const c = nearestCentroid(points, row * dimension, dimension, centroids, halfNorms);
      counts[c]!++;
      for (let j = 0; j < dimension; j++) sums[c * dimension + j]! += points[row * dimension + j]!;
    }
    for (let c = 0; c < clusters; c++) {
      if (counts[c] === 0) seed(c);
      else {
        for (let j = 0; j < dimension; j++) {
          centroids[c * dimension + j] = sums[c * dimension + j]! / counts[c]!;
        }
      }
    }
  }
  refreshNorms();
  return { centroids, halfNorms };
}
