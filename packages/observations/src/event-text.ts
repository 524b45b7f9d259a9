import type { SourceEvent } from "@repo/schemas";

/**
 * Readers for the loosely typed parts of a SourceEvent. `metadata` is provider-defined, so every value is
 * checked rather than trusted: a provider that sends a count as a string still counts.
 */

/** Anything with provider metadata: a SourceEvent, or a stored observation read back for search. */
type WithMetadata = Pick<SourceEvent, "metadata">;

export function metaString(event: WithMetadata, key: string): string | undefined {
  const value = event.metadata[key];
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

export function metaStrings(event: WithMetadata, key: string): string[] {
  const value = event.metadata[key];
  if (Array.isArray(value)) {
    return value
      .filter((item): item is string => typeof item === "string")
      .map((item) => item.trim())
      .filter((item) => item !== "");
  }
  const single = metaString(event, key);
  return single === undefined ? [] : [single];
}

export function metaNumber(event: SourceEvent, key: string): number | undefined {
  const value = event.metadata[key];
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** `<resource>.<action>`; a malformed type yields empty parts rather than a throw. */
export function splitSourceType(sourceType: string): { resource: string; action: string } {
  const dot = sourceType.indexOf(".");
  if (dot < 0) return { resource: sourceType, action: "" };
  return { resource: sourceType.slice(0, dot), action: sourceType.slice(dot + 1) };
}

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;

/**
 * Links name hosts and path segments (`/api/0/organizations/...`) that say nothing about the problem
 * and would otherwise read as topics, endpoints or files.
 */
export function withoutUrls(text: string): string {
  return text.replace(URL_PATTERN, " ");
}

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Cuts at a word boundary when one is near the cap, and marks the cut so a reader knows text is gone. */
export function capText(text: string, max: number): string {
  if (max <= 0) return "";
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.search(/\s\S*$/);
  const kept = space > max * 0.7 ? cut.slice(0, space) : cut;
  return `${kept.trimEnd()}…`;
}
