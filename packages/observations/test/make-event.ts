import { type SourceEvent, sourceEventSchema } from "@repo/schemas";

/**
 * A valid SourceEvent with neutral defaults; tests override only what they are about. Parsing through the
 * schema keeps the fixtures honest about the contract.
 */
export function makeEvent(overrides: Partial<SourceEvent> = {}): SourceEvent {
  return sourceEventSchema.parse({
    source: "sentry",
    sourceType: "issue.created",
    sourceId: "sentry:issue:1:created",
    title: "Something happened",
    body: "A neutral description of something that happened somewhere in the system.",
    actor: null,
    occurredAt: "2026-02-03T10:00:00.000Z",
    references: [],
    metadata: {},
    ...overrides,
  });
}
