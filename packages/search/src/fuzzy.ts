/** Character trigrams of a padded string, as pg_trgm builds them: `cat` -> `  c`, ` ca`, `cat`, `at `. */
export function trigrams(text: string): Set<string> {
  const padded = `  ${text.toLowerCase()} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

/** pg_trgm's similarity: shared trigrams over all distinct trigrams of both. */
export function trigramSimilarity(a: string | Set<string>, b: string | Set<string>): number {
  const x = typeof a === "string" ? trigrams(a) : a;
  const y = typeof b === "string" ? trigrams(b) : b;
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const t of x) if (y.has(t)) shared++;
  return shared / (x.size + y.size - shared);
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions: `paymnets` is one edit
 * from `payments`), giving up early once it exceeds `max`.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  let prevPrev = new Array<number>(cols).fill(0);
  let prev = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i < rows; i++) {
    const current = new Array<number>(cols).fill(0);
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(prev[j]! + 1, current[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, prevPrev[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = current;
  }
  return prev[cols - 1]!;
}

/** Edits a typo may need and still be read as the word: none for short words, where noise wins. */
export function allowedEdits(length: number): number {
  if (length < 5) return 0;
  return length < 8 ? 1 : 2;
}

/**
 * A cheap lower bound on `editDistance` from one fixed word: every edit changes at most one letter on
 * each side of the two words' letter counts (a transposition none), so words that differ in more letters
 * than the budget cannot be within it. Exact for ASCII words; others always pass to the full comparison.
 */
export class LetterBudget {
  private readonly counts = new Int16Array(128);
  private readonly ascii: boolean;

  constructor(private readonly word: string) {
    let ascii = true;
    for (let i = 0; i < word.length && ascii; i++) ascii = word.charCodeAt(i) < 128;
    this.ascii = ascii;
    if (ascii) for (let i = 0; i < word.length; i++) this.counts[word.charCodeAt(i)]!++;
  }

  /** False only when `other` is sure to be more than `max` edits away. */
  within(other: string, max: number): boolean {
    if (!this.ascii) return true;
    const counts = this.counts;
    let extra = 0;
    let i = 0;
    for (; i < other.length; i++) {
      const code = other.charCodeAt(i);
      if (code >= 128) break;
      if (counts[code]!-- <= 0) extra++;
    }
    const ascii = i === other.length;
    // Puts the counts back for the next word.
    for (let j = 0; j < i; j++) counts[other.charCodeAt(j)]!++;
    if (!ascii) return true;
    const missing = this.word.length - (other.length - extra);
    return extra <= max && missing <= max;
  }
}
