/**
 * Returns a unit-length copy. A zero vector has no direction, so it is an error
 * here rather than a silent NaN that would poison every similarity computed from it later.
 */
export function normalize(vector: ArrayLike<number>): number[] {
  let sumOfSquares = 0;
  for (let i = 0; i < vector.length; i++) {
    const value = vector[i]!;
    sumOfSquares += value * value;
  }
  const length = Math.sqrt(sumOfSquares);
  if (!Number.isFinite(length) || length === 0) {
    throw new Error("Cannot normalise an embedding with zero or non-finite length");
  }
  const out = new Array<number>(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]! / length;
  return out;
}

/** Cosine similarity; for the unit vectors every provider returns this is just the dot product. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) {
    throw new Error(`Cannot compare a ${a.length}-d vector with a ${b.length}-d vector`);
  }
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
