import { getAuth } from "~/lib/auth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** better-auth's endpoints (sign-in, sign-out, sessions, workspaces as organizations). */
async function handle(request: Request): Promise<Response> {
  return (await getAuth()).handler(request);
}

export { handle as DELETE, handle as GET, handle as PATCH, handle as POST, handle as PUT };
