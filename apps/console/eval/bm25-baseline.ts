/**
 * The BM25 baseline: every observable event of the dataset as one document, ranked by a stock BM25 library
 * (okapibm25), so the system's figures have a plain lexical reference computed on the same observations.
 */
import { createRequire } from "node:module";
import { type TransformResult, webhookProvider } from "@repo/webhooks";

// okapibm25 is CommonJS with an `exports.default`; Node's ESM loader and Vite unwrap it differently, and
// require() sees the same shape under both.
const { default: okapiBm25 } = createRequire(import.meta.url)(
  "okapibm25",
) as typeof import("okapibm25");

export const TOP_DOCUMENTS = 100;

type SourceEvent = Extract<TransformResult, { kind: "event" }>["event"];

export interface BaselineDocument {
  /** The issue shortId (or numeric id if none was ever seen), or `alert:<id>`. */
  key: string;
  /** The tokenised text as the library reads it. */
  text: string;
}

export interface Corpus {
  documents: BaselineDocument[];
  /** Deliveries that produced no searchable document (unsupported, untransformable or keyless). */
  skipped: number;
}

/** Lowercase, accents folded, split on anything that is not an ASCII letter or digit. */
export function tokenize(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

// The library counts a term by regex over the whole document string (so `error` would also match inside
// `errors`); fencing every token makes each match a whole token. `#` is no regex metacharacter and no \w.
const fence = (token: string) => `#${token}#`;

function idOf(value: unknown): string | undefined {
  if (typeof value === "string" && value.trim()) return value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Turns the dataset's deliveries into documents keyed like the relevance labels. */
export function buildCorpus(deliveries: readonly { resource: string; body: string }[]): Corpus {
  const provider = webhookProvider("sentry");
  const events: SourceEvent[] = [];
  let skipped = 0;
  for (const delivery of deliveries) {
    try {
      const result = provider.transform({
        resource: delivery.resource,
        payload: JSON.parse(delivery.body),
        receivedAt: new Date(),
      });
      if (result.kind === "event") events.push(result.event);
      else skipped++;
    } catch {
      skipped++;
    }
  }

  // Error events and comments name their issue only by its numeric id: learn the shortId from the issue's
  // own webhooks, wherever they are in the stream.
  const shortIds = new Map<string, string>();
  for (const event of events) {
    const issueId = idOf(event.metadata.issueId);
    const shortId = idOf(event.metadata.shortId);
    if (issueId && shortId) shortIds.set(issueId, shortId);
  }

  const documents: BaselineDocument[] = [];
  for (const event of events) {
    const shortId = idOf(event.metadata.shortId);
    const issueId = idOf(event.metadata.issueId);
    const alert = event.references.find((r) => r.type === "alert")?.id;
    const key =
      shortId ??
      (issueId ? (shortIds.get(issueId) ?? issueId) : undefined) ??
      (alert ? `alert:${alert}` : undefined);
    if (!key) {
      skipped++;
      continue;
    }
    documents.push({ key, text: tokenize(`${event.title}\n${event.body}`).map(fence).join(" ") });
  }
  return { documents, skipped };
}

/** The keys of the best `TOP_DOCUMENTS` documents for the query, best first, each key once. */
export function rankKeys(corpus: Corpus, query: string): string[] {
  const terms = [...new Set(tokenize(query))].map(fence);
  if (terms.length === 0 || corpus.documents.length === 0) return [];
  const scores = okapiBm25(
    corpus.documents.map((d) => d.text),
    terms,
  ) as number[];
  const order = scores
    .map((score, index) => ({ score, index }))
    .filter((s) => s.score > 0)
    // Ties keep stream order, so the ranking is deterministic.
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, TOP_DOCUMENTS);
  return [...new Set(order.map((s) => corpus.documents[s.index]!.key))];
}
