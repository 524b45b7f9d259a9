/*
 * The SentencePiece tokenizer of USE Lite, token for token the same as @energetic-ai/embeddings' (itself a
 * port of tfjs-models'). That one copies the rest of the text at every character (`symbols.slice(i)`), so
 * its cost grows with the square of the length: ~5 ms for 1,000 characters, more than a tenth of the
 * encoder's own time per text once batching is efficient. This one walks the trie in place: linear.
 * The quirks of the original are kept on purpose, since a different split would change the vectors:
 * a score of 0 counts as "no path yet", ties go to the later start, and backtracking steps by the
 * piece's UTF-16 length.
 */

const SEPARATOR = "\u2581";
/** Ids 0-5 are `<unk>`, `<s>`, `</s>` and three reserved ids, never produced by matching. */
const RESERVED_IDS = 6;
const UNKNOWN_ID = 0;

interface TrieNode {
  children: Map<number, TrieNode>;
  /** Vocabulary id of the piece ending here, or -1. */
  id: number;
  score: number;
  /** Length in symbols (code points) of the piece ending here. */
  length: number;
}

function trieNode(): TrieNode {
  return { children: new Map(), id: -1, score: 0, length: 0 };
}

function codePoints(text: string): Int32Array {
  const out = new Int32Array(text.length);
  let n = 0;
  for (const symbol of text) out[n++] = symbol.codePointAt(0) ?? 0;
  return out.subarray(0, n);
}

export type UseVocabulary = readonly (readonly [piece: string, score: number])[];

export class UseTokenizer {
  private readonly root = trieNode();
  private readonly pieceLengths: Int32Array;

  constructor(vocabulary: UseVocabulary) {
    this.pieceLengths = new Int32Array(vocabulary.length);
    for (let id = 0; id < vocabulary.length; id++) {
      const entry = vocabulary[id];
      if (!entry) throw new Error(`USE vocabulary entry ${id} is missing`);
      this.pieceLengths[id] = entry[0].length;
      if (id < RESERVED_IDS) continue;
      let node = this.root;
      const symbols = codePoints(entry[0]);
      for (const symbol of symbols) {
        let child = node.children.get(symbol);
        if (!child) {
          child = trieNode();
          node.children.set(symbol, child);
        }
        node = child;
      }
      // A piece listed twice keeps its last id and score, as in the original trie.
      node.id = id;
      node.score = entry[1];
      node.length = symbols.length;
    }
  }

  /** Token ids of one text, in order. */
  encode(text: string): number[] {
    const normalized = text.normalize("NFKC");
    if (normalized.length === 0) return [];
    const symbols = codePoints(SEPARATOR + normalized.replaceAll(" ", SEPARATOR));
    const n = symbols.length;

    /*
     * Viterbi, pushed forward from each start instead of pulled into each end: the original visits the
     * candidates of an end position in increasing start order, and so does this, so ties resolve alike;
     * best[start] is final by then because every edge into it starts earlier.
     */
    const best = new Float64Array(n + 1);
    const words = new Int32Array(n + 1);
    const relax = (start: number, end: number, id: number, score: number) => {
      const candidate = score + best[start]!;
      if (best[end] === 0 || candidate >= best[end]!) {
        best[end] = candidate;
        words[end] = id;
      }
    };
    for (let start = 0; start < n; start++) {
      let node = this.root.children.get(symbols[start]!);
      let matched = false;
      for (let i = start; node; ) {
        if (node.id >= 0) {
          relax(start, start + node.length, node.id, node.score);
          matched = true;
        }
        i++;
        node = i < n ? node.children.get(symbols[i]!) : undefined;
      }
      if (!matched) relax(start, start + 1, UNKNOWN_ID, 0);
    }

    const reversed: number[] = [];
    for (let at = n; at > 0; at -= this.pieceLengths[words[at]!]!) reversed.push(words[at]!);

    // Runs of unknown pieces collapse into one, keeping the original's order of comparison.
    const merged: number[] = [];
    let previousUnknown = false;
    for (const id of reversed) {
      if (!(previousUnknown && id === UNKNOWN_ID)) merged.push(id);
      previousUnknown = id === UNKNOWN_ID;
    }
    return merged.reverse();
  }
}
