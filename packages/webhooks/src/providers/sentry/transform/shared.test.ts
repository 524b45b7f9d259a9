import { describe, expect, it } from "vitest";
import {
  errorHeadline,
  organizationFromUrl,
  projectFromEventUrl,
  shortHash,
  stableJson,
  toIsoTime,
} from "./shared";

describe("toIsoTime", () => {
  it.each([
    ["2019-08-19T20:58:37.391000Z", "2019-08-19T20:58:37.391Z"],
    ["2026-02-02T22:49:53.030000+00:00", "2026-02-02T22:49:53.030Z"],
    ["2026-02-02T22:49:53.030000+02:00", "2026-02-02T20:49:53.030Z"],
    // Naive ISO from Sentry is UTC, whatever the local time zone.
    ["2019-08-19T20:58:37.391000", "2019-08-19T20:58:37.391Z"],
    [1566248317.391, "2019-08-19T20:58:37.391Z"],
    [1770305703, "2026-02-05T15:35:03.000Z"],
    ["1566248317.391", "2019-08-19T20:58:37.391Z"],
    [1566248317391, "2019-08-19T20:58:37.391Z"],
  ])("%s -> %s", (input, expected) => {
    expect(toIsoTime(input)).toBe(expected);
  });

  it.each([null, undefined, "", "yesterday", Number.NaN, {}])("rejects %s", (input) => {
    expect(toIsoTime(input)).toBeUndefined();
  });
});

describe("links", () => {
  it("reads the organisation from every Sentry link shape", () => {
    expect(organizationFromUrl("https://sentry.io/organizations/brightcart/issues/1/")).toBe(
      "brightcart",
    );
    expect(
      organizationFromUrl("https://sentry.io/api/0/projects/test-org/front-end/events/x/"),
    ).toBe("test-org");
    expect(organizationFromUrl("https://acme.sentry.io/issues/1/")).toBe("acme");
    expect(organizationFromUrl("https://us.sentry.io/api/0/issues/1/")).toBeUndefined();
    expect(organizationFromUrl("https://sentry.io/api/0/issues/1/")).toBeUndefined();
    expect(organizationFromUrl("not a url")).toBeUndefined();
  });

  it("reads the project from an event API link", () => {
    expect(
      projectFromEventUrl("https://sentry.io/api/0/projects/brightcart/web-checkout/events/ab/"),
    ).toBe("web-checkout");
    expect(
      projectFromEventUrl("https://sentry.io/organizations/x/issues/1/events/ab/"),
    ).toBeUndefined();
  });
});

describe("small helpers", () => {
  it("builds one-line headlines", () => {
    expect(errorHeadline({ type: "TypeError", value: "a\n\n b" }, "ignored")).toBe(
      "TypeError: a b",
    );
    expect(errorHeadline({ type: "TypeError" }, "Title wins")).toBe("Title wins");
    expect(errorHeadline(null, undefined)).toBeUndefined();
  });

  it("hashes stably regardless of key order", () => {
    expect(stableJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(shortHash(stableJson({ a: 1, b: 2 }))).toBe(shortHash(stableJson({ b: 2, a: 1 })));
    expect(shortHash("x")).toMatch(/^[0-9a-f]{8}$/);
  });
});
