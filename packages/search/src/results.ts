import { metaString } from "@repo/observations";
import type { SearchFilters, SearchResult } from "@repo/schemas";
import type { SearchCorpus } from "./corpus";
import type { SearchDocument } from "./document";
import { stateMatches } from "./paths";
import { type Ranked, roundScore } from "./rank";
import { terms } from "./text";

const TIMELINE_LENGTH = 6;
const HIGHLIGHT_RADIUS = 80;

/**
 * The request's filters as a predicate over documents. Filters are hard (a result outside them is never
 * returned); `status` reads the current state of the document's issue, not the state at the time.
 */
export function acceptFilter(
  corpus: SearchCorpus,
  filters: SearchFilters,
): (doc: number) => boolean {
  const lower = (list?: string[]) => (list ? new Set(list.map((s) => s.toLowerCase())) : undefined);
  const sourceTypes = lower(filters.sourceTypes);
  const observationTypes = lower(filters.observationTypes);
  const actors = lower(filters.actorNames);
  const projects = lower(filters.projects);
  const levels = lower(filters.levels);
  const start = filters.dateRange?.start ? Date.parse(filters.dateRange.start) : undefined;
  const end = filters.dateRange?.end ? Date.parse(filters.dateRange.end) : undefined;
  const status = filters.status;
  return (n) => {
    const doc = corpus.docs[n]!;
    if (sourceTypes && !sourceTypes.has(doc.sourceType.toLowerCase())) return false;
    if (observationTypes && !observationTypes.has(doc.observationType.toLowerCase())) return false;
    if (actors && !actors.has(doc.actor?.name.toLowerCase() ?? "")) return false;
    if (projects && !projectsOf(doc).some((p) => projects.has(p.toLowerCase()))) return false;
    if (levels && !levels.has(metaString(doc, "level")?.toLowerCase() ?? "")) return false;
    const at = Date.parse(doc.occurredAt);
    if (start !== undefined && at < start) return false;
    if (end !== undefined && at > end) return false;
    if (status) {
      const state = corpus.stateOf(corpus.subjectOf(n));
      const wanted = status.filter((s) => s !== "assigned");
      const ok =
        (status.includes("assigned") && state.assignee !== null) ||
        stateMatches(state, wanted as Parameters<typeof stateMatches>[1]);
      if (!ok) return false;
    }
    return true;
  };
}

function projectsOf(doc: SearchDocument): string[] {
  const projects = doc.metadata.projects;
  const list = Array.isArray(projects) ? projects.filter((p) => typeof p === "string") : [];
  const one = metaString(doc, "project");
  return one ? [one, ...list] : list;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Passages around the query's terms, HTML-escaped, with matches wrapped in `<mark>`. */
export function highlightsOf(
  doc: SearchDocument,
  queryTerms: ReadonlySet<string>,
): SearchResult["highlights"] {
  const out: SearchResult["highlights"] = [];
  const mark = (text: string) => {
    const pieces = text.split(/([\p{L}\p{N}_]+)/u);
    let hit = false;
    const html = pieces
      .map((piece) => {
        const matched = terms(piece, { keepStopWords: true }).some((t) => queryTerms.has(t));
        hit ||= matched;
        return matched ? `<mark>${escapeHtml(piece)}</mark>` : escapeHtml(piece);
      })
      .join("");
    return { hit, html };
  };
  const title = mark(doc.title);
  if (title.hit) out.push({ field: "title", text: title.html });
  for (const line of doc.body.split("\n")) {
    if (out.length >= 3) break;
    const trimmed = line.trim();
    if (trimmed === "" || trimmed === doc.title) continue;
    const passage =
      trimmed.length > 2 * HIGHLIGHT_RADIUS
        ? `${trimmed.slice(0, 2 * HIGHLIGHT_RADIUS)}…`
        : trimmed;
    const body = mark(passage);
    if (body.hit) out.push({ field: "body", text: body.html });
  }
  return out;
}

/** A fused candidate as the API returns it. */
export function toResult(
  corpus: SearchCorpus,
  ranked: Ranked,
  options: { queryTerms: ReadonlySet<string>; highlights: boolean; explain: boolean },
): SearchResult {
  const doc = corpus.docs[ranked.doc]!;
  const subject = ranked.state?.subject ?? corpus.subjectOf(ranked.doc);
  // Ungrouped results still say where their issue or alert stands now.
  const state =
    ranked.state ?? (subject.type === "observation" ? undefined : corpus.stateOf(subject));
  const grouped = ranked.state !== undefined;
  const members = grouped && state ? state.members : [ranked.doc];
  const references = [...doc.references];
  // Errors and comments name their issue by numeric id; results always carry the short id.
  if (
    subject.type !== "observation" &&
    !references.some((r) => r.type === subject.type && r.id === subject.id)
  ) {
    references.unshift({
      type: subject.type,
      id: subject.id,
      ...(state?.url ? { url: state.url } : {}),
    });
  }
  return {
    id: doc.id,
    title: grouped && state ? state.title : doc.title,
    url: (grouped ? state?.url : doc.url) ?? doc.url ?? state?.url ?? null,
    snippet: doc.snippet,
    score: roundScore(ranked.score),
    source: doc.source,
    type: doc.observationType,
    occurredAt: doc.occurredAt,
    entity: {
      type: subject.type,
      id: subject.id,
      state: state?.state ?? null,
    },
    references,
    entities: doc.entities.map(({ category, key }) => ({ category, key })),
    highlights: options.highlights ? highlightsOf(doc, options.queryTerms) : [],
    timeline: members.slice(-TIMELINE_LENGTH).map((n) => {
      const m = corpus.docs[n]!;
      return {
        id: m.id,
        type: m.sourceType,
        title: m.title,
        occurredAt: m.occurredAt,
        ...(m.actor ? { actor: m.actor.name } : {}),
      };
    }),
    ...(options.explain ? { explain: ranked.explain } : {}),
  };
}
