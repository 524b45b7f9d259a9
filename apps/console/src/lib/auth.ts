import { getRuntime } from "@api/console";
import { getMembership, type Workspace } from "@db/console";
import { type Auth, createAuth, type Session } from "@repo/auth";
import { env as authEnv, consoleOrigins, consoleUrl } from "@repo/auth/env";
import { deriveSecret } from "@repo/secrets";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";

const GLOBAL_KEY = Symbol.for("neural-memory-console.auth");
type GlobalWithAuth = typeof globalThis & { [GLOBAL_KEY]?: Promise<Auth> };

/** One better-auth instance per process, on the console's runtime database (kept across dev reloads). */
export function getAuth(): Promise<Auth> {
  const g = globalThis as GlobalWithAuth;
  g[GLOBAL_KEY] ??= getRuntime().then((runtime) =>
    createAuth({
      db: runtime.db,
      secret: authEnv.BETTER_AUTH_SECRET ?? deriveSecret(runtime.keyring, "better-auth session"),
      baseURL: consoleUrl(),
      trustedOrigins: consoleOrigins(),
      signUp: authEnv.CONSOLE_SIGNUP,
      nextCookies: true,
    }),
  );
  return g[GLOBAL_KEY];
}

/** The signed-in session for this request, or null; read once per render. */
export const getSession = cache(async (): Promise<Session | null> => {
  const auth = await getAuth();
  return auth.api.getSession({ headers: await headers() });
});

/** The signed-in session, or a redirect to sign-in (pages and server actions alike). */
export async function requireSession(): Promise<Session> {
  const session = await getSession();
  if (!session) redirect("/sign-in");
  return session;
}

export interface WorkspaceContext {
  session: Session;
  workspace: Workspace;
  role: string;
}

/**
 * The workspace named in the URL, only if the signed-in user is a member. Anyone else gets a 404, the
 * same as a workspace that does not exist, so ids cannot be probed. Every page and action under
 * /w/[workspaceId] starts here; nothing reads workspace data by id without it.
 */
export const requireWorkspace = cache(async (workspaceId: string): Promise<WorkspaceContext> => {
  const session = await requireSession();
  const runtime = await getRuntime();
  const membership = await getMembership(runtime.db, {
    workspaceId,
    userId: session.user.id,
  });
  if (!membership) notFound();
  return { session, workspace: membership.workspace, role: membership.role };
});
