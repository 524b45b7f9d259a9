import { describe, expect, it } from "vitest";
import { fullTime, relativeTime } from "../src/lib/time";

describe("times rendered on the server", () => {
  const now = new Date("2026-11-25T12:00:00Z");
  it("reads relative to now, in the largest whole unit, past and future", () => {
    expect(relativeTime(new Date("2026-11-25T11:59:50Z"), now)).toBe("just now");
    expect(relativeTime(new Date("2026-11-25T11:57:00Z"), now)).toBe("3 minutes ago");
    expect(relativeTime("2026-11-25T09:00:00Z", now.getTime(), "short")).toBe("3 hr. ago");
    expect(relativeTime(new Date("2026-11-24T12:00:00Z"), now)).toBe("yesterday");
    expect(relativeTime(new Date("2026-11-25T17:00:00Z"), now)).toBe("in 5 hours");
    expect(relativeTime("not a date", now)).toBe("not a date");
  });
  it("states the full instant in UTC", () => {
    expect(fullTime(new Date("2026-11-25T12:00:00Z"))).toMatch(/Nov 25, 2026.*12:00:00.*UTC/);
  });
});
