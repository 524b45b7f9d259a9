import { getRuntime } from "@api/console";
import { type ApiKeySummary, listApiKeys } from "@db/console";
import { Badge } from "@repo/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@repo/ui/table";
import { KeyRoundIcon } from "lucide-react";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { requireWorkspace } from "~/lib/auth";
import { CreateKeyDialog } from "./create-key-dialog";
import { RevokeKeyButton } from "./revoke-key-button";

export const dynamic = "force-dynamic";

type KeyState = "active" | "revoked" | "expired";

function stateOf(key: ApiKeySummary, now: Date): KeyState {
  if (!key.isActive) return "revoked";
  if (key.expiresAt && key.expiresAt <= now) return "expired";
  return "active";
}

function day(date: Date | null): string {
  return date ? date.toISOString().slice(0, 10) : "—";
}

export default async function ApiKeysPage(props: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await props.params;
  const { workspace } = await requireWorkspace(workspaceId);
  const keys = await listApiKeys((await getRuntime()).db, { workspaceId: workspace.id });
  const now = new Date();
  const create = <CreateKeyDialog workspaceId={workspace.id} />;

  return (
    <>
      <PageHeader
        title="API keys"
        description={
          <>
            Keys for <code>POST /v1/search</code>; each one searches {workspace.name} only.
          </>
        }
        // One dialog, always here: a re-render after creating (the first key ends the empty state) must
        // not unmount the dialog that is showing the new secret.
        actions={create}
      />
      {keys.length === 0 ? (
        <EmptyState
          icon={KeyRoundIcon}
          title="No API keys yet"
          description="Create one (button above) for each agent or service that searches this workspace, so you can revoke them one by one."
        />
      ) : (
        <div className="overflow-x-auto rounded-md border">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Key</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="hidden sm:table-cell">Created</TableHead>
                <TableHead>Last used</TableHead>
                <TableHead className="hidden sm:table-cell">Expires</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {keys.map((key) => {
                const state = stateOf(key, now);
                return (
                  <TableRow key={key.id} data-testid="api-key-row">
                    <TableCell className="font-medium">{key.name}</TableCell>
                    <TableCell className="font-mono text-xs">
                      {key.prefix}…{key.suffix}
                    </TableCell>
                    <TableCell>
                      <Badge variant={state === "active" ? "secondary" : "outline"}>{state}</Badge>
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">{day(key.createdAt)}</TableCell>
                    <TableCell>{key.lastUsedAt ? day(key.lastUsedAt) : "Never"}</TableCell>
                    <TableCell className="hidden sm:table-cell">
                      {key.expiresAt ? day(key.expiresAt) : "Never"}
                    </TableCell>
                    <TableCell className="text-right">
                      {state === "active" ? (
                        <RevokeKeyButton
                          workspaceId={workspace.id}
                          keyId={key.id}
                          name={key.name}
                        />
                      ) : null}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
    </>
  );
}
