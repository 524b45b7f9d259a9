import {
  getRuntime,
  missingConnectSettings,
  sentryConnectConfig,
  startSentryConnect,
} from "@api/console";
import { getMembership } from "@db/console";
import { getSession } from "~/lib/auth";
import { htmlPage, redirectTo } from "~/lib/html-page";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** "Connect Sentry": signed-in members only; the state ties Sentry's answer to this session and workspace. */
export async function GET(request: Request) {
  const url = new URL(request.url);
  const workspaceId = url.searchParams.get("workspaceId") ?? "";
  const session = await getSession();
  if (!session) {
    const next = `${url.pathname}${url.search}`;
    return redirectTo(`/sign-in?next=${encodeURIComponent(next)}`);
  }
  const rt = await getRuntime();
  // Not a member answers like a workspace that does not exist.
  if (!(await getMembership(rt.db, { workspaceId, userId: session.user.id }))) {
    return htmlPage({ status: 404, title: "Not found", message: "No such workspace." });
  }
  const config = sentryConnectConfig();
  if (!config) {
    return htmlPage({
      status: 503,
      title: "Sentry is not configured on this console",
      message: `Set ${missingConnectSettings().join(", ")} (from your Sentry integration's settings; for development, pnpm sentry:simulator prints them) and restart the console.`,
      link: { href: `/w/${workspaceId}/sources`, label: "Back to Sources" },
    });
  }
  const { url: installUrl } = await startSentryConnect(rt.db, config, {
    userId: session.user.id,
    sessionId: session.session.id,
    workspaceId,
  });
  return Response.redirect(installUrl, 302);
}
