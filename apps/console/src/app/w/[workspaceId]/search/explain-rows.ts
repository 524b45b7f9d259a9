import {
  type SearchExplain,
  type SearchPath,
  type SearchResponse,
  type SearchResult,
  searchPaths,
} from "@repo/schemas";

export type PathStatuses = SearchResponse["meta"]["paths"];
type PathStatus = PathStatuses[SearchPath]["status"];

/** What each retrieval path looks for, in the words the "Why this result" panel uses. */
export function describePath(path: SearchPath): { label: string; description: string } {
  switch (path) {
    case "vector":
      return { label: "Meaning", description: "Text whose meaning is close to the query" };
    case "entity":
      return {
        label: "Identifiers",
        description: "Exact short IDs, error types, files, projects and issue states",
      };
    case "lexical":
      return { label: "Keywords", description: "The query's words found in the text" };
    case "cluster":
      return { label: "Topic", description: "A cluster of related events close to the query" };
    case "actor":
      return { label: "People", description: "Events involving a person the query names" };
    default: {
      const unknown: never = path;
      return unknown;
    }
  }
}

export interface PathRow {
  path: SearchPath;
  label: string;
  description: string;
  found: boolean;
  /** "#3", or "—" when the path did not return this result. */
  rank: string;
  score: string;
  matched: string | null;
  /** Why there is no rank: a miss, or a path that never answered. */
  note: string | null;
}

export interface FeatureRow {
  name: string;
  label: string;
  detail: string;
  value: string;
  effect: "boost" | "penalty" | "neutral";
}

export interface ExplainView {
  paths: PathRow[];
  features: FeatureRow[];
  fused: string;
  recency: string;
  significance: string;
  final: string;
}

const scoreFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });

export function formatScore(n: number): string {
  return scoreFormat.format(n);
}

function signed(n: number): string {
  if (n > 0) return `+${formatScore(n)}`;
  // A typographic minus reads as a sign rather than a hyphen next to the label.
  if (n < 0) return `−${formatScore(-n)}`;
  return "0";
}

function missNote(status: PathStatus | undefined): string {
  switch (status) {
    case undefined:
    case "ok":
      return "Did not find this result";
    case "error":
      return "Failed during this search";
    case "timeout":
      return "Timed out during this search";
    case "skipped":
      return "Did not run for this search";
    default: {
      const unknown: never = status;
      return unknown;
    }
  }
}

/** One row per path, always all five, so a path that missed is visible as a miss and not left out. */
export function explainPathRows(explain: SearchExplain, statuses?: PathStatuses): PathRow[] {
  return searchPaths.map((path) => {
    const hit = explain.paths[path];
    const { label, description } = describePath(path);
    if (!hit) {
      return {
        path,
        label,
        description,
        found: false,
        rank: "—",
        score: "—",
        matched: null,
        note: missNote(statuses?.[path]?.status),
      };
    }
    return {
      path,
      label,
      description,
      found: true,
      rank: `#${hit.rank}`,
      score: formatScore(hit.score),
      matched: hit.matched?.trim() || null,
      note: null,
    };
  });
}

/**
 * The reranker's title-coverage weight (`SEARCH_WEIGHTS.rerank.titleCoverage` in @repo/search, which the
 * console does not depend on). Only the share of terms is read back from it; a changed weight shows up
 * as an impossible share, and the sentence falls back to not naming one.
 */
const TITLE_COVERAGE_WEIGHT = 0.3;

function share(fraction: number): string | null {
  if (!(fraction > 0) || fraction > 1.001) return null;
  if (Math.abs(fraction - 1) < 0.002) return "all";
  for (let d = 2; d <= 12; d++) {
    const n = Math.round(fraction * d);
    if (n > 0 && Math.abs(n / d - fraction) < 0.002) return n * 2 === d ? "half" : `${n}/${d}`;
  }
  return null;
}

const KNOWN_FEATURES = [
  "identifier",
  "titleCoverage",
  "state",
  "scope",
  "actor",
  "alert",
  "judge",
] as const;
type KnownFeature = (typeof KNOWN_FEATURES)[number];

function isKnownFeature(name: string): name is KnownFeature {
  return (KNOWN_FEATURES as readonly string[]).includes(name);
}

function describeFeature(name: KnownFeature, value: number): { label: string; detail: string } {
  switch (name) {
    case "identifier":
      return {
        label: "Exact identifier match",
        detail:
          "The query names this result exactly: a short ID, error type, file or issue number.",
      };
    case "titleCoverage": {
      const part = share(value / TITLE_COVERAGE_WEIGHT);
      return {
        label: part ? `Title covers ${part} of the query terms` : "Title covers query terms",
        detail: "More of the query's words in the title ranks a result higher.",
      };
    }
    case "state":
      return value >= 0
        ? {
            label: "Issue state matches",
            detail: "The issue is in the state the query asks about (for example unresolved).",
          }
        : {
            label: "Issue state differs",
            detail: "The query asks about another state than the one this issue is in.",
          };
    case "scope":
      return value >= 0
        ? { label: "In the project asked about", detail: "The query names this result's project." }
        : {
            label: "Outside the project asked about",
            detail: "The query names a project this result is not part of.",
          };
    case "actor":
      return {
        label: "Involves a person named",
        detail: "Someone the query mentions took part in this result.",
      };
    case "alert":
      return {
        label: "Alert match",
        detail: "The query asks about alerts; this is an alert, or an issue that fired one.",
      };
    case "judge":
      return {
        label: `AI judge rated it ${formatScore(value)} of 1`,
        detail: "Thorough mode asked a language model how well this result answers the query.",
      };
    default: {
      const unknown: never = name;
      return unknown;
    }
  }
}

/** "titleCoverage" as "Title coverage", for features this console does not know yet. */
function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function explainFeatureRows(rerank: SearchExplain["rerank"]): FeatureRow[] {
  return Object.entries(rerank).map(([name, value]) => {
    const { label, detail } = isKnownFeature(name)
      ? describeFeature(name, value)
      : { label: humanize(name), detail: "A ranking adjustment reported by the search service." };
    return {
      name,
      label,
      detail,
      // The judge's verdict is a rating, not an amount added to the score.
      value: name === "judge" ? formatScore(value) : signed(value),
      effect: name === "judge" || value === 0 ? "neutral" : value > 0 ? "boost" : "penalty",
    };
  });
}

export function explainView(explain: SearchExplain, statuses?: PathStatuses): ExplainView {
  return {
    paths: explainPathRows(explain, statuses),
    features: explainFeatureRows(explain.rerank),
    fused: formatScore(explain.fused),
    recency: `×${formatScore(explain.recency)}`,
    significance: `×${formatScore(explain.significance)}`,
    final: formatScore(explain.final),
  };
}

export interface PathProblem {
  path: SearchPath;
  label: string;
  status: "error" | "timeout";
  message: string;
}

/** Paths that did not answer: their results are missing from this page, which the reader must know. */
export function pathProblems(statuses: PathStatuses): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const path of searchPaths) {
    const status = statuses[path];
    if (!status) continue;
    const { label } = describePath(path);
    switch (status.status) {
      case "ok":
      case "skipped":
        break;
      case "error":
      case "timeout":
        problems.push({
          path,
          label,
          status: status.status,
          message: `${label} (${path}) ${status.status === "timeout" ? "timed out" : "failed"}${
            status.error ? `: ${status.error}` : ""
          }`,
        });
        break;
      default: {
        const unknown: never = status.status;
        return unknown;
      }
    }
  }
  return problems;
}

export interface TextSegment {
  text: string;
  marked: boolean;
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};

/** Only the entities the search service writes; anything else stays literal text. */
export function decodeEntities(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

function push(segments: TextSegment[], text: string, marked: boolean): void {
  if (text === "") return;
  const last = segments.at(-1);
  if (last && last.marked === marked) last.text += text;
  else segments.push({ text, marked });
}

/**
 * A highlight as the API sends it (escaped HTML whose only tags are `<mark>`) as plain text segments, so
 * it renders as React text and never as HTML. Any other tag-like text stays literal.
 */
export function segmentHighlight(html: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let marked = false;
  for (const piece of html.split(/(<\/?mark>)/)) {
    if (piece === "<mark>") marked = true;
    else if (piece === "</mark>") marked = false;
    else push(segments, decodeEntities(piece), marked);
  }
  return segments;
}

/** The words the service marked in any highlight, to mark the same words elsewhere (title, snippet). */
export function markedTerms(highlights: SearchResult["highlights"]): string[] {
  const terms = new Set<string>();
  for (const h of highlights) {
    for (const s of segmentHighlight(h.text)) if (s.marked) terms.add(s.text.toLowerCase());
  }
  return [...terms];
}

/**
 * Plain text with the given words marked, matched whole and case-insensitively on the same word
 * boundaries the service uses, so the segments always join back to exactly the input.
 */
export function markTerms(text: string, terms: readonly string[]): TextSegment[] {
  const wanted = new Set(terms.map((t) => t.toLowerCase()));
  const segments: TextSegment[] = [];
  for (const piece of text.split(/([\p{L}\p{N}_]+)/u)) {
    push(segments, piece, wanted.has(piece.toLowerCase()));
  }
  return segments;
}

/** Body highlights that add something the snippet does not already show. */
export function extraPassages(result: SearchResult, limit = 2): TextSegment[][] {
  const snippet = result.snippet.toLowerCase();
  return result.highlights
    .filter((h) => h.field === "body")
    .map((h) => segmentHighlight(h.text))
    .filter((segments) => {
      const plain = segments
        .map((s) => s.text)
        .join("")
        .replace(/…$/, "")
        .toLowerCase();
      return !snippet.includes(plain);
    })
    .slice(0, limit);
}
