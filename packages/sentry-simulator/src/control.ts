import { z } from "zod";
import type { RefreshFailureMode, SimulatorStats } from "./context";
import { detail, isReply, jsonObject, NOT_FOUND, type Reply, reply, type SimRequest } from "./http";

/** The parts of the simulator the control endpoints drive. */
export interface Controls {
  url: string;
  clock: { now(): number; advance(ms: number): void };
  seedIssues(count: number, opts?: { project?: string }): void;
  stats(): SimulatorStats;
  installations(): { uuid: string; status: "pending" | "installed"; org: string }[];
  failNextRefresh(mode: RefreshFailureMode, times?: number): void;
  revokeInstallation(uuid: string): Promise<void>;
  deliver(resource: string, body: unknown): Promise<Response>;
  hasInstallation(uuid: string): boolean;
  hasWebhookUrl(): boolean;
  issueCount(): number;
}

const clockBody = z.object({ advanceMs: z.number().int().min(0) });
const issuesBody = z.object({
  count: z.number().int().min(0).max(100_000),
  project: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/)
    .optional(),
});
const failBody = z.object({
  mode: z.enum(["reject", "lose-answer"]),
  times: z.number().int().min(1).max(1000).optional(),
});
const deliverBody = z.object({
  resource: z.string().min(1),
  body: z.unknown().refine((value) => value !== undefined, "body is required"),
});

function parse<T>(schema: z.ZodType<T>, req: SimRequest): T | Reply {
  const json = jsonObject(req);
  if (isReply(json)) return json;
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  return reply(400, {
    detail: "Invalid request body",
    issues: result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
  });
}

/**
 * `/__simulator/...`: lets another process (a test runner, a shell) drive a simulator started with
 * `pnpm sentry:simulator`. Not part of Sentry's API.
 */
export async function control(sim: Controls, req: SimRequest, path: string): Promise<Reply> {
  const post = req.method === "POST";
  const get = req.method === "GET" || req.method === "HEAD";
  const clockNow = () => ({ now: new Date(sim.clock.now()).toISOString(), nowMs: sim.clock.now() });

  if (path === "" && get) return reply(200, { url: sim.url, ...clockNow() });
  if (path === "clock" && get) return reply(200, clockNow());
  if (path === "clock" && post) {
    const body = parse(clockBody, req);
    if (isReply(body)) return body;
    sim.clock.advance(body.advanceMs);
    return reply(200, clockNow());
  }
  if (path === "stats" && get) return reply(200, sim.stats());
  if (path === "installations" && get) return reply(200, sim.installations());
  if (path === "issues" && post) {
    const body = parse(issuesBody, req);
    if (isReply(body)) return body;
    sim.seedIssues(body.count, { project: body.project });
    return reply(201, { seeded: body.count, total: sim.issueCount() });
  }
  if (path === "fail-next-refresh" && post) {
    const body = parse(failBody, req);
    if (isReply(body)) return body;
    sim.failNextRefresh(body.mode, body.times);
    return reply(200, { mode: body.mode, times: body.times ?? 1 });
  }
  const revoke = /^installations\/([^/]+)\/revoke$/.exec(path);
  if (revoke && post) {
    const uuid = decodeURIComponent(revoke[1]!);
    if (!sim.hasInstallation(uuid)) return detail(404, "No such installation");
    await sim.revokeInstallation(uuid);
    return reply(200, { revoked: uuid });
  }
  if (path === "deliver" && post) {
    const body = parse(deliverBody, req);
    if (isReply(body)) return body;
    if (!sim.hasWebhookUrl()) return detail(409, "The simulator has no webhookUrl");
    try {
      const res = await sim.deliver(body.resource, body.body);
      return reply(200, { status: res.status, body: await res.text() });
    } catch (error) {
      return detail(
        502,
        `Delivery failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return NOT_FOUND;
}
