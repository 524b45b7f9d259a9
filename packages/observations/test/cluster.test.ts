import { describe, expect, it } from "vitest";
import {
  AFFINITY_WEIGHTS,
  CLUSTER_JOIN_THRESHOLD,
  clusterAffinity,
  cosine,
  normalize,
  updateCentroid,
} from "../src/cluster";

const length = (v: number[]) => Math.hypot(...v);
const base = { similarity: 0.5, sharedEntities: 0, sameActor: false, hoursSinceLastSeen: 24 };

describe("clusterAffinity", () => {
  it("is bounded by 0 and the sum of the weights, which is 1", () => {
    const weights = Object.values(AFFINITY_WEIGHTS).reduce((sum, w) => sum + w, 0);
    expect(weights).toBeCloseTo(1, 12);
    const best = { similarity: 1, sharedEntities: 10, sameActor: true, hoursSinceLastSeen: 0 };
    expect(clusterAffinity(best)).toBeCloseTo(1, 12);
    const worst = {
      similarity: -0.4,
      sharedEntities: 0,
      sameActor: false,
      hoursSinceLastSeen: 1e9,
    };
    expect(clusterAffinity(worst)).toBeCloseTo(0, 12);
  });

  it("blends similarity, entity overlap, actor and recency with the documented weights", () => {
    const input = { similarity: 0.8, sharedEntities: 2, sameActor: true, hoursSinceLastSeen: 72 };
    const expected = 0.6 * 0.8 + 0.25 * (2 / 3) + 0.05 + 0.1 * Math.exp(-1);
    expect(clusterAffinity(input)).toBeCloseTo(expected, 12);
  });

  it("rises with each signal and saturates entity overlap at three", () => {
    const a = clusterAffinity(base);
    expect(clusterAffinity({ ...base, similarity: 0.7 })).toBeGreaterThan(a);
    expect(clusterAffinity({ ...base, sharedEntities: 1 })).toBeGreaterThan(a);
    expect(clusterAffinity({ ...base, sameActor: true })).toBeGreaterThan(a);
    expect(clusterAffinity({ ...base, hoursSinceLastSeen: 1 })).toBeGreaterThan(a);
    expect(clusterAffinity({ ...base, sharedEntities: 3 })).toBe(
      clusterAffinity({ ...base, sharedEntities: 30 }),
    );
    // A timestamp in the future counts as now, not as more recent than now.
    expect(clusterAffinity({ ...base, hoursSinceLastSeen: -5 })).toBe(
      clusterAffinity({ ...base, hoursSinceLastSeen: 0 }),
    );
  });

  it("lets near-duplicates join on meaning alone but not unrelated events on recency alone", () => {
    const duplicate = {
      similarity: 0.92,
      sharedEntities: 0,
      sameActor: false,
      hoursSinceLastSeen: 500,
    };
    expect(clusterAffinity(duplicate)).toBeGreaterThanOrEqual(CLUSTER_JOIN_THRESHOLD);
    const unrelated = {
      similarity: 0.2,
      sharedEntities: 0,
      sameActor: true,
      hoursSinceLastSeen: 0,
    };
    expect(clusterAffinity(unrelated)).toBeLessThan(CLUSTER_JOIN_THRESHOLD);
  });
});

describe("cosine", () => {
  it("measures angle, not length", () => {
    expect(cosine([1, 0], [5, 0])).toBeCloseTo(1, 12);
    expect(cosine([1, 0], [0, 3])).toBeCloseTo(0, 12);
    expect(cosine([1, 1], [-2, -2])).toBeCloseTo(-1, 12);
    expect(cosine([1, 2, 3], [2, 4, 6.0001])).toBeCloseTo(1, 6);
    expect(cosine([0, 0], [1, 1])).toBe(0);
    expect(() => cosine([1, 0], [1, 0, 0])).toThrow(/dimensions/);
  });
});

describe("updateCentroid", () => {
  it("starts a cluster at the unit-length vector", () => {
    expect(updateCentroid(null, 0, [3, 4])).toEqual([0.6, 0.8]);
    expect(normalize([0, 0])).toEqual([0, 0]);
  });

  it("is the normalised running mean of the members' directions", () => {
    const two = updateCentroid(updateCentroid(null, 0, [1, 0]), 1, [0, 2]);
    expect(two[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(two[1]).toBeCloseTo(Math.SQRT1_2, 12);
    // Three members along x, one along y: the mean direction is (3, 1) / sqrt(10).
    const four = updateCentroid([1, 0], 3, [0, 1]);
    expect(four[0]).toBeCloseTo(3 / Math.sqrt(10), 12);
    expect(four[1]).toBeCloseTo(1 / Math.sqrt(10), 12);
  });

  it("moves less for each new member as the cluster grows, and always stays unit length", () => {
    const newcomer = [0, 1, 0];
    const small = updateCentroid([1, 0, 0], 1, newcomer);
    const large = updateCentroid([1, 0, 0], 50, newcomer);
    expect(cosine(small, newcomer)).toBeGreaterThan(cosine(large, newcomer));
    for (const v of [small, large]) expect(length(v)).toBeCloseTo(1, 12);
    expect(() => updateCentroid([1, 0], 2, [1, 0, 0])).toThrow(/dimensions/);
  });
});
