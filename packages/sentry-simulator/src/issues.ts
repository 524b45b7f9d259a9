/**
 * Deterministic synthetic issues in the shape of `data.issue` of Sentry's `issue.created` webhook (the
 * same group serializer the REST issue list uses), plus Sentry's offset cursors, `Link` header and
 * fixed-window rate limit.
 */

export interface SimProject {
  id: string;
  name: string;
  platform: string;
  slug: string;
}

export interface SimIssue {
  annotations: string[];
  assignedTo: null;
  count: string;
  culprit: string;
  firstSeen: string;
  hasSeen: boolean;
  id: string;
  isBookmarked: boolean;
  isPublic: boolean;
  isSubscribed: boolean;
  lastSeen: string;
  level: string;
  logger: null;
  metadata: { filename: string; function: string; type: string; value: string };
  numComments: number;
  permalink: string;
  platform: string;
  project: SimProject;
  shareId: null;
  shortId: string;
  status: "unresolved" | "resolved" | "ignored";
  statusDetails: Record<string, never>;
  subscriptionDetails: null;
  substatus: string | null;
  title: string;
  type: "error";
  userCount: number;
}

/** Seeded issues are spaced a minute apart from this instant, so every run produces the same data. */
const ANCHOR_MS = Date.UTC(2025, 0, 1, 0, 0, 0);
const ID_BASE = 4_000_000;

const KINDS = [
  [
    "TypeError",
    "Cannot read properties of undefined (reading 'id')",
    "/src/api/client.ts",
    "fetchUser",
  ],
  ["ReferenceError", "blooopy is not defined", "/runner", "?(runner)"],
  ["RangeError", "Maximum call stack size exceeded", "/src/lib/tree.ts", "walk"],
  ["SyntaxError", "Unexpected token '<' in JSON at position 0", "/src/lib/http.ts", "parseBody"],
  ["Error", "Request failed with status code 502", "/src/jobs/sync.ts", "runSync"],
  ["TimeoutError", "Operation timed out after 30000 ms", "/src/db/pool.ts", "acquire"],
] as const;
const LEVELS = ["error", "error", "warning", "fatal", "error", "info"] as const;

/** Sentry prints datetimes of groups with microseconds: `2019-08-19T20:58:37.391000Z`. */
const micros = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, "000Z");

export class IssueStore {
  private readonly issues: SimIssue[] = [];
  private readonly projects = new Map<string, SimProject & { nextShort: number }>();

  constructor(
    private readonly orgSlug: string,
    private readonly baseUrl: () => string,
  ) {}

  seed(count: number, projectSlug = "front-end"): SimIssue[] {
    if (!Number.isInteger(count) || count < 0) throw new Error("seedIssues: count must be >= 0");
    let project = this.projects.get(projectSlug);
    if (!project) {
      const id = String(this.projects.size + 1);
      project = { id, name: projectSlug, platform: "javascript", slug: projectSlug, nextShort: 1 };
      this.projects.set(projectSlug, project);
    }
    const added: SimIssue[] = [];
    for (let i = 0; i < count; i++) {
      const n = this.issues.length + 1;
      const short = project.nextShort++;
      const [type, value, filename, fn] = KINDS[n % KINDS.length]!;
      const status = n % 10 === 0 ? "resolved" : n % 10 === 5 ? "ignored" : "unresolved";
      const firstSeen = ANCHOR_MS + n * 60_000 + (n % 1000);
      const events = ((n * 7919) % 500) + 1;
      const id = String(ID_BASE + n);
      const issue: SimIssue = {
        annotations: [],
        assignedTo: null,
        count: String(events),
        culprit: fn === "?(runner)" ? fn : `${fn}(${filename})`,
        firstSeen: micros(firstSeen),
        hasSeen: n % 3 === 0,
        id,
        isBookmarked: false,
        isPublic: false,
        isSubscribed: false,
        lastSeen: micros(firstSeen + (n % 5) * 7_000),
        level: LEVELS[n % LEVELS.length]!,
        logger: null,
        metadata: { filename, function: fn, type, value: `${value} (#${n})` },
        numComments: n % 4 === 0 ? 1 : 0,
        permalink: `${this.baseUrl()}/organizations/${this.orgSlug}/issues/${id}/`,
        platform: "javascript",
        project: {
          id: project.id,
          name: project.name,
          platform: project.platform,
          slug: project.slug,
        },
        shareId: null,
        shortId: `${projectSlug.toUpperCase()}-${short.toString(36).toUpperCase()}`,
        status,
        statusDetails: {},
        subscriptionDetails: null,
        substatus:
          status === "resolved"
            ? null
            : status === "ignored"
              ? "archived_until_escalating"
              : (["new", "ongoing", "escalating"] as const)[n % 3]!,
        title: `${type}: ${value} (#${n})`,
        type: "error",
        userCount: Math.min(events, ((n * 31) % 40) + 1),
      };
      this.issues.push(issue);
      added.push(issue);
    }
    return added;
  }

  get size(): number {
    return this.issues.length;
  }

  projectList(): SimProject[] {
    return [...this.projects.values()].map(({ id, name, platform, slug }) => ({
      id,
      name,
      platform,
      slug,
    }));
  }

  byId(id: string): SimIssue | undefined {
    return this.issues.find((issue) => issue.id === id);
  }

  /**
   * Newest first (`sort=date`, Sentry's default, orders by lastSeen; `sort=new` by firstSeen). The query
   * understands `is:<status>`, `!is:<status>`, `level:<level>`, `project:<slug>` and free text (title,
   * culprit, short id); other `key:value` terms are accepted and ignored.
   */
  search(query: string, opts: { projectIds?: string[]; sort?: string } = {}): SimIssue[] {
    const terms = query.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
    const checks: ((issue: SimIssue) => boolean)[] = [];
    for (const raw of terms) {
      const negate = raw.startsWith("!");
      const term = (negate ? raw.slice(1) : raw).replaceAll('"', "");
      const colon = term.indexOf(":");
      let check: ((issue: SimIssue) => boolean) | undefined;
      if (colon > 0) {
        const key = term.slice(0, colon).toLowerCase();
        const value = term.slice(colon + 1).toLowerCase();
        if (key === "is") check = statusCheck(value);
        else if (key === "level") check = (issue) => issue.level === value;
        else if (key === "project") check = (issue) => issue.project.slug === value;
      } else if (term) {
        const needle = term.toLowerCase();
        check = (issue) =>
          `${issue.title} ${issue.culprit} ${issue.shortId}`.toLowerCase().includes(needle);
      }
      if (check) {
        const positive = check;
        checks.push(negate ? (issue) => !positive(issue) : positive);
      }
    }
    const projectIds = opts.projectIds?.filter((id) => id !== "-1") ?? [];
    const key = opts.sort === "new" ? "firstSeen" : "lastSeen";
    return this.issues
      .filter((issue) => projectIds.length === 0 || projectIds.includes(issue.project.id))
      .filter((issue) => checks.every((check) => check(issue)))
      .sort((a, b) => b[key].localeCompare(a[key]) || Number(b.id) - Number(a.id));
  }
}

function statusCheck(value: string): ((issue: SimIssue) => boolean) | undefined {
  switch (value) {
    case "unresolved":
    case "resolved":
    case "ignored":
      return (issue) => issue.status === value;
    case "archived":
      return (issue) => issue.status === "ignored";
    case "unassigned":
      return (issue) => issue.assignedTo === null;
    case "assigned":
      return (issue) => issue.assignedTo !== null;
    default:
      return undefined;
  }
}

/** Sentry's cursor is `value:offset:is_prev`; offset pagination only reads the offset. */
export function parseCursor(cursor: string | null): number | undefined {
  if (cursor === null || cursor === "") return 0;
  const match = /^-?\d+(?:\.\d+)?:(\d+):[01]$/.exec(cursor);
  return match ? Number(match[1]) : undefined;
}

/**
 * Sentry's `Link` header: the request's own URL and query (minus `cursor`) with `&cursor=` appended, for
 * `previous` then `next`, each with `results` saying whether following it yields anything.
 */
export function linkHeader(
  requestUrl: URL,
  page: { offset: number; limit: number; total: number },
): string {
  const params = new URLSearchParams(requestUrl.search);
  params.delete("cursor");
  const base = `${requestUrl.origin}${requestUrl.pathname}?${params.toString()}`;
  const prev = `0:${Math.max(0, page.offset - page.limit)}:1`;
  const next = `0:${page.offset + page.limit}:0`;
  const link = (cursor: string, rel: string, results: boolean) =>
    `<${base}&cursor=${cursor}>; rel="${rel}"; results="${results}"; cursor="${cursor}"`;
  return [
    link(prev, "previous", page.offset > 0),
    link(next, "next", page.offset + page.limit < page.total),
  ].join(", ");
}

export interface RateLimitDecision {
  limited: boolean;
  headers: Record<string, string>;
}

/** A fixed window per key, as Sentry's API rate limiter does, on the simulator clock. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number,
  ) {
    if (!(limit >= 1) || !(windowMs >= 1))
      throw new Error("rateLimit: limit and windowMs must be >= 1");
  }

  take(key: string): RateLimitDecision {
    const now = this.now();
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    let window = this.windows.get(key);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    const end = start + this.windowMs;
    const limited = window.count > this.limit;
    const headers: Record<string, string> = {
      "X-Sentry-Rate-Limit-Limit": String(this.limit),
      "X-Sentry-Rate-Limit-Remaining": String(Math.max(0, this.limit - window.count)),
      "X-Sentry-Rate-Limit-Reset": String(Math.ceil(end / 1000)),
    };
    if (limited) headers["Retry-After"] = String(Math.max(1, Math.ceil((end - now) / 1000)));
    return { limited, headers };
  }

  /** Sentry's 429 text names the window in seconds. */
  message(): string {
    const seconds = Math.max(1, Math.round(this.windowMs / 1000));
    return `You are attempting to use this endpoint too frequently. Limit is ${this.limit} requests in ${seconds} seconds`;
  }
}
