import { getHealth, getRuntime } from "@api/console";
import { listPendingInvitations, listWorkspaceMembers } from "@db/console";
import { Badge } from "@repo/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@repo/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@repo/ui/table";
import { PageHeader } from "~/components/page-header";
import { requireWorkspace } from "~/lib/auth";
import { InviteForm } from "./invite-form";
import { RenameForm } from "./rename-form";

export const dynamic = "force-dynamic";

export default async function SettingsPage(props: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await props.params;
  const { workspace, role } = await requireWorkspace(workspaceId);
  const runtime = await getRuntime();
  const health = await getHealth(runtime);
  const [members, invitations] = await Promise.all([
    listWorkspaceMembers(runtime.db, { workspaceId: workspace.id }),
    listPendingInvitations(runtime.db, { workspaceId: workspace.id }),
  ]);
  const canManage = role === "owner" || role === "admin";
  const parts = [
    ["Database", health.database, health.details.database.target],
    ["Vectors", health.vectors, `${health.details.vectors.dimension}-d`],
    ["Embeddings", health.embeddings, health.details.embeddings.model],
    ["Workflows", health.workflows, ""],
  ] as const;

  return (
    <>
      <PageHeader title="Settings" description={`Workspace ${workspace.id} · your role: ${role}`} />
      <Card>
        <CardHeader>
          <CardTitle>Workspace</CardTitle>
          <CardDescription>Owners and admins can rename it.</CardDescription>
        </CardHeader>
        <CardContent>
          <RenameForm workspaceId={workspace.id} name={workspace.name} canEdit={canManage} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Members</CardTitle>
          <CardDescription>
            Members see everything in this workspace and nothing in your other workspaces.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6">
          <div className="overflow-x-auto">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Email</TableHead>
                  <TableHead>Role</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {members.map((m) => (
                  <TableRow key={m.userId}>
                    <TableCell>{m.name}</TableCell>
                    <TableCell>{m.email}</TableCell>
                    <TableCell>
                      <Badge variant="secondary">{m.role}</Badge>
                    </TableCell>
                  </TableRow>
                ))}
                {invitations.map((i) => (
                  <TableRow key={i.id}>
                    <TableCell className="text-muted-foreground">Invited</TableCell>
                    <TableCell>{i.email}</TableCell>
                    <TableCell>
                      <Badge variant="outline">{i.role ?? "member"} · pending</Badge>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          {canManage ? <InviteForm workspaceId={workspace.id} /> : null}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Console</CardTitle>
          <CardDescription>
            Status: {health.status}. The backends this console runs on, shared by every workspace.
          </CardDescription>
        </CardHeader>
        <CardContent className="overflow-x-auto">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Part</TableHead>
                <TableHead>Backend</TableHead>
                <TableHead>Detail</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {parts.map(([part, backend, detail]) => (
                <TableRow key={part}>
                  <TableCell>{part}</TableCell>
                  <TableCell>
                    <code>{backend}</code>
                  </TableCell>
                  <TableCell>{detail}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
    </>
  );
}
