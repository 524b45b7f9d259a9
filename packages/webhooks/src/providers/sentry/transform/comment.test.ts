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

describe("comment", () => {
  it("turns the documented example into the commenter's event on issue 100", () => {
    const event = transformFixture("comment.created.json");
    expect(event).toMatchObject({
      sourceType: "comment.created",
      sourceId: "sentry:comment:1234:created",
      title: "Comment on issue 100: adding a comment",
      actor: { id: "1", name: "colleen" },
      occurredAt: "2022-03-02T21:51:44.118Z",
    });
    expect(event.references).toEqual([
      { type: "issue", id: "100" },
      { type: "comment", id: "1234" },
      { type: "project", id: "sentry", label: "sentry" },
    ]);
    expect(event.body).toContain("adding a comment");
    expect(event.body).toContain("Issue: Sentry issue 100");
    expect(event.body).toContain("Comment by: colleen");
    expect(event.metadata).toMatchObject({
      project: "sentry",
      issueId: "100",
      commentId: "1234",
      installationUuid: "eac5a0ae-60ec-418f-9318-46dc5e7e52ec",
    });
    expect(event.metadata.level).toBeUndefined();
  });

  it("handles the example app's string issue ids", () => {
    const event = transformFixture("integration-platform-example/comment.created.json");
    expect(event.sourceId).toBe("sentry:comment:456:created");
    expect(refsOf(event, "issue")).toEqual([{ type: "issue", id: "123" }]);
    expect(event.actor).toEqual({ id: "123", name: "name" });
  });

  it("keys an edit by time and text, so a retry dedupes and a second edit does not", () => {
    const edit = transformFixture("comment.updated.json");
    expect(edit.sourceType).toBe("comment.updated");
    expect(edit.sourceId).toMatch(
      /^sentry:comment:456:updated:2022-01-01T00:00:00\.000Z:[0-9a-f]{8}$/,
    );
    expect(edit.title).toBe("Comment edited on issue 123: this is a test comment");
    expect(edit.occurredAt).toBe(RECEIVED_AT.toISOString());
    expect(
      transformFixture("comment.updated.json", new Date("2030-03-03T00:00:00Z")).sourceId,
    ).toBe(edit.sourceId);
    const second = clone(loadFixture("comment.updated.json"));
    second.data.comment = "this is a corrected test comment";
    expect(transformPayload("comment", second).sourceId).not.toBe(edit.sourceId);
    expect(transformFixture("synthesized/comment.updated.json").title).toBe(
      "Comment edited on issue 100: adding a comment (edited)",
    );
  });

  it("records deletions once per comment", () => {
    const event = transformFixture("comment.deleted.json");
    expect(event.sourceId).toBe("sentry:comment:456:deleted");
    expect(event.title).toBe("Comment deleted on issue 123: this is a test comment");
    expect(event.body).toContain("This comment was deleted.");
    expect(transformFixture("synthesized/comment.deleted.json").sourceId).toBe(
      "sentry:comment:1234:deleted",
    );
  });

  it("throws SentryPayloadError without a comment id", () => {
    const payload = clone(loadFixture("comment.created.json"));
    delete payload.data.comment_id;
    expect(() => transformPayload("comment", payload)).toThrow(SentryPayloadError);
    expect(() => transformPayload("comment", payload)).toThrow(/data\.comment_id/);
  });
});
