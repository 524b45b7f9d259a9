import { readFileSync } from "node:fs";
import path from "node:path";
import { type SourceEvent, sourceEventSchema } from "@repo/schemas";
import { describe, expect, it } from "vitest";
import { sentrySourceTypes } from "../src/providers/sentry/events";
import { sentryEventAllowed } from "../src/providers/sentry/filter";
import { sentrySourceConfigSchema } from "../src/providers/sentry/schema";
import { transformSentryWebhook } from "../src/providers/sentry/transform";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const devDir = path.resolve(repoRoot, "../shared/eval/dev");

interface Delivery {
  resource: string;
  body: string;
  timestamp: number;
}

const readJsonl = <T>(file: string): T[] =>
  readFileSync(path.join(devDir, file), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);

const deliveries = readJsonl<Delivery>("webhooks.jsonl");
const queries = readJsonl<{ id: string; relevant: string[] }>("queries.jsonl");
const manifest = JSON.parse(readFileSync(path.join(devDir, "manifest.json"), "utf8")) as {
  org_slug: string;
  counts: { by_event: Record<string, number> };
};

const uncaptured = new Set(["installation", "seer", "preprod_artifact"]);

// Each delivery is transformed as the webhook route would: body parsed, delivery time as receivedAt.
const results = deliveries.map((delivery) => ({
  delivery,
  result: transformSentryWebhook({
    resource: delivery.resource,
    payload: JSON.parse(delivery.body),
    receivedAt: new Date(delivery.timestamp * 1000),
  }),
}));
const events = results.flatMap(({ delivery, result }) =>
  result.kind === "event" ? [{ delivery, event: result.event }] : [],
);

const referenceIds = (type: SourceEvent["references"][number]["type"]) =>
  new Set(
    events.flatMap(({ event }) => event.references.filter((r) => r.type === type).map((r) => r.id)),
  );

describe("the dev eval dataset", () => {
  it("has 402 deliveries", () => {
    expect(deliveries).toHaveLength(402);
  });

  it("turns every delivery into a valid SourceEvent, except uncaptured resources", () => {
    for (const { delivery, result } of results) {
      if (result.kind === "unsupported") {
        expect(uncaptured.has(delivery.resource), result.reason).toBe(true);
        continue;
      }
      expect(sourceEventSchema.parse(result.event)).toEqual(result.event);
      expect(sentrySourceTypes).toContain(result.event.sourceType);
    }
    expect(events).toHaveLength(401);
  });

  it("emits as many events of each type as the manifest counts", () => {
    const counts: Record<string, number> = {};
    for (const { event } of events) counts[event.sourceType] = (counts[event.sourceType] ?? 0) + 1;
    const expected = Object.fromEntries(
      Object.entries(manifest.counts.by_event).filter(
        ([name]) => !name.startsWith("installation."),
      ),
    );
    expect(counts).toEqual(expected);
  });

  it("gives distinct facts distinct sourceIds; only a repeated body may share one", () => {
    const bodies = new Map<string, string>();
    for (const { delivery, event } of events) {
      const previous = bodies.get(event.sourceId);
      if (previous !== undefined) expect(previous, event.sourceId).toBe(delivery.body);
      bodies.set(event.sourceId, delivery.body);
    }
    expect(bodies.size).toBe(new Set(events.map(({ delivery }) => delivery.body)).size);
  });

  it("gives a retry (same body, later delivery) the same sourceId", () => {
    for (const { delivery, event } of events) {
      const retry = transformSentryWebhook({
        resource: delivery.resource,
        payload: JSON.parse(delivery.body),
        receivedAt: new Date((delivery.timestamp + 300) * 1000),
      });
      expect(retry.kind === "event" && retry.event.sourceId).toBe(event.sourceId);
    }
  });

  it("references every issue and alert that a query labels relevant", () => {
    const issues = referenceIds("issue");
    const alerts = referenceIds("alert");
    const labels = new Set(queries.flatMap((query) => query.relevant));
    expect(labels.size).toBeGreaterThan(0);
    for (const label of labels) {
      if (label.startsWith("alert:")) expect(alerts, label).toContain(label.slice("alert:".length));
      else expect(issues, label).toContain(label);
    }
  });

  it("lets every metric alert through a project-limited configuration", () => {
    const config = sentrySourceConfigSchema.parse({
      sourceType: "sentry",
      organizationSlug: manifest.org_slug,
      projectSlugs: ["payments-api"],
    });
    const alerts = events.filter(({ event }) => event.sourceType.startsWith("metric_alert."));
    expect(alerts).toHaveLength(12);
    for (const { event } of alerts)
      expect(sentryEventAllowed(event, config)).toEqual({ allowed: true });
    for (const { event } of events) {
      const project = event.metadata.project;
      if (event.sourceType.startsWith("metric_alert.")) continue;
      expect(typeof project, event.sourceId).toBe("string");
      expect(sentryEventAllowed(event, config).allowed).toBe(project === "payments-api");
    }
  });
});
