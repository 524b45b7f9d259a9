import {
  type Actor,
  actorSchema,
  type Reference,
  referenceSchema,
  type SourceEvent,
} from "@repo/schemas";
import type { z } from "zod";
import type { SentrySourceType } from "../events";
import type { SentryEnvelope, SentryUserRef } from "../schema";

/** The delivery's body is not the shape Sentry documents for its resource: a 4xx, never a retry. */
export class SentryPayloadError extends Error {
  override readonly name = "SentryPayloadError";
  constructor(
    message: string,
    readonly eventName: string,
    readonly issues: readonly string[] = [],
  ) {
    super(message);
  }
}

export interface TransformContext {
  envelope: SentryEnvelope;
  /** The action as delivered, before `archived` is folded into `ignored`. */
  action: string;
  sourceType: SentrySourceType;
  receivedAt: Date;
}

export function parseData<S extends z.ZodType>(
  schema: S,
  data: unknown,
  eventName: string,
): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.map(
    (issue) => `data.${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`,
  );
  throw new SentryPayloadError(
    `Sentry ${eventName} payload does not match the expected shape: ${issues.join("; ")}`,
    eventName,
    issues,
  );
}

/**
 * Sentry mixes ISO strings with `Z`, ISO strings with `+00:00` (values that went through its task
 * queue), and epoch-second floats (`received`, `timestamp`). Naive ISO strings are UTC on Sentry's side.
 */
export function toIsoTime(value: unknown): string | undefined {
  let date: Date | undefined;
  if (typeof value === "number" && Number.isFinite(value)) {
    // Sentry sends seconds; a value this large can only be milliseconds.
    date = new Date(value > 1e11 ? value : value * 1000);
  } else if (typeof value === "string" && value.trim() !== "") {
    const trimmed = value.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return toIsoTime(Number(trimmed));
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed);
    date = new Date(hasZone || !trimmed.includes("T") ? trimmed : `${trimmed}Z`);
  }
  if (!date || Number.isNaN(date.getTime())) return undefined;
  return date.toISOString();
}

/** The first candidate that parses as a time, else the delivery time. */
export function firstTime(candidates: readonly unknown[], receivedAt: Date): string {
  for (const candidate of candidates) {
    const iso = toIsoTime(candidate);
    if (iso) return iso;
  }
  return receivedAt.toISOString();
}

export function nonEmpty(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

export function toCount(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

function validEmail(email: unknown): string | undefined {
  const candidate = nonEmpty(email);
  return candidate && actorSchema.shape.email.safeParse(candidate).success ? candidate : undefined;
}

/** A URL the SourceEvent schema accepts, or nothing: a bad link must not drop the whole event. */
export function validUrl(url: unknown): string | undefined {
  const candidate = nonEmpty(url);
  return candidate && referenceSchema.shape.url.safeParse(candidate).success
    ? candidate
    : undefined;
}

/**
 * Users act; Sentry itself (`application`) is not a person and gets no actor. The envelope carries no
 * email, so one is borrowed from a user the payload embeds with the same id (a self-assignment).
 */
export function envelopeActor(
  envelope: SentryEnvelope,
  knownUsers: readonly (SentryUserRef | null | undefined)[] = [],
): Actor | null {
  const actor = envelope.actor;
  if (actor?.type !== "user") return null;
  const id = nonEmpty(actor.id);
  if (!id) return null;
  const match = knownUsers.find((user) => user && nonEmpty(user.id) === id);
  const email = validEmail(match?.email);
  return { id, name: actor.name, ...(email ? { email } : {}) };
}

export function reference(
  type: Reference["type"],
  id: unknown,
  extra: { url?: unknown; label?: unknown } = {},
): Reference[] {
  const cleanId = nonEmpty(id);
  if (!cleanId) return [];
  const url = validUrl(extra.url);
  const label = nonEmpty(extra.label);
  return [{ type, id: cleanId, ...(url ? { url } : {}), ...(label ? { label } : {}) }];
}

/** A team assignee is keyed `team:<id>` so it never collides with a user id. */
export function assigneeKey(user: SentryUserRef | null | undefined): string | undefined {
  if (!user) return undefined;
  if (user.type === "team") {
    const id = nonEmpty(user.id) ?? nonEmpty(user.name);
    return id ? `team:${id}` : undefined;
  }
  return validEmail(user.email) ?? nonEmpty(user.id);
}

export function assigneeReferences(user: SentryUserRef | null | undefined): Reference[] {
  if (!user) return [];
  const refs = reference("assignee", assigneeKey(user), { label: user.name });
  if (user.type === "team")
    refs.push(...reference("team", user.id ?? user.name, { label: user.name }));
  return refs;
}

export function describeUser(user: SentryUserRef | null | undefined): string | undefined {
  if (!user) return undefined;
  const name = nonEmpty(user.name) ?? nonEmpty(user.id);
  if (!name) return undefined;
  const email = validEmail(user.email);
  const team = user.type === "team" ? " (team)" : "";
  return email ? `${name} <${email}>${team}` : `${name}${team}`;
}

/**
 * Organisation slug from a Sentry link: `/organizations/<org>/...`, `/api/0/projects/<org>/<project>/...`
 * or the newer `<org>.sentry.io` host.
 */
export function organizationFromUrl(url: unknown): string | undefined {
  const candidate = nonEmpty(url);
  if (!candidate) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(candidate);
  } catch {
    return undefined;
  }
  const path = parsed.pathname.match(/\/(?:organizations|projects)\/([^/]+)\//);
  if (path?.[1]) return decodeURIComponent(path[1]);
  const host = parsed.hostname.match(/^([a-z0-9][a-z0-9-]*)\.sentry\.io$/i);
  const sub = host?.[1]?.toLowerCase();
  return sub && !["www", "us", "de", "sentry"].includes(sub) ? sub : undefined;
}

/** Project slug from an event API link `/api/0/projects/<org>/<project>/events/<id>/`. */
export function projectFromEventUrl(url: unknown): string | undefined {
  const candidate = nonEmpty(url);
  const match = candidate?.match(/\/projects\/[^/]+\/([^/]+)\/events\//);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/**
 * Fields every Sentry event carries in `metadata`. The installation's organisation, when the envelope
 * names it (the example app's mocks do), outranks one read from a link in the payload.
 */
export function envelopeMetadata(
  ctx: TransformContext,
  organizationFromPayload?: string,
): Record<string, unknown> {
  const installation = ctx.envelope.installation as { organization?: { slug?: unknown } };
  return {
    action: ctx.action,
    installationUuid: ctx.envelope.installation.uuid,
    organization: nonEmpty(installation.organization?.slug) ?? organizationFromPayload,
  };
}

/** JSON with sorted keys, so equal objects give equal discriminators whatever the key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Drops null/undefined/empty values so metadata holds only what is known. */
export function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(
      ([, value]) =>
        value !== undefined &&
        value !== null &&
        value !== "" &&
        !(Array.isArray(value) && value.length === 0),
    ),
  );
}

/** Plain-text body: one `Label: value` line per known fact, free text lines as given. */
export function bodyLines(lines: readonly (readonly [string, unknown] | string | undefined)[]) {
  const out: string[] = [];
  for (const line of lines) {
    if (line === undefined) continue;
    if (typeof line === "string") {
      if (line.trim() !== "") out.push(line);
      continue;
    }
    const value = typeof line[1] === "number" ? String(line[1]) : nonEmpty(line[1]);
    if (value !== undefined) out.push(`${line[0]}: ${value}`);
  }
  return out.join("\n");
}

/** The type and message of an error, the way Sentry titles it: `TypeError: Cannot read ...`. */
export function errorHeadline(
  metadata:
    | { type?: string | null; value?: string | null; title?: string | null }
    | null
    | undefined,
  fallbackTitle: unknown,
): string | undefined {
  const type = nonEmpty(metadata?.type);
  const value = nonEmpty(metadata?.value);
  const headline =
    type && value
      ? `${type}: ${value}`
      : (nonEmpty(fallbackTitle) ?? nonEmpty(metadata?.title) ?? type ?? value);
  // Messages can span lines (Prisma's do); a headline is one line.
  return headline?.replace(/\s+/g, " ");
}

/** FNV-1a, 32 bit: a short stable discriminator, not a security measure. */
export function shortHash(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

export type EventDraft = Omit<SourceEvent, "source" | "sourceType">;
