"use client";

import { Alert, AlertDescription, AlertTitle } from "@repo/ui/alert";
import { Button } from "@repo/ui/button";
import { CopyButton } from "@repo/ui/copy-button";
import { Input } from "@repo/ui/input";
import { Label } from "@repo/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@repo/ui/select";
import { Spinner } from "@repo/ui/spinner";
import { useActionState } from "react";
import { FormError } from "~/components/form-error";
import { type InviteState, inviteMemberAction } from "./actions";

export function InviteForm({ workspaceId }: { workspaceId: string }) {
  const [state, action, pending] = useActionState<InviteState, FormData>(inviteMemberAction, {});
  return (
    <form action={action} className="grid gap-3">
      <FormError message={state.error} />
      {state.link ? (
        <Alert>
          <AlertTitle>Send this link to {state.email}</AlertTitle>
          <AlertDescription>
            <div className="flex w-full items-center gap-2">
              <Input readOnly value={state.link} aria-label="Invitation link" className="text-xs" />
              <CopyButton value={state.link} />
            </div>
          </AlertDescription>
        </Alert>
      ) : null}
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="grid flex-1 gap-2">
          <Label htmlFor="invite-email">Email</Label>
          <Input id="invite-email" name="email" type="email" required />
        </div>
        <div className="grid gap-2">
          <Label htmlFor="invite-role">Role</Label>
          <Select name="role" defaultValue="member">
            <SelectTrigger id="invite-role" className="w-32">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="member">Member</SelectItem>
              <SelectItem value="admin">Admin</SelectItem>
            </SelectContent>
          </Select>
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? <Spinner /> : null}
          Invite
        </Button>
      </div>
    </form>
  );
}
