import { getRuntime } from "@api/console";
import { listWorkspacesOfUser } from "@db/console";
import type { ReactNode } from "react";
import { requireWorkspace } from "~/lib/auth";
import { UserMenu } from "./_shell/user-menu";
import { MobileNav, WorkspaceNav } from "./_shell/workspace-nav";
import { WorkspaceSwitcher } from "./_shell/workspace-switcher";

export const dynamic = "force-dynamic";

/** The shell of every workspace page; membership is checked here and again by each page and action. */
export default async function WorkspaceLayout(props: {
  children: ReactNode;
  params: Promise<{ workspaceId: string }>;
}) {
  const { workspaceId } = await props.params;
  const { session, workspace } = await requireWorkspace(workspaceId);
  const memberships = await listWorkspacesOfUser((await getRuntime()).db, {
    userId: session.user.id,
  });
  const workspaces = memberships.map((m) => ({ id: m.workspace.id, name: m.workspace.name }));
  const switcher = (
    <WorkspaceSwitcher
      current={{ id: workspace.id, name: workspace.name }}
      workspaces={workspaces}
    />
  );
  const user = <UserMenu name={session.user.name} email={session.user.email} />;

  return (
    <div className="flex min-h-svh flex-col md:flex-row">
      <a
        href="#main"
        className="bg-background sr-only z-50 rounded-md px-3 py-2 focus:not-sr-only focus:absolute focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <aside className="bg-muted/30 hidden w-60 shrink-0 flex-col gap-4 border-r p-3 md:flex">
        {switcher}
        <WorkspaceNav workspaceId={workspace.id} />
        <div className="mt-auto">{user}</div>
      </aside>
      <header className="flex items-center gap-2 border-b p-2 md:hidden">
        <MobileNav workspaceId={workspace.id} footer={user}>
          {switcher}
        </MobileNav>
        <span className="truncate font-medium">{workspace.name}</span>
      </header>
      <main id="main" className="min-w-0 flex-1 p-4 sm:p-6">
        <div className="mx-auto flex max-w-6xl flex-col gap-6">{props.children}</div>
      </main>
    </div>
  );
}
