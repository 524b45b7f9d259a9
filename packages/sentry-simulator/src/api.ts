import type { InstallationRecord, SimContext } from "./context";
import { detail, isReply, type Reply, reply, type SimRequest } from "./http";
import { linkHeader, parseCursor } from "./issues";
import { authenticate } from "./oauth";

const MAX_LIMIT = 100;

/** Bearer auth plus the organization check shared by the organization-scoped read endpoints. */
function orgAccess(ctx: SimContext, req: SimRequest, org: string): InstallationRecord | Reply {
  ctx.stats.apiCalls++;
  const inst = authenticate(ctx, req);
  if (isReply(inst)) return inst;
  if (org !== inst.orgSlug && org !== inst.orgId) {
    return detail(403, "You do not have permission to perform this action.");
  }
  return inst;
}

/**
 * `GET /api/0/organizations/{org}/issues/`: Sentry's defaults (query `is:unresolved` when the parameter
 * is absent, `query=` for everything; limit 100), offset cursors with the `Link` header, and the
 * organization's fixed-window rate limit with its headers on every authenticated answer.
 */
export function listIssues(ctx: SimContext, req: SimRequest, org: string): Reply {
  const inst = orgAccess(ctx, req, org);
  if (isReply(inst)) return inst;
  const rate = ctx.limiter.take(`org:${inst.orgId}`);
  if (rate.limited) {
    ctx.stats.rateLimited++;
    return detail(429, ctx.limiter.message(), rate.headers);
  }
  const params = req.url.searchParams;
  const rawLimit = params.get("limit") ?? params.get("per_page");
  let limit = MAX_LIMIT;
  if (rawLimit !== null && rawLimit !== "") {
    limit = Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1) return detail(400, "invalid limit", rate.headers);
    limit = Math.min(limit, MAX_LIMIT);
  }
  const offset = parseCursor(params.get("cursor"));
  if (offset === undefined) return detail(400, "Invalid cursor parameter.", rate.headers);

  const matches = ctx.issues.search((params.get("query") ?? "is:unresolved").trim(), {
    projectIds: params.getAll("project"),
    sort: params.get("sort") ?? undefined,
  });
  const self = selfUrl(ctx, req);
  return reply(200, matches.slice(offset, offset + limit), {
    ...rate.headers,
    Link: linkHeader(self, { offset, limit, total: matches.length }),
    "X-Hits": String(matches.length),
    "X-Max-Hits": String(matches.length),
  });
}

/** The request's absolute URL as the client addressed it (Sentry builds `Link` from it). */
function selfUrl(ctx: SimContext, req: SimRequest): URL {
  const path = `${req.url.pathname}${req.url.search}`;
  try {
    if (req.headers.host) return new URL(path, `http://${req.headers.host}`);
  } catch {
    // an odd Host header: fall back to the listening address
  }
  return new URL(path, ctx.baseUrl());
}

/** `GET /api/0/organizations/{org}/issues/{id}/`. */
export function getIssue(ctx: SimContext, req: SimRequest, org: string, id: string): Reply {
  const inst = orgAccess(ctx, req, org);
  if (isReply(inst)) return inst;
  const issue = ctx.issues.byId(id);
  return issue ? reply(200, issue) : detail(404, "The requested resource does not exist");
}

/** `GET /api/0/organizations/{org}/projects/`: the projects issues were seeded into. */
export function listProjects(ctx: SimContext, req: SimRequest, org: string): Reply {
  const inst = orgAccess(ctx, req, org);
  if (isReply(inst)) return inst;
  return reply(200, ctx.issues.projectList());
}
