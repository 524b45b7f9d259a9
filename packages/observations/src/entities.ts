import type { Reference, SourceEvent } from "@repo/schemas";
import { z } from "zod";
import { metaString, metaStrings, withoutUrls } from "./event-text";

export const entityCategories = [
  "short_id",
  "error_type",
  "file",
  "function",
  "endpoint",
  "env_var",
  "release",
  "commit",
  "handle",
  "issue_number",
  "project",
  "email",
] as const;
export const entityCategorySchema = z.enum(entityCategories);
export type EntityCategory = z.infer<typeof entityCategorySchema>;

export const extractedEntitySchema = z.object({
  category: entityCategorySchema,
  /** Normalised, so the same thing written two ways is one entity. */
  key: z.string().min(1),
  label: z.string().min(1),
});
export type ExtractedEntity = z.infer<typeof extractedEntitySchema>;

/**
 * Issue keys such as `PAYMENTS-API-1F` or `CHECKOUT-7`: upper-case words joined by hyphens, the last part
 * holding a digit. The lookarounds keep it from matching inside a longer hyphenated token
 * (`CVE-2024-1234` is not `CVE-2024`).
 */
const SHORT_ID = /(?<![\w-])([A-Z][A-Z0-9]*(?:-[A-Z][A-Z0-9]*)*-[0-9A-Z]{1,8})(?![\w-])/g;
const SHORT_ID_EXACT = /^[A-Z][A-Z0-9]*(?:-[A-Z][A-Z0-9]*)*-[0-9A-Z]{1,8}$/;
/** Standards and algorithms are written the same way and are never issue keys. */
const NOT_SHORT_ID_PREFIXES = new Set([
  "AES",
  "CVE",
  "ES",
  "GPT",
  "HTTP",
  "IPV",
  "ISO",
  "MD",
  "RFC",
  "RSA",
  "SHA",
  "SSL",
  "TLS",
  "UTF",
]);

const ERROR_TYPE = /(?<![\w$])([A-Z][A-Za-z0-9_]*(?:Error|Exception|Rejection))(?![\w$])/g;

/** A relative or absolute path with at least one slash and an extension that starts with a letter. */
const FILE_PATH =
  /(?<![\w./@-])((?:\.{1,2}\/|\/)?[\w@.[\]-]+(?:\/[\w@.[\]-]+)+\.[A-Za-z][A-Za-z0-9]{0,5})(?![\w/-])/g;
const FILE_PATH_EXACT =
  /^(?:\.{1,2}\/|\/)?[\w@.[\]-]+(?:\/[\w@.[\]-]+)+\.[A-Za-z][A-Za-z0-9]{0,5}$/;

/**
 * A bare file name with a source-code extension (`QueryExecutor.java`, `tokens.py`): Java, Swift and
 * Python frames name files without a directory. Only with a known extension, or `2.4.1` would be a file.
 */
const SOURCE_EXTENSIONS =
  "java|kt|kts|scala|groovy|py|rb|go|rs|swift|m|mm|c|cc|cpp|h|hpp|cs|fs|php|ex|exs|erl|dart|js|jsx|mjs|cjs|ts|tsx|vue|svelte";
const BARE_SOURCE_FILE = new RegExp(
  `^[A-Za-z_][\\w@-]*(?:\\.[\\w@-]+)*\\.(?:${SOURCE_EXTENSIONS})$`,
);
/** A bare source file opening a stack frame or location: `QueryExecutor.java in execute`. */
const FRAME_FILE = new RegExp(
  `(?<![\\w./@-])([A-Za-z_][\\w@-]*\\.(?:${SOURCE_EXTENSIONS}))[ \\t]+in[ \\t]`,
  "g",
);

/** `<file or module> in <function>`: how stack frames and culprits name the code that threw. */
const IN_FUNCTION = /[\w$@[\]-]*[./][\w$./@[\]-]*[ \t]+in[ \t]+([A-Za-z_$][\w$.:]*)/g;
/** `at fn (file:line:col)`, a JavaScript stack line. */
const AT_FUNCTION = /\bat\s+(?:new\s+|async\s+)?([A-Za-z_$][\w$.]*)\s+\(/g;
/** `fn(path/to/module)`, a culprit that names the function and the module it lives in. */
const CALL_WITH_PATH = /(?<![\w$.])([A-Za-z_$][\w$.]*)\([^()\s]*\/[^()\s]*\)/g;
/** A whole culprit of the form `fn(args)`, e.g. Swift's `Tracker.track(_:properties:)`. */
const CULPRIT_CALL = /^([A-Za-z_$][\w$.]*)\(.*\)$/;
/** Prose also says "X in Y" ("2.4.1 in production"); these words are never the function. */
const NOT_FUNCTIONS = new Set([
  "a",
  "an",
  "and",
  "dev",
  "development",
  "its",
  "line",
  "my",
  "of",
  "or",
  "our",
  "prod",
  "production",
  "release",
  "staging",
  "that",
  "the",
  "their",
  "this",
  "to",
  "your",
]);

const ENDPOINT = /\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\/[\w\-.:~%/{}[\]]*)/g;

const ENV_VAR = /(?<![\w-])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?![\w-])/g;
/**
 * Error codes look like variables but name an error: Node's `ERR_HTTP_HEADERS_SENT`, Apple's
 * `EXC_BAD_ACCESS` and `KERN_INVALID_ADDRESS`.
 */
const ERROR_CODE = /^(?:ERR|EXC|KERN)_/;

const VERSION = /(?<![\w.@/-])(v\d+\.\d+\.\d+(?:[-+][0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)*)(?![\w-])/g;
const COMMIT_IN_TEXT = /\b(?:commit|sha|revision)\b[\s:#=]*([0-9a-f]{7,40})\b/gi;
const HEX_SHA = /^[0-9a-f]{7,40}$/i;

/** Unicode-aware edges, so the tail of `zoë@example` is not read as a handle. */
const HANDLE = /(?<![\p{L}\p{N}_.@/+-])@([A-Za-z0-9][A-Za-z0-9_-]{0,38})(?![\p{L}\p{N}_/-])/gu;
const ISSUE_NUMBER = /(?<![\w&#])#(\d{1,7})(?!\w)/g;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function looksLikeShortId(value: string): boolean {
  if (!SHORT_ID_EXACT.test(value)) return false;
  const parts = value.split("-");
  const first = parts[0] ?? "";
  const last = parts[parts.length - 1] ?? "";
  return first.length >= 2 && !NOT_SHORT_ID_PREFIXES.has(first) && /\d/.test(last);
}

export function normaliseEntityKey(category: EntityCategory, raw: string): string {
  const value = raw.trim();
  switch (category) {
    case "short_id":
      return value.toUpperCase();
    case "error_type":
    case "env_var":
      return value;
    case "file":
      return value.replace(/^\.\//, "");
    case "function":
      // `track(_:properties:)` and `track()` name the same function as `track`.
      return value.replace(/\(.*\)$/, "").replace(/[.:]+$/, "");
    case "endpoint": {
      const [method = "", path = ""] = value.split(/\s+/);
      const cleanPath = path.replace(/[.,:;]+$/, "");
      const trimmed = cleanPath.length > 1 ? cleanPath.replace(/\/+$/, "") : cleanPath;
      return `${method.toUpperCase()} ${trimmed}`;
    }
    case "release":
    case "commit":
    case "project":
    case "email":
      return value.toLowerCase();
    case "handle":
      return value.replace(/^@/, "").replace(/-+$/, "").toLowerCase();
    case "issue_number":
      return value.replace(/^#/, "");
    default: {
      const unreachable: never = category;
      return unreachable;
    }
  }
}

function defaultLabel(category: EntityCategory, key: string, raw: string): string {
  switch (category) {
    case "function":
      return `${key}()`;
    case "handle":
      return `@${key}`;
    case "issue_number":
      return `#${key}`;
    case "commit":
      return `commit ${key.slice(0, 7)}`;
    case "release":
    case "project":
    case "email":
      return raw.trim();
    case "short_id":
    case "error_type":
    case "file":
    case "endpoint":
    case "env_var":
      return key;
    default: {
      const unreachable: never = category;
      return unreachable;
    }
  }
}

class EntitySet {
  private readonly byId = new Map<string, ExtractedEntity>();

  add(category: EntityCategory, raw: string | undefined, label?: string): void {
    if (raw === undefined) return;
    const key = normaliseEntityKey(category, raw);
    if (key === "" || key.length > 300) return;
    const id = `${category}\u0000${key}`;
    // The first sighting names it; references come first, so a provider's label beats a guess.
    if (this.byId.has(id)) return;
    const given = label?.trim();
    this.byId.set(id, { category, key, label: given || defaultLabel(category, key, raw) });
  }

  /** Category order, then key: independent of where in the text each entity was found. */
  list(): ExtractedEntity[] {
    const rank = (category: EntityCategory) => entityCategories.indexOf(category);
    return [...this.byId.values()].sort(
      (a, b) => rank(a.category) - rank(b.category) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
  }
}

function fromReferences(entities: EntitySet, references: readonly Reference[]): void {
  for (const ref of references) {
    switch (ref.type) {
      case "issue":
        if (looksLikeShortId(ref.id)) entities.add("short_id", ref.id);
        break;
      case "project":
        entities.add("project", ref.id, ref.label);
        break;
      case "release":
        entities.add("release", ref.id);
        break;
      case "commit":
        if (HEX_SHA.test(ref.id)) entities.add("commit", ref.id);
        break;
      case "assignee":
        if (EMAIL.test(ref.id)) {
          entities.add("email", ref.id, ref.label ? `${ref.label} <${ref.id}>` : undefined);
        }
        break;
      default:
        break;
    }
  }
}

function fromMetadata(entities: EntitySet, event: SourceEvent): void {
  const shortId = metaString(event, "shortId");
  if (shortId && looksLikeShortId(shortId)) entities.add("short_id", shortId);
  entities.add("error_type", metaString(event, "errorType"));
  // Providers put non-paths here too (`webpack/runtime/css loading`): same shape rule as in text.
  const filename = metaString(event, "filename");
  if (filename && (FILE_PATH_EXACT.test(filename) || BARE_SOURCE_FILE.test(filename))) {
    entities.add("file", filename);
  }
  const fn = metaString(event, "function");
  if (fn && !fn.includes("<")) entities.add("function", fn);
  const culpritCall = metaString(event, "culprit")?.match(CULPRIT_CALL)?.[1];
  entities.add("function", culpritCall);
  entities.add("release", metaString(event, "release"));
  const commit = metaString(event, "commit");
  if (commit && HEX_SHA.test(commit)) entities.add("commit", commit);
  for (const project of [...metaStrings(event, "project"), ...metaStrings(event, "projects")]) {
    entities.add("project", project);
  }
}

function fromText(entities: EntitySet, text: string): void {
  for (const match of text.matchAll(SHORT_ID)) {
    if (match[1] && looksLikeShortId(match[1])) entities.add("short_id", match[1]);
  }
  for (const match of text.matchAll(ERROR_TYPE)) entities.add("error_type", match[1]);
  for (const match of text.matchAll(FILE_PATH)) entities.add("file", match[1]);
  for (const match of text.matchAll(FRAME_FILE)) entities.add("file", match[1]);
  for (const pattern of [IN_FUNCTION, AT_FUNCTION, CALL_WITH_PATH]) {
    for (const match of text.matchAll(pattern)) {
      const fn = match[1]?.replace(/[.:]+$/, "");
      if (fn && !NOT_FUNCTIONS.has(fn.toLowerCase())) entities.add("function", fn);
    }
  }
  for (const match of text.matchAll(ENDPOINT)) entities.add("endpoint", `${match[1]} ${match[2]}`);
  for (const match of text.matchAll(ENV_VAR)) {
    const name = match[1];
    if (!name) continue;
    entities.add(ERROR_CODE.test(name) ? "error_type" : "env_var", name);
  }
  for (const match of text.matchAll(VERSION)) entities.add("release", match[1]);
  for (const match of text.matchAll(COMMIT_IN_TEXT)) entities.add("commit", match[1]);
  for (const match of text.matchAll(HANDLE)) entities.add("handle", match[1]);
  for (const match of text.matchAll(ISSUE_NUMBER)) entities.add("issue_number", match[1]);
}

/**
 * Everything a reader might search by, from what the provider structured (references, metadata) and from
 * the free text. Structured sources are read first so their labels win over text guesses.
 */
export function extractEntities(event: SourceEvent): ExtractedEntity[] {
  const entities = new EntitySet();
  fromReferences(entities, event.references);
  fromMetadata(entities, event);
  const actor = event.actor;
  if (actor?.email) {
    entities.add("email", actor.email, actor.name ? `${actor.name} <${actor.email}>` : undefined);
  }
  const text = withoutUrls(
    [
      event.title,
      event.body,
      metaString(event, "culprit") ?? "",
      metaString(event, "transaction") ?? "",
    ].join("\n"),
  );
  fromText(entities, text);
  return entities.list();
}
