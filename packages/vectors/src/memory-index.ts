/**
 * An approximate nearest-neighbour index held in memory, for the embedded default's search. pgvector in
 * PGlite's WebAssembly spends ~1.3 µs on every row an IVFFlat probe touches (a 100k-observation workspace:
 * ~30 ms per query); the same cosine over an int8 copy in this process costs ~0.3 µs and no round trip.
 *
 * - Rows are stored as int8 with one float per row (`cosine ≈ factor · q·code`), a quarter of float32's
 *   memory, with rank errors far below the embedders' own noise.
 * - Coarse lists (IVF) are learnt by k-means in a 32-d sparse random projection of the rows, so learning
 *   and assigning cost 12x less than in the full space; a query then reads its nearest lists in full.
 * - Below MIN_TRAIN rows every query is an exact scan; lists are learnt at MIN_TRAIN and again at each
 *   fourfold growth (the k-means runs in the caller's thread: ~2 s at 300k rows, once per growth).
 *
 * Keys are the caller's integers; `accept` filters them during the scan, and probing goes on past the
 * planned lists until enough accepted rows are found (as pgvector's iterative scan does).
 */

import { kmeans, nearestCentroid, random, TopK } from "./kmeans";

export interface MemoryMatch {
  key: number;
  /** Cosine similarity, approximate to about 1e-2. */
  score: number;
}

export interface MemoryIndexOptions {
  dimension: number;
  /** Rows before lists are learnt (exact scans until then). */
  minTrain?: number;
  /**
   * Learn lists as rows arrive (default). A bulk load turns it off and calls `train()` once at the end,
   * instead of learning at every fourfold growth on the way.
   */
  autoTrain?: boolean;
}

const MIN_TRAIN = 8192;
const GROWTH = 4;
const PROJECTED = 32;
const MAX_LISTS = 256;
const KMEANS_ITERATIONS = 6;
/** Rows a query reads at least: a share of the index, never fewer than MIN_SCAN. */
const SCAN_FRACTION = 0.06;
const MIN_SCAN = 4096;
const ACCEPTED_PER_RESULT = 8;
/** Lists nearest in the projection among which a row's list is chosen in the full space. */
const REFINE = 8;

export class MemoryVectorIndex {
  readonly dimension: number;
  private readonly minTrain: number;
  private autoTrain: boolean;
  private codes: Int8Array;
  private factors: Float32Array;
  private keys: Int32Array;
  private projected: Float32Array;
  private rows = 0;
  /** For each projected coordinate, the input coordinates added (+1) and subtracted (-1). */
  private readonly plus: Int32Array[] = [];
  private readonly minus: Int32Array[] = [];
  private centroids: Float32Array | undefined;
  private halfNorms: Float32Array | undefined;
  /** Each list's mean row in the full space: a query ranks lists by these, not by the projection. */
  private means: Float32Array | undefined;
  private lists: number[][] = [];
  private trainedAt = 0;
  /** Rows laid out list by list (see `pack`); rows added since sit after them. */
  private packedRows = 0;

  constructor(options: MemoryIndexOptions) {
    const { dimension } = options;
    if (!Number.isInteger(dimension) || dimension < 1) {
      throw new Error(`memory index dimension must be a positive integer (got ${dimension})`);
    }
    this.dimension = dimension;
    this.minTrain = options.minTrain ?? MIN_TRAIN;
    this.autoTrain = options.autoTrain ?? true;
    this.codes = new Int8Array(1024 * dimension);
    this.factors = new Float32Array(1024);
    this.keys = new Int32Array(1024);
    this.projected = new Float32Array(1024 * PROJECTED);
    // Achlioptas' sparse projection: each entry +1 or -1 with probability 1/6, else 0.
    const next = random(0x5eed);
    for (let j = 0; j < PROJECTED; j++) {
      const plus: number[] = [];
      const minus: number[] = [];
      for (let i = 0; i < dimension; i++) {
        const r = next();
        if (r < 1 / 6) plus.push(i);
        else if (r < 1 / 3) minus.push(i);
      }
      this.plus.push(Int32Array.from(plus));
      this.minus.push(Int32Array.from(minus));
    }
  }

  get size(): number {
    return this.rows;
  }

  /** Bytes held for rows (codes, factors, keys, projections), for callers that bound memory. */
  get bytes(): number {
    return this.codes.byteLength + this.projected.byteLength + 8 * this.keys.length;
  }

  add(key: number, values: ArrayLike<number>): void {
    const { dimension } = this;
    if (values.length !== dimension) {
      throw new Error(`memory index expects ${dimension} dimensions, got ${values.length}`);
    }
    if (this.rows === this.keys.length) this.grow();
    const row = this.rows++;
    let maxAbs = 0;
    let norm = 0;
    for (let i = 0; i < dimension; i++) {
      const v = values[i]!;
      norm += v * v;
      if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
    }
    const base = row * dimension;
    if (maxAbs === 0) {
      this.factors[row] = 0;
    } else {
      const scale = 127 / maxAbs;
      for (let i = 0; i < dimension; i++) this.codes[base + i] = Math.round(values[i]! * scale);
      this.factors[row] = maxAbs / 127 / Math.sqrt(norm);
    }
    this.keys[row] = key;
    this.project(values, Math.sqrt(norm) || 1, this.projected, row * PROJECTED);
    if (this.centroids) {
      this.lists[this.assign(row)]!.push(row);
      if (this.rows - this.packedRows > Math.max(MIN_SCAN, this.packedRows / 4)) this.pack();
    }
    if (this.autoTrain && this.trainingDue) this.learn();
  }

  private get trainingDue(): boolean {
    return this.rows >= this.minTrain && (!this.centroids || this.rows >= GROWTH * this.trainedAt);
  }

  /** Learns lists now if they are due, and learns them as rows arrive from now on. */
  train(): void {
    this.autoTrain = true;
    if (this.trainingDue) this.learn();
  }

  /** The rows most similar to `query` (cosine), best first, among keys `accept` lets through. */
  search(query: ArrayLike<number>, topK: number, accept?: (key: number) => boolean): MemoryMatch[] {
    const { dimension } = this;
    if (query.length !== dimension) {
      throw new Error(`memory index expects ${dimension} dimensions, got ${query.length}`);
    }
    if (topK < 1 || this.rows === 0) return [];
    let norm = 0;
    for (let i = 0; i < dimension; i++) norm += query[i]! * query[i]!;
    norm = Math.sqrt(norm);
    if (norm === 0) return [];
    const q = new Float32Array(dimension);
    for (let i = 0; i < dimension; i++) q[i] = query[i]! / norm;
    const top = new TopK(topK);
    const scan = { top, accept, accepted: 0 };
    if (!this.centroids) {
      this.scanRows(null, q, scan);
    } else {
      const planned = Math.max(MIN_SCAN, this.rows * SCAN_FRACTION);
      let scanned = 0;
      for (const list of this.listsByDistance(q)) {
        // Past the planned share, a selective filter keeps the probe going until it has seen several
        // times topK accepted rows: the best few of barely topK candidates would be a poor top.
        if (scanned >= planned && scan.accepted >= ACCEPTED_PER_RESULT * topK) break;
        const rows = this.lists[list]!;
        this.scanRows(rows, q, scan);
        scanned += rows.length;
      }
    }
    const out: MemoryMatch[] = [];
    for (let i = 0; i < top.length; i++) {
      out.push({ key: this.keys[top.rows[i]!]!, score: top.scores[i]! });
    }
    return out.sort((a, b) => b.score - a.score || a.key - b.key);
  }

  /** Scores `rows` (all rows when null) into the scan's top: the hot loop, kept to local variables. */
  private scanRows(
    rows: readonly number[] | null,
    q: Float32Array,
    scan: { top: TopK; accept: ((key: number) => boolean) | undefined; accepted: number },
  ): void {
    const { codes, factors, keys, dimension } = this;
    const { top, accept } = scan;
    const end = dimension - (dimension % 4);
    const count = rows ? rows.length : this.rows;
    let accepted = 0;
    for (let k = 0; k < count; k++) {
      const row = rows ? rows[k]! : k;
      if (accept && !accept(keys[row]!)) continue;
      accepted++;
      const base = row * dimension;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < end; i += 4) {
        s0 += q[i]! * codes[base + i]!;
        s1 += q[i + 1]! * codes[base + i + 1]!;
        s2 += q[i + 2]! * codes[base + i + 2]!;
        s3 += q[i + 3]! * codes[base + i + 3]!;
      }
      for (let i = end; i < dimension; i++) s0 += q[i]! * codes[base + i]!;
      const score = (s0 + s1 + s2 + s3) * factors[row]!;
      if (score > top.floor) top.push(score, row);
    }
    scan.accepted += accepted;
  }

  private project(values: ArrayLike<number>, norm: number, out: Float32Array, at: number): void {
    for (let j = 0; j < PROJECTED; j++) {
      let s = 0;
      const plus = this.plus[j]!;
      const minus = this.minus[j]!;
      for (let k = 0; k < plus.length; k++) s += values[plus[k]!]!;
      for (let k = 0; k < minus.length; k++) s -= values[minus[k]!]!;
      out[at + j] = s / norm;
    }
  }

  /** Lists ordered by how similar their mean row is to the query (full space), most similar first. */
  private listsByDistance(q: Float32Array): number[] {
    const { dimension } = this;
    const means = this.means!;
    const scores = new Float64Array(this.lists.length);
    for (let c = 0; c < this.lists.length; c++) {
      let s = 0;
      for (let i = 0; i < dimension; i++) s += q[i]! * means[c * dimension + i]!;
      scores[c] = s;
    }
    return Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!);
  }

  /** The unit-length rows of each list, summed then normalised. */
  private computeMeans(): void {
    const { dimension } = this;
    const means = new Float32Array(this.lists.length * dimension);
    this.lists.forEach((rows, c) => {
      const at = c * dimension;
      for (const row of rows) {
        const factor = this.factors[row]!;
        const base = row * dimension;
        for (let i = 0; i < dimension; i++) means[at + i]! += this.codes[base + i]! * factor;
      }
      let norm = 0;
      for (let i = 0; i < dimension; i++) norm += means[at + i]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < dimension; i++) means[at + i]! /= norm;
    });
    this.means = means;
  }

  private nearestList(row: number): number {
    return nearestCentroid(
      this.projected,
      row * PROJECTED,
      PROJECTED,
      this.centroids!,
      this.halfNorms!,
    );
  }

  /**
   * A row's list: the REFINE lists nearest in the projection, then of those the one whose mean is most
   * similar in the full space. The projection alone misplaces rows near a boundary, which a query
   * ranking lists by their means would then miss.
   */
  private assign(row: number): number {
    const { dimension } = this;
    const at = row * PROJECTED;
    const centroids = this.centroids!;
    const halfNorms = this.halfNorms!;
    const means = this.means!;
    const best = new Int32Array(REFINE).fill(-1);
    const bestScores = new Float64Array(REFINE).fill(Number.NEGATIVE_INFINITY);
    for (let c = 0; c < halfNorms.length; c++) {
      let s = 0;
      for (let j = 0; j < PROJECTED; j++)
        s += this.projected[at + j]! * centroids[c * PROJECTED + j]!;
      s -= halfNorms[c]!;
      if (s <= bestScores[REFINE - 1]!) continue;
      let k = REFINE - 1;
      while (k > 0 && bestScores[k - 1]! < s) {
        bestScores[k] = bestScores[k - 1]!;
        best[k] = best[k - 1]!;
        k--;
      }
      bestScores[k] = s;
      best[k] = c;
    }
    const base = row * dimension;
    let chosen = best[0]!;
    let chosenScore = Number.NEGATIVE_INFINITY;
    for (const c of best) {
      if (c < 0) continue;
      let s = 0;
      for (let i = 0; i < dimension; i++) s += this.codes[base + i]! * means[c * dimension + i]!;
      if (s > chosenScore) {
        chosenScore = s;
        chosen = c;
      }
    }
    return chosen;
  }

  /** k-means on a sample of the projected rows, then every row assigned to its nearest list. */
  private learn(): void {
    const lists = Math.min(MAX_LISTS, Math.max(16, Math.round(Math.sqrt(this.rows) / 2)));
    const next = random(this.rows);
    const sampleSize = Math.min(this.rows, lists * 32);
    const sample = Int32Array.from({ length: sampleSize }, (_, i) =>
      Math.min(this.rows - 1, Math.floor((i + next()) * (this.rows / sampleSize))),
    );
    const { centroids, halfNorms } = kmeans({
      points: this.projected,
      dimension: PROJECTED,
      sample,
      clusters: lists,
      iterations: KMEANS_ITERATIONS,
      random: next,
    });
    this.centroids = centroids;
    this.halfNorms = halfNorms;
    // Means from the sample first, so that every row's assignment can be refined in the full space.
    this.lists = Array.from({ length: lists }, () => []);
    for (const row of sample) this.lists[this.nearestList(row)]!.push(row);
    this.computeMeans();
    this.lists = Array.from({ length: lists }, () => []);
    for (let row = 0; row < this.rows; row++) this.lists[this.assign(row)]!.push(row);
    this.computeMeans();
    this.trainedAt = this.rows;
    this.pack();
  }

  /**
   * Lays the rows out list by list, so a probe reads each list's rows in one sweep of memory instead of
   * jumping across the whole index (scattered rows cost ~2x in cache misses). Done after learning, and
   * again once a quarter more rows have arrived since.
   */
  private pack(): void {
    const { dimension } = this;
    const moved = new Int32Array(this.rows);
    const codes = new Int8Array(this.codes.length);
    const factors = new Float32Array(this.factors.length);
    const keys = new Int32Array(this.keys.length);
    const projected = new Float32Array(this.projected.length);
    let next = 0;
    for (const rows of this.lists) {
      for (const row of rows) {
        codes.set(this.codes.subarray(row * dimension, (row + 1) * dimension), next * dimension);
        projected.set(
          this.projected.subarray(row * PROJECTED, (row + 1) * PROJECTED),
          next * PROJECTED,
        );
        factors[next] = this.factors[row]!;
        keys[next] = this.keys[row]!;
        moved[row] = next++;
      }
    }
    this.codes = codes;
    this.factors = factors;
    this.keys = keys;
    this.projected = projected;
    this.lists = this.lists.map((rows) => rows.map((row) => moved[row]!));
    this.packedRows = this.rows;
  }

  private grow(): void {
    const capacity = this.keys.length * 2;
    const codes = new Int8Array(capacity * this.dimension);
    codes.set(this.codes);
    this.codes = codes;
    const factors = new Float32Array(capacity);
    factors.set(this.factors);
    this.factors = factors;
    const keys = new Int32Array(capacity);
    keys.set(this.keys);
    this.keys = keys;
    const projected = new Float32Array(capacity * PROJECTED);
    projected.set(this.projected);
    this.projected = projected;
  }
}
