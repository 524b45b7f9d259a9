import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type SourceEvent, sourceEventSchema } from "@repo/schemas";
import { expect } from "vitest";
import { transformSentryWebhook } from "./index";

/** Only for tests: the repo root is six levels up, and the shared fixtures sit beside it. */
export const repoRoot = path.resolve(import.meta.dirname, "../../../../../..");
export const fixturesDir = path.resolve(repoRoot, "../shared/fixtures/sentry");
export const fixtureDirs = ["", "integration-platform-example", "synthesized"] as const;

/** A fixed delivery time, far from every payload time, so tests can tell which one was used. */
export const RECEIVED_AT = new Date("2030-01-02T03:04:05.000Z");

export type Payload = Record<string, unknown> & { action: string; data: Record<string, unknown> };

/** `<resource>.<action>[.variant].json` relative to the fixtures folder. */
export function loadFixture(relative: string): Payload {
  return JSON.parse(readFileSync(path.join(fixturesDir, relative), "utf8")) as Payload;
}

export function resourceOf(relative: string): string {
  return path.basename(relative).split(".")[0] ?? "";
}

/** Every webhook body among the fixtures (not the setup mock or the signature vectors). */
export function webhookFixtures(): string[] {
  return fixtureDirs.flatMap((dir) =>
    readdirSync(path.join(fixturesDir, dir))
      .filter((name) => name.endsWith(".json") && /^[a-z_]+\.[a-z_]+/.test(name))
      .filter((name) => name !== "signature-test-vectors.json")
      .map((name) => (dir ? `${dir}/${name}` : name)),
  );
}

/** A deep copy, so a test can vary one field without touching the shared fixture. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

export function transformPayload(
  resource: string,
  payload: unknown,
  receivedAt: Date = RECEIVED_AT,
): SourceEvent {
  const result = transformSentryWebhook({ resource, payload, receivedAt });
  if (result.kind !== "event") throw new Error(`expected an event, got: ${result.reason}`);
  expect(sourceEventSchema.parse(result.event)).toEqual(result.event);
  return result.event;
}

export function transformFixture(relative: string, receivedAt: Date = RECEIVED_AT): SourceEvent {
  return transformPayload(resourceOf(relative), loadFixture(relative), receivedAt);
}

export function refsOf(event: SourceEvent, type: SourceEvent["references"][number]["type"]) {
  return event.references.filter((ref) => ref.type === type);
}
