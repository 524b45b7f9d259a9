import type { EmbeddingInput, EmbeddingProvider } from "./types";
import { normalize } from "./vector-math";

export const DEFAULT_LEXICAL_DIMENSION = 384;

export interface LexicalEmbeddingOptions {
  /** Number of hash buckets. More buckets mean fewer collisions between unrelated features. */
  dimension?: number | undefined;
}

/*
 * Per-family weights. A word of n letters yields n + 1 character trigrams but only one unigram, so
 * trigrams are weighted down to stop them drowning the words; they are there to catch typos and partial
 * identifiers, not to decide the ranking on their own. Bigrams reward matching phrases.
 */
const UNIGRAM_WEIGHT = 1;
const SUBWORD_WEIGHT = 0.6;
const BIGRAM_WEIGHT = 0.6;
const TRIGRAM_WEIGHT = 0.3;

/** Letters, digits and underscores; everything else separates words, so `user.id` and `user id` match. */
const WORD_PATTERN = /[\p{L}\p{N}_]+/gu;

/** FNV-1a over UTF-16 code units: tiny, dependency-free and stable across processes and platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's finaliser: FNV's low bits are weak, and the bucket comes from the low bits. */
function mix(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** `getUserById` -> get, user, by, id; `max_retry_count` -> max, retry, count. Lower-cased. */
function splitIdentifier(word: string): string[] {
  return word
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, "$1 $2")
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2")
    .split(/[\s_]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.toLowerCase());
}

interface Feature {
  count: number;
  /** The strongest family that produced it: `user` as a whole word outranks `user` inside `getUser`. */
  weight: number;
}

/** Feature counts, keyed with a family prefix so `ab` the word and `ab` the trigram differ. */
function extractFeatures(text: string): Map<string, Feature> {
  const features = new Map<string, Feature>();
  const add = (key: string, weight: number) => {
    const feature = features.get(key);
    if (feature) {
      feature.count += 1;
      feature.weight = Math.max(feature.weight, weight);
    } else {
      features.set(key, { count: 1, weight });
    }
  };
  const words = text.normalize("NFKC").match(WORD_PATTERN) ?? [];
  let previous: string | undefined;
  for (const raw of words) {
    const word = raw.toLowerCase();
    add(`w:${word}`, UNIGRAM_WEIGHT);
    const parts = splitIdentifier(raw);
    if (parts.length > 1) for (const part of parts) add(`w:${part}`, SUBWORD_WEIGHT);
    if (previous !== undefined) add(`b:${previous} ${word}`, BIGRAM_WEIGHT);
    previous = word;
    // Boundary markers make prefixes and suffixes features of their own, so `embed` matches `embedding`.
    const padded = `^${word}$`;
    for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
  }
  return features;
}

/**
 * Feature hashing with a sign bit: colliding features cancel on average instead of piling up, so inner
 * products stay unbiased. Counts are damped with 1 + ln(tf) so a word repeated fifty times does not
 * outweigh the rest of the text.
 */
export function embedLexical(text: string, dimension: number): number[] {
  const vector = new Float64Array(dimension);
  const features = extractFeatures(text);
  // Text without a single word still has to map to a unit vector; give it one fixed direction.
  if (features.size === 0) features.set("e:<empty>", { count: 1, weight: 1 });
  for (const [key, { count, weight }] of features) {
    const hash = mix(fnv1a(key));
    const bucket = hash % dimension;
    // The sign comes from a second mix: reusing a bit of `hash` would correlate it with the bucket
    // whenever the dimension is not a power of two.
    const sign = mix(hash ^ 0x9e3779b9) & 1 ? -1 : 1;
    vector[bucket]! += sign * weight * (1 + Math.log(count));
  }
  return normalize(vector);
}

/** Fast, deterministic and dependency-free: for bulk work, tests and machines where USE is too slow. */
export function createLexicalEmbeddingProvider(
  options: LexicalEmbeddingOptions = {},
): EmbeddingProvider {
  const dimension = options.dimension ?? DEFAULT_LEXICAL_DIMENSION;
  if (!Number.isInteger(dimension) || dimension < 8 || dimension > 65_536) {
    throw new Error(
      `Lexical embedding dimension must be a whole number from 8 to 65536, got ${dimension}`,
    );
  }
  return {
    kind: "lexical",
    model: `lexical:hashed-ngrams@${dimension}`,
    dimension,
    // Queries and documents go through the same features: the overlap between them is the whole signal.
    async embed(texts: readonly string[], _input?: EmbeddingInput): Promise<number[][]> {
      return texts.map((text) => embedLexical(text, dimension));
    },
  };
}
