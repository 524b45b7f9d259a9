import type { SourceEvent } from "@repo/schemas";
import { capText, collapseWhitespace } from "./event-text";

/** Embedding models truncate long inputs anyway; the cap keeps the cut where the text is most useful. */
export const CONTENT_MAX = 2000;
export const SUMMARY_MAX = 400;
export const SNIPPET_MAX = 240;
/** Enough context lines for a summary to say where and how bad, without becoming the body again. */
const SUMMARY_LINES = 4;

export interface ObservationViews {
  /** What the event is called: matches queries that name the error or alert. */
  title: string;
  /** Title and body: matches queries about details only the body mentions. */
  content: string;
  /** One paragraph of the most telling facts: matches broad queries without the body's noise. */
  summary: string;
}

/**
 * Labelled body lines (`Label: value`) worth a place in a summary, best first. Plain words, not one
 * provider's vocabulary: any provider that writes such lines benefits.
 */
const PREFERRED_LABELS = [
  "culprit",
  "location",
  "project",
  "projects",
  "level",
  "environment",
  "transaction",
  "endpoint",
  "status",
  "metric",
  "query",
  "release",
  "assigned to",
];

const HAS_URL = /\b[a-z][a-z0-9+.-]*:\/\/\S+/i;
/** Values a reader cannot use without looking them up: timestamps and long numeric or hex ids. */
const OPAQUE_VALUE = /^(?:\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?|\d{7,}|[0-9a-f]{16,})$/i;

function normalised(text: string): string {
  return collapseWhitespace(text).toLowerCase();
}

function splitLabel(line: string): { label?: string; value: string } {
  const match = line.match(/^([A-Za-z][\w ]{0,30}):\s+(.+)$/);
  if (!match?.[1] || !match[2]) return { value: line };
  return { label: match[1].toLowerCase(), value: match[2] };
}

/** Body lines minus those that repeat the title or only point elsewhere. */
function meaningfulLines(event: SourceEvent): string[] {
  const title = normalised(event.title);
  return event.body
    .split("\n")
    .map(collapseWhitespace)
    .filter((line) => {
      if (line === "" || HAS_URL.test(line)) return false;
      const text = line.toLowerCase();
      if (title.includes(text) || text.includes(title)) return false;
      return !OPAQUE_VALUE.test(splitLabel(line).value);
    });
}

function summaryLines(event: SourceEvent): string[] {
  const lines = meaningfulLines(event);
  const rankOf = (line: string) => {
    const { label } = splitLabel(line);
    const rank = label === undefined ? -1 : PREFERRED_LABELS.indexOf(label);
    return rank < 0 ? PREFERRED_LABELS.length : rank;
  };
  // Stable sort: preferred labels first in their order, everything else keeps the body's order.
  return lines
    .map((line, index) => ({ line, index, rank: rankOf(line) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, SUMMARY_LINES)
    .map(({ line }) => line);
}

export function observationViews(event: SourceEvent): ObservationViews {
  const title = event.title;
  const body = event.body.trim();
  // A body that opens with the title (Sentry's do) is not given it twice: a model reads a fixed number of
  // tokens, and the repeat would spend them on words the title view already carries.
  const content = capText(
    body === "" ? title : body.startsWith(title) ? body : `${title}\n\n${body}`,
    CONTENT_MAX,
  );
  const context = summaryLines(event);
  const lead = `${event.sourceType}: ${collapseWhitespace(title)}`;
  // Titles often end in a full stop already; a second one reads as a typo.
  const joined = /[.!?…]$/.test(lead) ? `${lead} ` : `${lead}. `;
  const summary = capText(
    context.length > 0 ? `${joined}${context.join("; ")}` : lead,
    SUMMARY_MAX,
  );
  return { title, content, summary };
}

/** A short preview for search results: the body's own words, else the title. */
export function snippetOf(event: SourceEvent, max = SNIPPET_MAX): string {
  const lines = meaningfulLines(event);
  const text = lines.length > 0 ? lines.join(" · ") : collapseWhitespace(event.title);
  return capText(text, max);
}
