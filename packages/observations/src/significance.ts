import type { SourceEvent } from "@repo/schemas";
import { metaNumber, metaString, withoutUrls } from "./event-text";

/** Observations scoring below this are kept out of the default ranking. */
export const SIGNIFICANCE_THRESHOLD = 40;

export const SIGNIFICANCE_MIN = 0;
export const SIGNIFICANCE_MAX = 100;

export interface SignificanceSignal {
  name: string;
  delta: number;
}

export interface Significance {
  score: number;
  signals: SignificanceSignal[];
}

/** Severity as the event reports it; unknown levels carry no signal rather than a guess. */
export const LEVEL_DELTAS = {
  fatal: 15,
  error: 8,
  warning: 0,
  info: -10,
  debug: -15,
} as const satisfies Record<string, number>;

/** Older SDKs and other loggers name the same severities differently. */
const LEVEL_ALIASES: Record<string, keyof typeof LEVEL_DELTAS> = {
  critical: "fatal",
  warn: "warning",
};

export const KEYWORD_BOOST = 5;
/** Several alarming words in one event are one alarm, not several: the boost is capped. */
export const KEYWORD_BOOST_CAP = 15;
export const KEYWORD_PENALTY = -5;
export const KEYWORD_PENALTY_CAP = -15;

/** Each group counts once however often its words appear. Matched on lowercased title + body. */
const BOOST_KEYWORDS: readonly { name: string; pattern: RegExp }[] = [
  { name: "production", pattern: /\b(?:production|prod)\b/ },
  { name: "outage", pattern: /\b(?:outage|downtime|is down|went down)\b/ },
  { name: "crash", pattern: /\b(?:crash|crashes|crashed|crashing|segfault|panic)\b/ },
  { name: "data-loss", pattern: /\b(?:data loss|lost data|data corruption|corrupted data)\b/ },
  { name: "payment", pattern: /\b(?:payments?|checkout|billing|charges?|payouts?)\b/ },
  { name: "security", pattern: /\b(?:security|vulnerability|breach|unauthori[sz]ed|exploit)\b/ },
  { name: "regression", pattern: /\b(?:regression|regressed)\b/ },
  { name: "timeout", pattern: /\b(?:timeouts?|timed out|etimedout)\b/ },
];

const PENALTY_KEYWORDS: readonly { name: string; pattern: RegExp }[] = [
  { name: "test", pattern: /\b(?:test|tests|testing)\b/ },
  { name: "staging", pattern: /\bstaging\b/ },
  { name: "flaky", pattern: /\bflaky\b/ },
];

export const REFERENCE_DELTA = 2;
export const REFERENCE_CAP = 8;
/** A release or commit ties the event to a code change, which is what a reader usually wants next. */
export const CODE_REFERENCE_DELTA = 3;

export const SHORT_BODY_CHARS = 40;
export const SHORT_BODY_DELTA = -5;
export const RICH_BODY_CHARS = 400;
export const RICH_BODY_DELTA = 3;

export const MANY_EVENTS = 100;
export const MANY_EVENTS_DELTA = 5;
export const MANY_USERS = 10;
export const MANY_USERS_DELTA = 5;

function levelSignal(event: SourceEvent): SignificanceSignal | undefined {
  const raw = metaString(event, "level")?.toLowerCase();
  if (raw === undefined) return undefined;
  const level = LEVEL_ALIASES[raw] ?? raw;
  if (!Object.hasOwn(LEVEL_DELTAS, level)) return undefined;
  return { name: `level:${level}`, delta: LEVEL_DELTAS[level as keyof typeof LEVEL_DELTAS] };
}

function keywordSignals(event: SourceEvent): SignificanceSignal[] {
  const text = withoutUrls(`${event.title}\n${event.body}`).toLowerCase();
  const signals: SignificanceSignal[] = [];
  let boosted = 0;
  for (const { name, pattern } of BOOST_KEYWORDS) {
    if (!pattern.test(text)) continue;
    const delta = Math.min(KEYWORD_BOOST, KEYWORD_BOOST_CAP - boosted);
    if (delta <= 0) break;
    boosted += delta;
    signals.push({ name: `keyword:${name}`, delta });
  }
  let penalised = 0;
  for (const { name, pattern } of PENALTY_KEYWORDS) {
    if (!pattern.test(text)) continue;
    const delta = Math.max(KEYWORD_PENALTY, KEYWORD_PENALTY_CAP - penalised);
    if (delta >= 0) break;
    penalised += delta;
    signals.push({ name: `keyword:${name}`, delta });
  }
  return signals;
}

function referenceSignals(event: SourceEvent): SignificanceSignal[] {
  const signals: SignificanceSignal[] = [];
  const count = event.references.length;
  if (count > 0) {
    signals.push({ name: "references", delta: Math.min(count * REFERENCE_DELTA, REFERENCE_CAP) });
  }
  if (event.references.some((ref) => ref.type === "commit" || ref.type === "release")) {
    signals.push({ name: "references:code", delta: CODE_REFERENCE_DELTA });
  }
  return signals;
}

function bodySignal(event: SourceEvent): SignificanceSignal | undefined {
  const length = event.body.trim().length;
  if (length < SHORT_BODY_CHARS) return { name: "body:short", delta: SHORT_BODY_DELTA };
  if (length > RICH_BODY_CHARS) return { name: "body:rich", delta: RICH_BODY_DELTA };
  return undefined;
}

function volumeSignals(event: SourceEvent): SignificanceSignal[] {
  const signals: SignificanceSignal[] = [];
  const count = metaNumber(event, "count");
  if (count !== undefined && count >= MANY_EVENTS) {
    signals.push({ name: "volume:events", delta: MANY_EVENTS_DELTA });
  }
  const users = metaNumber(event, "userCount");
  if (users !== undefined && users >= MANY_USERS) {
    signals.push({ name: "volume:users", delta: MANY_USERS_DELTA });
  }
  return signals;
}

export function clampScore(value: number): number {
  if (Number.isNaN(value)) return SIGNIFICANCE_MIN;
  return Math.min(SIGNIFICANCE_MAX, Math.max(SIGNIFICANCE_MIN, Math.round(value)));
}

/**
 * `baseWeight` is the provider's judgement of the event type (see the webhook providers' significance
 * registries); the signals adjust it for what this particular event says. Only signals that moved the
 * score are listed, so the list is the explanation of the score.
 */
export function scoreSignificance(event: SourceEvent, baseWeight: number): Significance {
  const level = levelSignal(event);
  const body = bodySignal(event);
  const signals = [
    ...(level ? [level] : []),
    ...keywordSignals(event),
    ...referenceSignals(event),
    ...(body ? [body] : []),
    ...volumeSignals(event),
  ].filter((signal) => signal.delta !== 0);
  const base = Number.isFinite(baseWeight) ? baseWeight : 0;
  const total = signals.reduce((sum, signal) => sum + signal.delta, base);
  return { score: clampScore(total), signals };
}
