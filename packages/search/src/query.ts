import type { QueryTerm } from "./bm25";
import type { Person, SearchCorpus } from "./corpus";
import type { EntityMatch } from "./entity-dictionary";
import { allowedEdits, editDistance } from "./fuzzy";
import { fold, isStopWord, stem, words } from "./text";

/**
 * What a query asks about, read against the workspace's own vocabulary: identifiers it names, the issue
 * states, projects and platforms it scopes to, the people it names and in what role. Paths and the
 * reranker use this structure; none of it needs a model.
 */
export type ActorRole = "assignee" | "resolver" | "commenter" | "any";
export type WantedState = "unresolved" | "resolved" | "ignored" | "unassigned";

export interface QueryAnalysis {
  text: string;
  terms: QueryTerm[];
  /** Identifier-like entities named exactly or nearly (short ids, error types, files, functions, ...). */
  identifiers: EntityMatch[];
  /** Sentry's numeric issue ids named in the query. */
  issueNumbers: string[];
  states: WantedState[];
  projects: string[];
  platforms: string[];
  people: { person: Person; role: ActorRole }[];
  /** The query asks about alerts (fired, paged, incidents). */
  alerts: boolean;
}

const STATE_WORDS: [RegExp, WantedState][] = [
  [/\b(?:resolved|fixed|solved|closed)\b/, "resolved"],
  [/\b(?:ignored|archived|muted|snoozed|silenced)\b/, "ignored"],
  [/\b(?:unresolved|open|ongoing|outstanding|active)\b/, "unresolved"],
  [
    /\b(?:unassigned|nobody is assigned|no one is assigned|not assigned|no assignee)\b/,
    "unassigned",
  ],
];

/** Platform words as Sentry names platforms. */
const PLATFORM_WORDS: [RegExp, string[]][] = [
  [/\b(?:ios|iphone|ipad|swift|apple)\b/, ["cocoa"]],
  [/\bandroid\b/, ["android"]],
  [/\b(?:frontend|front-end|browser)\b/, ["javascript"]],
  [
    /\b(?:backend|back-end|server-side)\b/,
    ["node", "python", "java", "go", "ruby", "php", "elixir"],
  ],
];

/** Parts of project slugs that say nothing about which project is meant. */
const GENERIC_PARTS = new Set(
  "api service services svc worker workers web app apps mobile server client backend frontend core main".split(
    " ",
  ),
);

const ALERT_WORDS = /\b(?:alerts?|alerted|paged|pages|paging|fired|firing|incidents?|on-?call)\b/;

/** Candidate identifiers: raw tokens (punctuation kept), and runs of 2-4 words joined by hyphens. */
function identifierCandidates(query: string): string[] {
  const raw = (query.match(/[\p{L}\p{N}_$@#][\p{L}\p{N}_$.\-/@#:]*/gu) ?? []).map((t) =>
    t.replace(/[.:\-/]+$/, ""),
  );
  const plain = words(query);
  const out = new Set<string>();
  for (const token of raw) {
    if (token.length < 2 || isStopWord(token.toLowerCase())) continue;
    out.add(token);
    if (/[a-z]s$/i.test(token) && token.length > 4) out.add(token.slice(0, -1));
  }
  for (let n = 2; n <= 4; n++) {
    for (let i = 0; i + n <= plain.length; i++) out.add(plain.slice(i, i + n).join("-"));
  }
  return [...out];
}

function sameWord(a: string, b: string): boolean {
  if (a === b || stem(a) === stem(b)) return true;
  const budget = allowedEdits(Math.min(a.length, b.length));
  return budget > 0 && editDistance(a, b, budget) <= budget;
}

function projectsNamed(corpus: SearchCorpus, query: string[]): string[] {
  const projects = corpus.entities.ofCategory("project").map((e) => e.key);
  const partCounts = new Map<string, number>();
  for (const slug of projects)
    for (const part of new Set(slug.toLowerCase().split(/[-_.]/)))
      partCounts.set(part, (partCounts.get(part) ?? 0) + 1);
  const found = new Set<string>();
  for (const slug of projects) {
    const parts = slug.toLowerCase().split(/[-_.]/);
    const whole = query.some((w) => w === slug.toLowerCase());
    const allParts = parts.every((p) => query.some((w) => sameWord(w, p)));
    const distinctive = parts.some(
      (p) =>
        p.length >= 3 &&
        !GENERIC_PARTS.has(p) &&
        partCounts.get(p) === 1 &&
        query.some((w) => sameWord(w, p)),
    );
    if (whole || allParts || distinctive) found.add(slug);
  }
  return [...found];
}

function rolesOf(text: string): ActorRole {
  if (/\bcomment/.test(text)) return "commenter";
  if (/\b(?:fix|fixes|fixed|resolve|resolves|resolved|solved|closed)\b/.test(text))
    return "resolver";
  if (/\b(?:assigned|assignee|handling|working on|owns|owner|on it)\b/.test(text))
    return "assignee";
  return "any";
}

function peopleNamed(corpus: SearchCorpus, query: string[], text: string) {
  const role = rolesOf(text);
  const found: { person: Person; role: ActorRole }[] = [];
  for (const person of corpus.people.values()) {
    const nameParts = person.folded.split(/\s+/).filter((p) => p.length >= 3);
    const local = person.email ? fold(person.email.split("@")[0]!) : undefined;
    const localParts = local?.split(/[._-]/) ?? [];
    const named =
      query.some((w) => nameParts.includes(w) && !isStopWord(w)) ||
      (local !== undefined &&
        localParts.length > 1 &&
        localParts.every((p) => query.includes(p)) &&
        text.includes(local));
    if (named) found.push({ person, role });
  }
  return found;
}

/**
 * Whether a query token is written like an identifier (digits, inner capitals, path or dash structure),
 * not like an English word: `errors` exactly matching an error type named `Error` is not evidence.
 */
export function looksLikeIdentifier(token: string): boolean {
  return /\d|[a-z][A-Z]|[A-Z]{2}[a-z]|[._/\\]|\w-\w/.test(token);
}

export function analyzeQuery(corpus: SearchCorpus, query: string): QueryAnalysis {
  const text = fold(query);
  const plain = words(query);
  const identifiers = corpus.entities
    .match(identifierCandidates(query), (candidate) =>
      // Fuzzy matching is for mistyped identifiers: a candidate with digits, or a single word the
      // workspace never uses (`typeerors`). Known words and joined phrases only match exactly.
      /\d/.test(candidate)
        ? true
        : !candidate.includes("-") && !corpus.lexical.has(stem(fold(candidate))),
    )
    .filter((m) => m.entry.category !== "project")
    .filter(
      (m) =>
        m.how !== "exact" || looksLikeIdentifier(m.candidate) || looksLikeIdentifier(m.entry.key),
    );
  const platforms = new Set<string>();
  for (const [pattern, names] of PLATFORM_WORDS)
    if (pattern.test(text)) for (const n of names) platforms.add(n);
  const projects = new Set(projectsNamed(corpus, plain));
  // A platform named ("iOS", "backend") scopes to the projects that run on it.
  if (platforms.size > 0) {
    for (const [project, platform] of corpus.projectPlatforms()) {
      if (platforms.has(platform)) projects.add(project);
    }
  }
  const issueNumbers = (query.match(/\b\d{6,}\b/g) ?? []).filter((n) => !n.startsWith("0"));
  // A query about one named issue ("is ADMIN-DASHBOARD-43 fixed") asks about its state; it does not
  // ask for other fixed issues of the project its id happens to spell.
  const anchored =
    issueNumbers.length > 0 ||
    identifiers.some((m) => m.entry.category === "short_id" && m.strength >= 0.9);
  return {
    text: query,
    terms: corpus.lexical.expand(query),
    identifiers,
    issueNumbers,
    states: anchored
      ? []
      : STATE_WORDS.filter(([pattern]) => pattern.test(text)).map(([, state]) => state),
    projects: anchored ? [] : [...projects],
    platforms: anchored ? [] : [...platforms],
    people: peopleNamed(corpus, plain, text),
    alerts: ALERT_WORDS.test(text),
  };
}
