import { describe, expect, it } from "vitest";
import { SentryPayloadError } from "./shared";
import {
  clone,
  loadFixture,
  RECEIVED_AT,
  refsOf,
  transformFixture,
  transformPayload,
} from "./test-helpers";

const docsTitle = "ReferenceError: blooopy is not defined";
const issueOf = (payload: { data: Record<string, unknown> }) =>
  payload.data.issue as Record<string, unknown>;

describe("issue.created", () => {
  it("turns the documented example into an event about FRONT-END-9", () => {
    const event = transformFixture("issue.created.json");
    expect(event).toMatchObject({
      source: "sentry",
      sourceType: "issue.created",
      sourceId: "sentry:issue:1170820242:created",
      title: docsTitle,
      actor: null,
      // firstSeen is the moment the issue came to be.
      occurredAt: "2019-08-19T20:58:37.391Z",
    });
    expect(refsOf(event, "issue")).toEqual([
      { type: "issue", id: "FRONT-END-9", label: docsTitle },
    ]);
    expect(refsOf(event, "project")).toEqual([
      { type: "project", id: "front-end", label: "front-end" },
    ]);
    for (const fragment of [
      "Issue: FRONT-END-9 (Sentry issue 1170820242)",
      "Culprit: ?(runner)",
      "Location: /runner",
      "Level: error",
      "Status: unresolved (escalating)",
      "Events: 1",
      "Users affected: 1",
      "First seen: 2019-08-19T20:58:37.391Z",
    ]) {
      expect(event.body).toContain(fragment);
    }
    expect(event.metadata).toMatchObject({
      action: "created",
      installationUuid: "a8e5d37a-696c-4c54-adb5-b3f28d64c7de",
      level: "error",
      project: "front-end",
      projectId: "1",
      status: "unresolved",
      substatus: "escalating",
      shortId: "FRONT-END-9",
      issueId: "1170820242",
      errorType: "ReferenceError",
      culprit: "?(runner)",
      count: 1,
      userCount: 1,
      platform: "javascript",
    });
  });

  it("links the permalink, else web_url, and reads the organisation from it", () => {
    const payload = clone(loadFixture("issue.created.json"));
    const web = "https://sentry.io/organizations/test-org/issues/1170820242/";
    Object.assign(issueOf(payload), {
      web_url: web,
      firstSeen: "2019-08-19T20:58:37.391000+00:00",
    });
    const event = transformPayload("issue", payload);
    expect(refsOf(event, "issue")[0]?.url).toBe(web);
    expect(event.metadata.organization).toBe("test-org");
    expect(event.occurredAt).toBe("2019-08-19T20:58:37.391Z");
    issueOf(payload).permalink = "https://test-org.sentry.io/issues/1170820242/";
    expect(refsOf(transformPayload("issue", payload), "issue")[0]?.url).toBe(
      "https://test-org.sentry.io/issues/1170820242/",
    );
  });

  it("prefers type and value over the issue title, keeping the title in the body", () => {
    const event = transformFixture("integration-platform-example/issue.created.json");
    expect(event.title).toBe("Another Error #1: This is a test error!");
    expect(event.body).toContain("Title: Error #1: This is a test error!");
    expect(event.sourceId).toBe("sentry:issue:123:created");
    expect(event.actor).toBeNull();
    expect(event.metadata.organization).toBe("example");
    expect(refsOf(event, "assignee")).toEqual([
      { type: "assignee", id: "person@example.com", label: "Person" },
    ]);
  });

  it("gives a backfill or replay of the same issue the same sourceId", () => {
    const later = new Date("2031-05-05T00:00:00Z");
    const first = transformFixture("issue.created.json");
    const again = transformFixture("issue.created.json", later);
    expect(again.sourceId).toBe(first.sourceId);
    expect(again).toEqual(first);
  });
});

describe("issue.assigned", () => {
  it("names the new assignee and keys the fact by them", () => {
    const event = transformFixture("synthesized/issue.assigned.json");
    expect(event).toMatchObject({
      sourceType: "issue.assigned",
      sourceId: "sentry:issue:1170820242:assigned:jane@example.com",
      title: `Assigned to Jane Doe: ${docsTitle}`,
      actor: { id: "1", name: "Meredith Heller" },
      // Nothing in the payload dates the assignment; the delivery time does.
      occurredAt: RECEIVED_AT.toISOString(),
    });
    expect(refsOf(event, "assignee")).toEqual([
      { type: "assignee", id: "jane@example.com", label: "Jane Doe" },
    ]);
    expect(event.body).toContain("Assigned to: Jane Doe <jane@example.com>");
    expect(event.body).toContain("Assigned by: Meredith Heller");
    expect(event.metadata).toMatchObject({
      assignee: "jane@example.com",
      assigneeName: "Jane Doe",
    });
  });

  it("falls back to assignedTo when the mock has no data.assignee", () => {
    const event = transformFixture("issue.assigned.json");
    expect(event.title).toBe("Assigned to Person: Another Error #1: This is a test error!");
    expect(event.sourceId).toBe("sentry:issue:123:assigned:person@example.com");
    expect(event.actor).toBeNull();
  });

  it("borrows the email of a self-assigning actor", () => {
    const payload = clone(loadFixture("synthesized/issue.assigned.json"));
    payload.actor = { type: "user", id: 2, name: "Jane Doe" };
    expect(transformPayload("issue", payload).actor).toEqual({
      id: "2",
      name: "Jane Doe",
      email: "jane@example.com",
    });
  });

  it("keeps a retry equal and two different assignments apart", () => {
    const payload = loadFixture("synthesized/issue.assigned.json");
    const retry = transformPayload("issue", clone(payload), new Date("2030-01-02T03:09:05Z"));
    const other = clone(payload);
    other.data.assignee = { type: "user", id: 3, name: "Sam Lee", email: "sam@example.com" };
    const first = transformPayload("issue", payload);
    expect(retry.sourceId).toBe(first.sourceId);
    expect(transformPayload("issue", other).sourceId).toBe(
      "sentry:issue:1170820242:assigned:sam@example.com",
    );
  });

  it("keys a team assignee apart from users", () => {
    const payload = clone(loadFixture("synthesized/issue.assigned.json"));
    payload.data.assignee = { type: "team", id: "5", name: "backend" };
    const event = transformPayload("issue", payload);
    expect(event.title).toBe(`Assigned to team backend: ${docsTitle}`);
    expect(event.sourceId).toBe("sentry:issue:1170820242:assigned:team:5");
    expect(refsOf(event, "team")).toEqual([{ type: "team", id: "5", label: "backend" }]);
  });
});

describe("issue.resolved", () => {
  it("says how it was resolved and by whom", () => {
    const event = transformFixture("synthesized/issue.resolved.json");
    expect(event).toMatchObject({
      sourceType: "issue.resolved",
      title: `Resolved: ${docsTitle}`,
      actor: { id: "1", name: "Meredith Heller" },
      occurredAt: RECEIVED_AT.toISOString(),
    });
    expect(event.sourceId).toMatch(/^sentry:issue:1170820242:resolved:2019-08-19T20:58:37\.391Z:/);
    expect(event.body).toContain("Resolution: now");
    expect(event.body).toContain("Resolved by: Meredith Heller");
    expect(event.metadata).toMatchObject({ status: "resolved", resolutionType: "now" });
  });

  it("references the release or commit it was resolved in, in every shape Sentry uses", () => {
    const base = loadFixture("synthesized/issue.resolved.json");
    const withDetails = (statusDetails: unknown, resolutionType: string) => {
      const payload = clone(base);
      payload.data.resolution_type = resolutionType;
      issueOf(payload).statusDetails = statusDetails;
      return transformPayload("issue", payload);
    };
    const release = withDetails({ inRelease: "front-end@1.4.0" }, "in_release");
    expect(refsOf(release, "release")).toEqual([{ type: "release", id: "front-end@1.4.0" }]);
    expect(release.body).toContain("Resolved in release: front-end@1.4.0");
    expect(release.metadata.release).toBe("front-end@1.4.0");

    const docsCommit = withDetails(
      { inCommit: { commit: "abc123", repository: "acme/web" } },
      "in_commit",
    );
    expect(refsOf(docsCommit, "commit")).toEqual([
      { type: "commit", id: "abc123", label: "acme/web" },
    ]);
    expect(docsCommit.body).toContain("Resolved in commit: abc123 (acme/web)");

    const serialized = withDetails(
      { inCommit: { id: "2318358c98", message: "fix(web): guard total (#680)\n\nbody" } },
      "in_commit",
    );
    expect(refsOf(serialized, "commit")).toEqual([
      { type: "commit", id: "2318358c98", label: "fix(web): guard total (#680)" },
    ]);
    expect(withDetails({ inCommit: "deadbeef" }, "in_commit").metadata.commit).toBe("deadbeef");
    expect(withDetails({ inNextRelease: true }, "in_next_release").body).toContain(
      "Resolution: in next release",
    );
  });

  it("treats a later re-resolve as a new fact and a retry as the same one", () => {
    const payload = loadFixture("synthesized/issue.resolved.json");
    const first = transformPayload("issue", payload);
    expect(
      transformPayload("issue", clone(payload), new Date("2030-02-01T00:00:00Z")).sourceId,
    ).toBe(first.sourceId);
    const regressedThenResolved = clone(payload);
    issueOf(regressedThenResolved).lastSeen = "2019-09-01T10:00:00.000000Z";
    expect(transformPayload("issue", regressedThenResolved).sourceId).not.toBe(first.sourceId);
  });

  it("handles the example app's mock", () => {
    const event = transformFixture("issue.resolved.json");
    expect(event.title).toBe("Resolved: Another Error #1: This is a test error!");
    expect(event.sourceId).toBe("sentry:issue:123:resolved:2022-04-04T18:17:18.320Z");
  });
});

describe("issue.ignored and issue.archived", () => {
  it("records the archive condition", () => {
    const event = transformFixture("synthesized/issue.ignored.json");
    expect(event.title).toBe(`Ignored: ${docsTitle}`);
    expect(event.sourceType).toBe("issue.ignored");
    expect(event.sourceId).toMatch(/^sentry:issue:1170820242:ignored:2019-08-19T20:58:37\.391Z$/);
    expect(event.metadata.substatus).toBe("archived_until_escalating");
    expect(transformFixture("issue.ignored.json").title).toBe(
      "Ignored: Another Error #1: This is a test error!",
    );
  });

  it("describes counted conditions", () => {
    const payload = clone(loadFixture("synthesized/issue.ignored.json"));
    issueOf(payload).statusDetails = { ignoreCount: 100, ignoreWindow: 60 };
    expect(transformPayload("issue", payload).body).toContain(
      "Ignored: until 100 more events within 60 minutes",
    );
  });

  it("normalises archived to issue.ignored, keeping the action and the same sourceId", () => {
    const ignored = loadFixture("synthesized/issue.ignored.json");
    const archived = clone(ignored);
    archived.action = "archived";
    const event = transformPayload("issue", archived);
    expect(event.sourceType).toBe("issue.ignored");
    expect(event.metadata.action).toBe("archived");
    expect(event.title).toBe(`Archived: ${docsTitle}`);
    expect(event.sourceId).toBe(transformPayload("issue", ignored).sourceId);
  });
});

describe("issue.unresolved", () => {
  it("dates a regression by the event that caused it", () => {
    const event = transformFixture("synthesized/issue.unresolved.json");
    expect(event).toMatchObject({
      sourceType: "issue.unresolved",
      title: `Regressed: ${docsTitle}`,
      actor: null,
      occurredAt: "2019-08-19T20:58:37.391Z",
    });
    expect(event.sourceId).toBe("sentry:issue:1170820242:unresolved:2019-08-19T20:58:37.391Z");
  });

  it("dates a manual unresolve by the delivery", () => {
    const payload = clone(loadFixture("synthesized/issue.unresolved.json"));
    issueOf(payload).substatus = "ongoing";
    payload.actor = { type: "user", id: 7, name: "Ana" };
    const event = transformPayload("issue", payload);
    expect(event.title).toBe(`Unresolved: ${docsTitle}`);
    expect(event.occurredAt).toBe(RECEIVED_AT.toISOString());
    expect(event.body).toContain("Unresolved by: Ana");
  });
});

describe("malformed issue payloads", () => {
  it("throws SentryPayloadError naming the missing field", () => {
    const payload = clone(loadFixture("issue.created.json"));
    payload.data = {};
    expect(() => transformPayload("issue", payload)).toThrow(SentryPayloadError);
    expect(() => transformPayload("issue", payload)).toThrow(/issue\.created.*data\.issue/);
    const noId = clone(loadFixture("issue.created.json"));
    delete issueOf(noId).id;
    expect(() => transformPayload("issue", noId)).toThrow(/data\.issue\.id/);
  });
});
