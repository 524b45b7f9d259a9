import { completeSentryConnect, getRuntime, sentryAppConfig } from "@api/console";
import { getSession } from "~/lib/auth";
import { htmlPage, redirectTo } from "~/lib/html-page";
import { queueSentryBackfill } from "~/lib/sentry-backfill";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Sentry's redirect after the install: 302 to the Sources page, or a page saying what failed (400/502). */
export async function GET(request: Request) {
  const url = new URL(request.url);
  const config = sentryAppConfig();
  if (!config) {
    return htmlPage({
      status: 503,
      title: "Sentry is not configured on this console",
      message: "Set SENTRY_CLIENT_ID and SENTRY_CLIENT_SECRET, restart, and connect again.",
    });
  }
  const session = await getSession();
  const rt = await getRuntime();
  const outcome = await completeSentryConnect(
    { db: rt.db, keyring: rt.keyring, config },
    {
      query: url.searchParams,
      session: session ? { userId: session.user.id, sessionId: session.session.id } : null,
    },
  );
  if (!outcome.ok) {
    return htmlPage({
      status: outcome.status,
      title: outcome.title,
      message: outcome.message,
      link: outcome.workspaceId
        ? { href: `/w/${outcome.workspaceId}/sources`, label: "Back to Sources" }
        : { href: "/", label: "Back to the console" },
    });
  }
  await queueSentryBackfill(rt, outcome);
  return redirectTo(`/w/${outcome.workspaceId}/sources?connected=sentry`);
}
