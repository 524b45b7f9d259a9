import type { SearchExplain, SearchResponse, SearchResult } from "@repo/schemas";
import { describe, expect, it } from "vitest";
import {
  decodeEntities,
  explainFeatureRows,
  explainPathRows,
  explainView,
  extraPassages,
  markedTerms,
  markTerms,
  pathProblems,
  segmentHighlight,
} from "../src/app/w/[workspaceId]/search/explain-rows";
import {
  activeFilterCount,
  emptySearchValues,
  formValues,
  parseSearch,
  type RawSearchParams,
  SEARCH_PAGE_SIZE,
  searchHref,
  withoutFilters,
} from "../src/app/w/[workspaceId]/search/search-params";

/** The page's search params as Next would hand them over for a URL. */
function paramsOf(href: string): RawSearchParams {
  const raw: RawSearchParams = {};
  for (const [key, value] of new URL(href, "http://console.test").searchParams) {
    const seen = raw[key];
    raw[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return raw;
}

function ready(raw: RawSearchParams) {
  const parsed = parseSearch(raw);
  if (parsed.kind !== "ready") throw new Error(`expected a runnable search, got ${parsed.kind}`);
  return parsed;
}

function errorsOf(raw: RawSearchParams): string[] {
  const parsed = parseSearch(raw);
  if (parsed.kind !== "invalid") throw new Error(`expected an invalid search, got ${parsed.kind}`);
  return parsed.errors;
}

describe("URL params -> SearchRequest", () => {
  it("treats a missing or blank query as nothing asked yet, not as an error", () => {
    expect(parseSearch({}).kind).toBe("empty");
    expect(parseSearch({ q: "   ", mode: "bogus" }).kind).toBe("empty");
  });

  it("always asks for explanations, highlights and context, 20 at a time", () => {
    const { request, page } = ready({ q: "  checkout errors " });
    expect(page).toBe(1);
    expect(request).toEqual({
      query: "checkout errors",
      limit: SEARCH_PAGE_SIZE,
      offset: 0,
      mode: "balanced",
      groupBy: "entity",
      filters: {},
      includeContext: true,
      includeHighlights: true,
      explain: true,
    });
  });

  it("maps every filter to the schema's field names", () => {
    const { request } = ready({
      q: "TypeError in cart",
      mode: "thorough",
      groupBy: "none",
      source: "issue.created, error.created",
      type: ["error", "alert,resolution"],
      project: "payments-api",
      level: "error,fatal,error",
      actor: "Ada Lovelace",
      status: "unresolved,assigned",
      from: "2024-03-01",
      to: "2024-03-31",
      page: "3",
    });
    expect(request.mode).toBe("thorough");
    expect(request.groupBy).toBe("none");
    expect(request.offset).toBe(2 * SEARCH_PAGE_SIZE);
    expect(request.filters).toEqual({
      sourceTypes: ["issue.created", "error.created"],
      observationTypes: ["error", "alert", "resolution"],
      projects: ["payments-api"],
      levels: ["error", "fatal"],
      actorNames: ["Ada Lovelace"],
      status: ["unresolved", "assigned"],
      // A day picked in a date input covers the whole day.
      dateRange: { start: "2024-03-01T00:00:00.000Z", end: "2024-03-31T23:59:59.999Z" },
    });
  });

  it("accepts a one-sided date range and a full timestamp", () => {
    expect(ready({ q: "x", to: "2024-01-02" }).request.filters.dateRange).toEqual({
      end: "2024-01-02T23:59:59.999Z",
    });
    expect(ready({ q: "x", from: "2024-01-02T10:00:00Z" }).request.filters.dateRange).toEqual({
      start: "2024-01-02T10:00:00Z",
    });
  });

  it.each([
    [{ mode: "turbo" }, /^Mode: "turbo" is not one of fast, balanced, thorough\.$/],
    [{ groupBy: "project" }, /^Group by: "project" is not one of entity, none\.$/],
    [{ status: "unresolved,open" }, /^Status: "open" is not one of unresolved, resolved, ignored/],
    [{ from: "2024-02-30" }, /^From: not a valid date/],
    [{ to: "yesterday" }, /^To: not a valid date/],
    [{ from: "2024-05-02", to: "2024-05-01" }, /^Date range: the From date must not be after/],
    [{ page: "abc" }, /^Page: "abc" is not a page number\.$/],
    [{ page: "0" }, /^Page: "0" is not a page number\.$/],
    [{ page: "-2" }, /^Page: "-2" is not a page number\.$/],
    [{ page: "9999" }, /^Page: too far; results stop at page 501\.$/],
    [{ q: "x".repeat(1001) }, /^Query: at most 1000 characters\.$/],
    [{ level: Array.from({ length: 11 }, (_, i) => `l${i}`).join(",") }, /^Levels: at most 10/],
  ])("rejects %j with a message naming the field", (params, message) => {
    const errors = errorsOf({ q: "checkout", ...params });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it("reports every problem at once, each once", () => {
    const errors = errorsOf({ q: "x", mode: "turbo", status: "open,closed", from: "nope" });
    expect(errors).toEqual([
      'Mode: "turbo" is not one of fast, balanced, thorough.',
      'Status: "open" is not one of unresolved, resolved, ignored, assigned, unassigned.',
      'Status: "closed" is not one of unresolved, resolved, ignored, assigned, unassigned.',
      "From: not a valid date (use YYYY-MM-DD).",
    ]);
  });

  it("keeps what the URL said so the form can show it, and the form drops what it cannot hold", () => {
    const parsed = parseSearch({ q: "x", mode: "turbo", status: "open,resolved", from: "nope" });
    expect(parsed.values).toMatchObject({ mode: "turbo", status: ["open", "resolved"] });
    expect(formValues(parsed.values)).toMatchObject({
      mode: "balanced",
      status: ["resolved"],
      from: "",
    });
    expect(formValues({ ...emptySearchValues, from: "2024-01-02T10:00:00Z" }).from).toBe(
      "2024-01-02",
    );
  });
});

describe("search links", () => {
  const values = {
    ...emptySearchValues,
    q: "unresolved issues assigned to Ada",
    mode: "fast",
    source: "issue.created,  error.created",
    status: ["unresolved"],
    from: "2024-03-01",
  };

  it("leave out defaults and keep commas readable", () => {
    expect(searchHref("ws_1", { ...emptySearchValues, q: "checkout errors" })).toBe(
      "/w/ws_1/search?q=checkout+errors",
    );
    expect(searchHref("ws_1", emptySearchValues)).toBe("/w/ws_1/search");
    expect(searchHref("ws_1", values, 2)).toBe(
      "/w/ws_1/search?q=unresolved+issues+assigned+to+Ada&mode=fast&source=issue.created,error.created&status=unresolved&from=2024-03-01&page=2",
    );
  });

  it("round-trip through the URL to the same request", () => {
    const parsed = ready(paramsOf(searchHref("ws_1", values, 4)));
    expect(parsed.page).toBe(4);
    expect(parsed.values).toMatchObject({ ...values, source: "issue.created, error.created" });
    expect(parsed.request.filters.sourceTypes).toEqual(["issue.created", "error.created"]);
  });

  it("clearing filters keeps the question and its mode", () => {
    expect(activeFilterCount(values)).toBe(3);
    const cleared = withoutFilters(values);
    expect(activeFilterCount(cleared)).toBe(0);
    expect(cleared).toMatchObject({ q: values.q, mode: "fast" });
    expect(searchHref("ws_1", cleared)).toBe(
      "/w/ws_1/search?q=unresolved+issues+assigned+to+Ada&mode=fast",
    );
  });
});

/** Escapes like the search service does before wrapping matched words in <mark>. */
const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A small deterministic generator, so a failure reproduces. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}
const ALPHABET = ["a", "B", "ç", "1", "_", " ", "<", ">", "&", "amp;", "/", "mark", "é", "·", "\n"];

describe("highlight segmentation", () => {
  it("turns the service's markup into marked and unmarked text", () => {
    expect(segmentHighlight("TypeError in <mark>cart</mark> &lt;b&gt; &amp;amp;")).toEqual([
      { text: "TypeError in ", marked: false },
      { text: "cart", marked: true },
      { text: " <b> &amp;", marked: false },
    ]);
  });

  it("merges neighbouring marks and keeps stray tags as text", () => {
    expect(segmentHighlight("<mark>a</mark><mark>b</mark> <script>x</script>")).toEqual([
      { text: "ab", marked: true },
      { text: " <script>x</script>", marked: false },
    ]);
    expect(decodeEntities("&lt;&#39;&quot;&copy;")).toBe("<'\"&copy;");
  });

  it("never loses or duplicates text (generated inputs)", () => {
    const next = random(42);
    for (let run = 0; run < 300; run++) {
      const words = Array.from({ length: 1 + Math.floor(next() * 12) }, () =>
        Array.from(
          { length: 1 + Math.floor(next() * 4) },
          () => ALPHABET[Math.floor(next() * ALPHABET.length)],
        ).join(""),
      );
      const marks = words.map(() => next() < 0.4);
      const html = words
        .map((w, i) => (marks[i] ? `<mark>${escapeHtml(w)}</mark>` : escapeHtml(w)))
        .join("");
      const segments = segmentHighlight(html);
      expect(segments.map((s) => s.text).join("")).toBe(words.join(""));
      expect(
        segments
          .filter((s) => s.marked)
          .map((s) => s.text)
          .join(""),
      ).toBe(words.filter((_, i) => marks[i]).join(""));
      expect(segments.every((s) => s.text !== "")).toBe(true);

      const plain = words.join(" ");
      const marked = markTerms(plain, words.slice(0, 2));
      expect(marked.map((s) => s.text).join("")).toBe(plain);
    }
  });

  it("marks whole words only, ignoring case", () => {
    expect(markTerms("Cart failed: cartography in CART_ID cart.", ["cart"])).toEqual([
      { text: "Cart", marked: true },
      { text: " failed: cartography in CART_ID ", marked: false },
      { text: "cart", marked: true },
      { text: ".", marked: false },
    ]);
    expect(markTerms("nothing here", [])).toEqual([{ text: "nothing here", marked: false }]);
    expect(markTerms("", ["x"])).toEqual([]);
  });

  it("collects the marked words of all highlights, and shows only passages the snippet lacks", () => {
    const result = {
      snippet: "TypeError: cart is undefined · at checkout.js:10",
      highlights: [
        { field: "title", text: "<mark>TypeError</mark> in <mark>Cart</mark>" },
        { field: "body", text: "<mark>TypeError</mark>: <mark>cart</mark> is undefined" },
        { field: "body", text: "retry of <mark>cart</mark> &amp; payment…" },
      ],
    } as SearchResult;
    expect(markedTerms(result.highlights)).toEqual(["typeerror", "cart"]);
    expect(extraPassages(result)).toEqual([
      [
        { text: "retry of ", marked: false },
        { text: "cart", marked: true },
        { text: " & payment…", marked: false },
      ],
    ]);
  });
});

const explain: SearchExplain = {
  paths: {
    lexical: { rank: 1, score: 12.3456, matched: "cart typeerror" },
    entity: { rank: 2, score: 0.9, matched: "error:TypeError" },
  },
  fused: 0.0325,
  recency: 0.98,
  significance: 1.06,
  rerank: { identifier: 1, titleCoverage: 0.225, state: -0.35, judge: 0.8, freshness: 0.05 },
  final: 1.7,
};

const statuses = {
  vector: { status: "timeout", hits: 0, error: "no answer within 800 ms" },
  entity: { status: "ok", hits: 3 },
  lexical: { status: "ok", hits: 9 },
  cluster: { status: "error", hits: 0, error: "cluster store unavailable" },
  actor: { status: "skipped", hits: 0 },
} satisfies SearchResponse["meta"]["paths"];

describe("explain -> plain-words rows", () => {
  it("lists all five paths in order, with a dash and a reason where a path missed", () => {
    const rows = explainPathRows(explain);
    expect(rows.map((r) => r.path)).toEqual(["vector", "entity", "lexical", "cluster", "actor"]);
    expect(rows[2]).toMatchObject({
      label: "Keywords",
      found: true,
      rank: "#1",
      score: "12.3456",
      matched: "cart typeerror",
      note: null,
    });
    expect(rows[4]).toMatchObject({
      path: "actor",
      found: false,
      rank: "—",
      score: "—",
      matched: null,
      note: "Did not find this result",
    });
  });

  it("says when a path missed because it failed, timed out or did not run", () => {
    const notes = explainPathRows(explain, statuses).map((r) => r.note);
    expect(notes).toEqual([
      "Timed out during this search",
      null,
      null,
      "Failed during this search",
      "Did not run for this search",
    ]);
  });

  it("puts reranker features in words with signed values", () => {
    const rows = explainFeatureRows(explain.rerank);
    expect(rows.map((r) => [r.label, r.value, r.effect])).toEqual([
      ["Exact identifier match", "+1", "boost"],
      ["Title covers 3/4 of the query terms", "+0.225", "boost"],
      ["Issue state differs", "−0.35", "penalty"],
      ["AI judge rated it 0.8 of 1", "0.8", "neutral"],
      ["Freshness", "+0.05", "boost"],
    ]);
    const label = (value: number) => explainFeatureRows({ titleCoverage: value })[0]!.label;
    expect(label(0.3)).toBe("Title covers all of the query terms");
    expect(label(0.15)).toBe("Title covers half of the query terms");
    expect(label(0.1)).toBe("Title covers 1/3 of the query terms");
    // A share above one means the weight changed: the sentence stops naming a share.
    expect(label(0.9)).toBe("Title covers query terms");
  });

  it("formats the score breakdown", () => {
    expect(explainView(explain)).toMatchObject({
      fused: "0.0325",
      recency: "×0.98",
      significance: "×1.06",
      final: "1.7",
    });
    expect(explainView({ ...explain, rerank: {} }).features).toEqual([]);
  });

  it("reports failed and timed-out paths only", () => {
    expect(pathProblems(statuses)).toEqual([
      {
        path: "vector",
        label: "Meaning",
        status: "timeout",
        message: "Meaning (vector) timed out: no answer within 800 ms",
      },
      {
        path: "cluster",
        label: "Topic",
        status: "error",
        message: "Topic (cluster) failed: cluster store unavailable",
      },
    ]);
  });
});
