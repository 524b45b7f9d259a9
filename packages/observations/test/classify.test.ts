import { describe, expect, it } from "vitest";
import {
  classifyObservation,
  MAX_TOPICS,
  observationTypeSchema,
  observationTypes,
} from "../src/classify";
import { makeEvent } from "./make-event";

const typeOf = (sourceType: string, source: "sentry" | "github" | "vercel" = "sentry") =>
  classifyObservation(makeEvent({ source, sourceType })).observationType;

describe("observation types", () => {
  it("classifies every Sentry source type family", () => {
    expect(typeOf("issue.created")).toBe("error");
    expect(typeOf("issue.unresolved")).toBe("error");
    expect(typeOf("error.created")).toBe("error");
    expect(typeOf("issue.resolved")).toBe("resolution");
    expect(typeOf("metric_alert.resolved")).toBe("resolution");
    expect(typeOf("issue.assigned")).toBe("assignment");
    expect(typeOf("issue.ignored")).toBe("change");
    expect(typeOf("issue.archived")).toBe("change");
    expect(typeOf("comment.created")).toBe("discussion");
    expect(typeOf("comment.updated")).toBe("discussion");
    expect(typeOf("comment.deleted")).toBe("discussion");
    expect(typeOf("event_alert.triggered")).toBe("alert");
    expect(typeOf("metric_alert.warning")).toBe("alert");
    expect(typeOf("metric_alert.open")).toBe("alert");
    // A critical threshold breach is an incident in progress, not one more notification.
    expect(typeOf("metric_alert.critical")).toBe("incident");
  });

  it("reads only the <resource>.<action> shape, so other providers classify the same way", () => {
    expect(typeOf("deployment.succeeded", "vercel")).toBe("deployment");
    expect(typeOf("pull_request.opened", "github")).toBe("change");
    expect(typeOf("push.created", "github")).toBe("change");
    expect(typeOf("issue.assigned", "github")).toBe("assignment");
    expect(typeOf("installation.created")).toBe("other");
    expect(typeOf("seer.root_cause_completed")).toBe("other");
  });

  it("exposes the type list as a zod enum", () => {
    expect(observationTypes).toContain("other");
    expect(observationTypeSchema.parse("incident")).toBe("incident");
    expect(observationTypeSchema.safeParse("bug").success).toBe(false);
    for (const sourceType of ["issue.created", "comment.created", "metric_alert.critical"]) {
      expect(observationTypeSchema.safeParse(typeOf(sourceType)).success).toBe(true);
    }
  });
});

describe("topics", () => {
  it("finds checkout and frontend in a React checkout error, from camelCase and slugs too", () => {
    const { topics } = classifyObservation(
      makeEvent({
        sourceType: "event_alert.triggered",
        title: "TypeError: Cannot read properties of undefined (reading 'startsAt')",
        body: [
          "Culprit: formatSlotLabel(src/checkout/delivery-slot-picker)",
          "Transaction: /checkout/shipping",
          "Top in-app frames (innermost first):",
          "  src/checkout/DeliverySlotPicker.tsx in DeliverySlotPicker at line 88",
          "  node_modules/react-dom/cjs/react-dom-client.production.js in renderWithHooks",
        ].join("\n"),
        metadata: {
          project: "web-checkout",
          culprit: "formatSlotLabel(src/checkout/delivery-slot-picker)",
        },
      }),
    );
    expect(topics).toContain("checkout");
    expect(topics).toContain("frontend");
    expect(topics).not.toContain("payments");
  });

  it("names payments, jobs and database for a payout job failing on a query", () => {
    const { topics } = classifyObservation(
      makeEvent({
        title: "PrismaClientKnownRequestError: Transaction already closed",
        body: "Culprit: processPayouts(src/jobs/payout-scheduler)\nThe payout cron timed out.",
        metadata: { project: "payments-api" },
      }),
    );
    expect(topics).toEqual(expect.arrayContaining(["database", "jobs", "payments"]));
  });

  it("names performance and api for a latency alert on an endpoint", () => {
    const { topics } = classifyObservation(
      makeEvent({
        sourceType: "metric_alert.warning",
        title: "Metric alert warning: Search p99 above 1.5s",
        body: 'Metric: p99(transaction.duration)\nQuery: transaction:"GET /api/search"',
        metadata: { projects: ["search-service"] },
      }),
    );
    expect(topics).toEqual(["api", "performance"]);
  });

  it("ignores words that only appear inside links", () => {
    const { topics } = classifyObservation(
      makeEvent({
        title: "ReferenceError: blooopy is not defined",
        body: "Link: https://sentry.io/api/0/organizations/acme/issues/1/?query=checkout+payments",
      }),
    );
    expect(topics).toEqual([]);
  });

  it("returns at most the cap, sorted and unique, the same every time", () => {
    const event = makeEvent({
      title: "Checkout payment timeout: database deadlock in the payout worker behind the API",
      body: "Stripe card declined; login session lost; kubernetes pod OOM; React render failed; XSS",
    });
    const first = classifyObservation(event).topics;
    expect(first.length).toBe(MAX_TOPICS);
    expect([...first].sort()).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    expect(classifyObservation(event).topics).toEqual(first);
  });
});
