import {
  issueStates,
  type SearchMode,
  type SearchRequest,
  type SearchRequestInput,
  searchModes,
  searchRequestSchema,
} from "@repo/schemas";
import type { z } from "zod";

/** Results per page of the console's search; the API's own default is smaller. */
export const SEARCH_PAGE_SIZE = 20;

/** What Next hands a page as `searchParams`. */
export type RawSearchParams = Record<string, string | string[] | undefined>;

export type GroupBy = SearchRequest["groupBy"];
export type IssueState = (typeof issueStates)[number];

/**
 * The search as the form edits it and the URL carries it. Lists are kept as typed (comma-separated) so
 * a value the schema rejects can still be shown and corrected.
 */
export interface SearchFormValues {
  q: string;
  mode: string;
  groupBy: string;
  source: string;
  type: string;
  project: string;
  level: string;
  actor: string;
  status: string[];
  from: string;
  to: string;
}

export const emptySearchValues: SearchFormValues = {
  q: "",
  mode: "balanced",
  groupBy: "entity",
  source: "",
  type: "",
  project: "",
  level: "",
  actor: "",
  status: [],
  from: "",
  to: "",
};

export type ParsedSearch =
  | { kind: "empty"; values: SearchFormValues }
  | { kind: "invalid"; values: SearchFormValues; errors: string[] }
  | { kind: "ready"; values: SearchFormValues; page: number; request: SearchRequest };

const LIST_PARAMS = ["source", "type", "project", "level", "actor"] as const;
type ListParam = (typeof LIST_PARAMS)[number];

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export function isSearchMode(value: string): value is SearchMode {
  return (searchModes as readonly string[]).includes(value);
}

export function isGroupBy(value: string): value is GroupBy {
  return value === "entity" || value === "none";
}

export function isIssueState(value: string): value is IssueState {
  return (issueStates as readonly string[]).includes(value);
}

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/** Repeated parameters and comma lists mean the same thing, so hand-written links work either way. */
function allOf(value: string | string[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.flatMap(splitList);
}

/** A comma-separated field as a list: trimmed, without blanks or repeats, in the order typed. */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    ),
  ];
}

export function readSearchValues(raw: RawSearchParams): SearchFormValues {
  const lists = Object.fromEntries(
    LIST_PARAMS.map((name) => [name, allOf(raw[name]).join(", ")]),
  ) as Record<ListParam, string>;
  return {
    q: first(raw.q).trim(),
    mode: first(raw.mode).trim() || emptySearchValues.mode,
    groupBy: first(raw.groupBy).trim() || emptySearchValues.groupBy,
    ...lists,
    status: allOf(raw.status),
    from: first(raw.from).trim(),
    to: first(raw.to).trim(),
  };
}

/**
 * A day from a date input covers the whole day: `from` starts at its first instant and `to` ends at its
 * last, both in UTC because the server cannot know the reader's zone. Anything else is passed through
 * for the schema to accept (a full ISO timestamp) or reject.
 */
function dayBound(value: string, bound: "start" | "end"): string {
  if (!DATE_ONLY.test(value)) return value;
  return bound === "start" ? `${value}T00:00:00.000Z` : `${value}T23:59:59.999Z`;
}

/** The request the form's values ask for, before validation; empty filters are left out entirely. */
export function toSearchRequestInput(values: SearchFormValues, page: number): SearchRequestInput {
  const filters: NonNullable<SearchRequestInput["filters"]> = {};
  const list = (text: string) => {
    const items = splitList(text);
    return items.length > 0 ? items : undefined;
  };
  const sourceTypes = list(values.source);
  if (sourceTypes) filters.sourceTypes = sourceTypes;
  const observationTypes = list(values.type);
  if (observationTypes) filters.observationTypes = observationTypes;
  const projects = list(values.project);
  if (projects) filters.projects = projects;
  const levels = list(values.level);
  if (levels) filters.levels = levels;
  const actorNames = list(values.actor);
  if (actorNames) filters.actorNames = actorNames;
  // Unknown states go through as typed so the schema names them, instead of being dropped silently.
  if (values.status.length > 0) filters.status = values.status as IssueState[];
  if (values.from || values.to) {
    filters.dateRange = {
      ...(values.from ? { start: dayBound(values.from, "start") } : {}),
      ...(values.to ? { end: dayBound(values.to, "end") } : {}),
    };
  }
  return {
    query: values.q,
    limit: SEARCH_PAGE_SIZE,
    offset: (page - 1) * SEARCH_PAGE_SIZE,
    mode: values.mode as SearchMode,
    groupBy: values.groupBy as GroupBy,
    filters,
    includeContext: true,
    includeHighlights: true,
    explain: true,
  };
}

const FIELD_LABELS: Record<string, string> = {
  query: "Query",
  limit: "Page size",
  offset: "Page",
  mode: "Mode",
  groupBy: "Group by",
  sourceTypes: "Source types",
  observationTypes: "Observation types",
  actorNames: "People",
  projects: "Projects",
  levels: "Levels",
  status: "Status",
  start: "From",
  end: "To",
  dateRange: "Date range",
};

/** The most specific named field of an issue's path, so `filters.status.2` reads as "Status". */
function labelOf(path: readonly PropertyKey[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i];
    if (typeof key === "string" && FIELD_LABELS[key]) return FIELD_LABELS[key];
  }
  return "Search";
}

/** zod leaves the offending input out of its issues; the request it was given still has it. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describeIssue(issue: z.core.$ZodIssue, input: SearchRequestInput): string {
  const label = labelOf(issue.path);
  switch (issue.code) {
    case "invalid_value":
      return `${label}: "${String(valueAt(input, issue.path))}" is not one of ${issue.values.join(", ")}.`;
    case "invalid_format":
      return `${label}: not a valid date (use YYYY-MM-DD).`;
    case "too_big":
      if (label === "Page") {
        return `Page: too far; results stop at page ${Math.floor(Number(issue.maximum) / SEARCH_PAGE_SIZE) + 1}.`;
      }
      return issue.origin === "array"
        ? `${label}: at most ${issue.maximum} values.`
        : `${label}: at most ${issue.maximum} characters.`;
    case "too_small":
      return label === "Query" ? "Query: type something to search for." : `${label}: too small.`;
    case "custom":
      return label === "Date range"
        ? "Date range: the From date must not be after the To date."
        : `${label}: ${issue.message}`;
    default:
      return `${label}: ${issue.message}`;
  }
}

function parsePage(raw: string): number | string {
  if (raw === "") return 1;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) return `Page: "${raw}" is not a page number.`;
  return Number(raw);
}

/**
 * The URL's search as a validated request. No query is not an error (the page shows what to ask);
 * every other problem becomes a sentence naming the field as the form labels it.
 */
export function parseSearch(raw: RawSearchParams): ParsedSearch {
  const values = readSearchValues(raw);
  if (values.q === "") return { kind: "empty", values };
  const page = parsePage(first(raw.page).trim());
  if (typeof page === "string") return { kind: "invalid", values, errors: [page] };
  const input = toSearchRequestInput(values, page);
  const parsed = searchRequestSchema.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => describeIssue(issue, input));
    return { kind: "invalid", values, errors: [...new Set(errors)] };
  }
  return { kind: "ready", values, page, request: parsed.data };
}

/**
 * The page's URL for a search. Defaults are left out so links stay short and a shared link keeps
 * meaning "the default" if the default changes.
 */
export function searchHref(workspaceId: string, values: SearchFormValues, page = 1): string {
  const params = new URLSearchParams();
  const set = (name: string, value: string) => {
    if (value !== "") params.set(name, value);
  };
  set("q", values.q.trim());
  if (values.mode !== emptySearchValues.mode) set("mode", values.mode);
  if (values.groupBy !== emptySearchValues.groupBy) set("groupBy", values.groupBy);
  for (const name of LIST_PARAMS) set(name, splitList(values[name]).join(","));
  set("status", [...new Set(values.status)].join(","));
  set("from", values.from);
  set("to", values.to);
  if (page > 1) set("page", String(page));
  // Commas are legal in a query string; leaving them readable keeps shared links legible.
  const query = params.toString().replaceAll("%2C", ",");
  const base = `/w/${encodeURIComponent(workspaceId)}/search`;
  return query ? `${base}?${query}` : base;
}

export function activeFilterCount(values: SearchFormValues): number {
  const lists = LIST_PARAMS.filter((name) => splitList(values[name]).length > 0).length;
  return lists + (values.status.length > 0 ? 1 : 0) + (values.from || values.to ? 1 : 0);
}

/** The same question with every filter removed: what a search that found nothing should offer. */
export function withoutFilters(values: SearchFormValues): SearchFormValues {
  return { ...emptySearchValues, q: values.q, mode: values.mode, groupBy: values.groupBy };
}

/**
 * Values the form's controls can hold: a mode, grouping or state the URL got wrong falls back to the
 * default instead of being resubmitted, and a timestamp keeps its day for the date input.
 */
export function formValues(values: SearchFormValues): SearchFormValues {
  const day = (value: string) => (/^\d{4}-\d{2}-\d{2}(T|$)/.test(value) ? value.slice(0, 10) : "");
  return {
    ...values,
    mode: isSearchMode(values.mode) ? values.mode : emptySearchValues.mode,
    groupBy: isGroupBy(values.groupBy) ? values.groupBy : emptySearchValues.groupBy,
    status: values.status.filter(isIssueState),
    from: day(values.from),
    to: day(values.to),
  };
}
