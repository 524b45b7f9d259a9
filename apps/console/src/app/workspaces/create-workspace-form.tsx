"use client";

import { Button } from "@repo/ui/button";
import { Input } from "@repo/ui/input";
import { Label } from "@repo/ui/label";
import { Spinner } from "@repo/ui/spinner";
import { useActionState } from "react";
import { FormError } from "~/components/form-error";
import { createWorkspaceAction, type WorkspaceFormState } from "./actions";

export function CreateWorkspaceForm({
  submitLabel = "Create workspace",
}: {
  submitLabel?: string;
}) {
  const [state, action, pending] = useActionState<WorkspaceFormState, FormData>(
    createWorkspaceAction,
    {},
  );
  return (
    <form action={action} className="grid gap-4">
      <FormError message={state.error} />
      <div className="grid gap-2">
        <Label htmlFor="workspace-name">Workspace name</Label>
        <Input
          id="workspace-name"
          name="name"
          placeholder="Acme payments"
          maxLength={80}
          required
          autoFocus
        />
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? <Spinner /> : null}
        {submitLabel}
      </Button>
    </form>
  );
}
