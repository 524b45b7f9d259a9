import { describe, expect, it } from "vitest";
import { CONTENT_MAX, observationViews, SUMMARY_MAX, snippetOf } from "../src/views";
import { makeEvent } from "./make-event";

/** Shaped like the Sentry connector's `issue.created` body: headline first, then labelled facts. */
const issue = makeEvent({
  sourceType: "issue.created",
  title: "JsonParseException: Unexpected character ('<' (code 60)): expected a valid value",
  body: [
    "JsonParseException: Unexpected character ('<' (code 60)): expected a valid value",
    "Issue: SEARCH-SERVICE-5Y (Sentry issue 6204137652)",
    "Project: search-service",
    "Culprit: com.brightcart.search.autocomplete.SuggestClient in fetchSuggestions",
    "Location: SuggestClient.java in fetchSuggestions",
    "Level: error",
    "Status: unresolved (new)",
    "Events: 1",
    "First seen: 2026-02-02T22:49:53.030Z",
    "Last seen: 2026-02-02T22:49:53.030Z",
    "Link: https://sentry.io/organizations/brightcart/issues/6204137652/",
  ].join("\n"),
});

describe("observationViews", () => {
  it("embeds the title as is, and the title with the body as content", () => {
    const views = observationViews(issue);
    expect(views.title).toBe(issue.title);
    expect(views.content.startsWith(issue.title)).toBe(true);
    expect(views.content).toContain("Culprit: com.brightcart.search.autocomplete.SuggestClient");
    expect(observationViews(makeEvent({ body: "" })).content).toBe("Something happened");
  });

  it("does not repeat a title the body already opens with", () => {
    const { content } = observationViews(issue);
    expect(content.split(issue.title)).toHaveLength(2);
    const other = observationViews(makeEvent({ title: "Deploy failed", body: "Step 3 timed out" }));
    expect(other.content).toBe("Deploy failed\n\nStep 3 timed out");
  });

  it("caps content, cutting between words and marking the cut", () => {
    const long = makeEvent({ body: "checkout retries exhausted ".repeat(200) });
    const { content } = observationViews(long);
    expect(content.length).toBeLessThanOrEqual(CONTENT_MAX);
    expect(content.endsWith("…")).toBe(true);
    expect(content.slice(0, -1)).toMatch(/(exhausted|retries|checkout)$/);
  });

  it("summarises in one line: type, title, then where and how bad, without links, ids or times", () => {
    const { summary } = observationViews(issue);
    expect(summary.startsWith(`issue.created: ${issue.title}`)).toBe(true);
    expect(summary).not.toContain("\n");
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX);
    expect(summary).toContain("Culprit: com.brightcart.search.autocomplete.SuggestClient");
    expect(summary).toContain("Project: search-service");
    expect(summary).toContain("Level: error");
    expect(summary).not.toContain("https://");
    expect(summary).not.toContain("2026-02-02T22:49");
    // The headline line repeats the title; a summary says it once.
    expect(summary.split("JsonParseException").length).toBe(2);
  });

  it("keeps the summary within its cap for a huge body", () => {
    const huge = makeEvent({
      title: "x".repeat(200),
      body: Array.from({ length: 50 }, (_, i) => `Culprit: ${"frame".repeat(20)}${i}`).join("\n"),
    });
    expect(observationViews(huge).summary.length).toBeLessThanOrEqual(SUMMARY_MAX);
  });
});

describe("snippetOf", () => {
  it("previews the body's own facts, capped", () => {
    const snippet = snippetOf(issue);
    expect(snippet.startsWith("Issue: SEARCH-SERVICE-5Y")).toBe(true);
    expect(snippet).not.toContain("https://");
    expect(snippet.length).toBeLessThanOrEqual(240);
    expect(snippetOf(issue, 60).length).toBeLessThanOrEqual(60);
  });

  it("falls back to the title when the body has nothing of its own", () => {
    const event = makeEvent({
      title: "Deploy finished",
      body: "Deploy finished\nLink: https://x.dev/d/1",
    });
    expect(snippetOf(event)).toBe("Deploy finished");
  });
});
