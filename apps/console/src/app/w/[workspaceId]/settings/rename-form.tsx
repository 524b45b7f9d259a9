"use client";

import { Button } from "@repo/ui/button";
import { Input } from "@repo/ui/input";
import { Label } from "@repo/ui/label";
import { Spinner } from "@repo/ui/spinner";
import { useActionState } from "react";
import { renameWorkspaceAction, type WorkspaceFormState } from "~/app/workspaces/actions";
import { FormError } from "~/components/form-error";

export function RenameForm(props: { workspaceId: string; name: string; canEdit: boolean }) {
  const [state, action, pending] = useActionState<WorkspaceFormState, FormData>(
    renameWorkspaceAction,
    {},
  );
  return (
    <form action={action} className="grid max-w-md gap-3">
      <FormError message={state.error} />
      {state.ok ? (
        <p role="status" className="text-sm text-emerald-700">
          Saved.
        </p>
      ) : null}
      <input type="hidden" name="workspaceId" value={props.workspaceId} />
      <Label htmlFor="workspace-name">Name</Label>
      <div className="flex gap-2">
        <Input
          id="workspace-name"
          name="name"
          defaultValue={props.name}
          maxLength={80}
          required
          disabled={!props.canEdit}
        />
        <Button type="submit" disabled={pending || !props.canEdit}>
          {pending ? <Spinner /> : null}
          Rename
        </Button>
      </div>
    </form>
  );
}
