/**
 * Tokenising shared by indexing and queries, so both sides agree on every term. Identifiers are the
 * point of this product: `PrismaClientKnownRequestError`, `cart-summary.tsx` and `createPaymentIntent`
 * are kept whole and also split into their parts, so a query can name either.
 */

/** Words that carry no evidence in a question about incidents. */
const STOP_WORDS = new Set(
  (
    "a an and are as at be been being but by can could did do does for from had has have how i if in " +
    "into is it its me my no not of on or our so that the their them then there these they this to " +
    "was we were what when where which who why will with would you your any anything about all get got " +
    "there's what's who's is there"
  ).split(" "),
);

/** Folds accents and ligatures so `Łukasz`, `Zoë` and `lukasz`, `zoe` meet. */
export function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/ł/g, "l")
    .replace(/Ł/g, "L")
    .replace(/ø/g, "o")
    .replace(/Ø/g, "O")
    .replace(/ß/g, "ss")
    .toLowerCase();
}

/** A light English stemmer: enough to meet `errors`/`error`, `crashes`/`crash`, `failing`/`fail`. */
export function stem(word: string): string {
  // `429s`, `500s`: a plural of a status code is the code.
  if (/^\d+s$/.test(word)) return word.slice(0, -1);
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ss|us|is)$/.test(word)) return word;
  if (/(?:ches|shes|xes|sses)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s")) return word.slice(0, -1);
  if (word.endsWith("ing") && word.length > 6) return word.slice(0, -3);
  if (word.endsWith("ed") && word.length > 5 && !word.endsWith("eed")) return word.slice(0, -2);
  return word;
}

/** `createPaymentIntent` -> create, payment, intent; `NSInvalidArgumentException` -> ns, invalid, ... */
function camelParts(word: string): string[] {
  return word
    .replace(/([a-z\d])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(" ");
}

const WORD = /[\p{L}\p{N}]+(?:[._\-/][\p{L}\p{N}]+)*/gu;

/**
 * Terms of a text: every word (folded, stemmed), each compound (`cart-summary.tsx`) whole and in parts,
 * each camelCase identifier whole and in parts. Stop words are dropped unless `keepStopWords`.
 */
export function terms(text: string, options: { keepStopWords?: boolean } = {}): string[] {
  const out: string[] = [];
  const push = (raw: string) => {
    const term = stem(fold(raw));
    if (term.length === 0) return;
    if (!options.keepStopWords && STOP_WORDS.has(term)) return;
    out.push(term);
  };
  for (const match of text.matchAll(WORD)) {
    const compound = match[0];
    const pieces = compound.split(/[._\-/]/);
    if (pieces.length > 1) push(compound);
    for (const piece of pieces) {
      const parts = camelParts(piece);
      if (parts.length > 1) push(piece);
      for (const part of parts) push(part);
    }
  }
  return out;
}

/** The plain words of a query in order, folded but not stemmed: for phrase and name matching. */
export function words(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}
