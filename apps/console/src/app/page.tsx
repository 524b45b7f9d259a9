import { getRuntime } from "@api/console";
import { listWorkspacesOfUser } from "@db/console";
import { redirect } from "next/navigation";
import { requireSession } from "~/lib/auth";

export const dynamic = "force-dynamic";

/** The console's front door: sign-in, else the first workspace's feed, else making a first workspace. */
export default async function Home() {
  const session = await requireSession();
  const memberships = await listWorkspacesOfUser((await getRuntime()).db, {
    userId: session.user.id,
  });
  const preferred =
    memberships.find((m) => m.workspace.id === session.session.activeOrganizationId) ??
    memberships[0];
  redirect(preferred ? `/w/${preferred.workspace.id}/feed` : "/onboarding");
}
