/*
 * Shaping inputs for the embeddings endpoint: its limits are 2,048 inputs and 300,000 tokens per request
 * and 8,192 tokens per input, and breaking any of them fails the whole request with a 400.
 */

/** Stays under the 8,192-token per-input limit by the pessimistic estimate below. */
const MAX_TOKENS_PER_INPUT = 8000;
export const DEFAULT_MAX_TOKENS_PER_REQUEST = 250_000;

/**
 * Pessimistic token estimate without a tokenizer: English averages ~4 ASCII characters per token, code
 * ~3, and CJK or emoji can cost a token or more per character, so ASCII counts 1/3 and the rest 1 each.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 3) + other + 1;
}

/** Cuts a text to the per-input limit; an over-long input would fail the whole request with a 400. */
export function fitInput(text: string): string {
  // The API rejects empty strings outright, and callers legitimately embed empty fields.
  if (text.length === 0) return " ";
  // Even at a full token per character this fits; only longer texts need the walk below.
  if (text.length <= MAX_TOKENS_PER_INPUT) return text;
  let budget = MAX_TOKENS_PER_INPUT * 3;
  let end = 0;
  while (end < text.length && budget > 0) {
    budget -= text.charCodeAt(end) < 128 ? 1 : 3;
    end++;
  }
  // Never split a surrogate pair: a lone half is invalid UTF-16 and serialises as U+FFFD.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

/** Consecutive [start, end) ranges within both the input-count and the token budget. */
export function planBatches(
  texts: readonly string[],
  maxInputs: number,
  maxTokens: number,
): [number, number][] {
  const batches: [number, number][] = [];
  let start = 0;
  let tokens = 0;
  for (let i = 0; i < texts.length; i++) {
    const cost = estimateTokens(texts[i]!);
    if (i > start && (i - start >= maxInputs || tokens + cost > maxTokens)) {
      batches.push([start, i]);
      start = i;
      tokens = 0;
    }
    tokens += cost;
  }
  if (start < texts.length) batches.push([start, texts.length]);
  return batches;
}
