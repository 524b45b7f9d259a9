"use client";

import { Alert, AlertDescription, AlertTitle } from "@repo/ui/alert";
import { Button } from "@repo/ui/button";
import { CopyButton } from "@repo/ui/copy-button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@repo/ui/dialog";
import { Input } from "@repo/ui/input";
import { Label } from "@repo/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@repo/ui/select";
import { Spinner } from "@repo/ui/spinner";
import { PlusIcon, TriangleAlertIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { FormError } from "~/components/form-error";
import { type CreateKeyState, createApiKeyAction } from "./actions";

export function CreateKeyDialog({ workspaceId }: { workspaceId: string }) {
  const [open, setOpen] = useState(false);
  // A fresh form state per opening: the secret of the last key must not reappear.
  const [round, setRound] = useState(0);
  const router = useRouter();
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setRound((r) => r + 1);
          router.refresh();
        }
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden />
          Create API key
        </Button>
      </DialogTrigger>
      <DialogContent>
        <CreateKeyForm
          key={round}
          workspaceId={workspaceId}
          onDone={() => {
            setOpen(false);
            setRound((r) => r + 1);
            router.refresh();
          }}
        />
      </DialogContent>
    </Dialog>
  );
}

function CreateKeyForm(props: { workspaceId: string; onDone: () => void }) {
  const [state, action, pending] = useActionState<CreateKeyState, FormData>(createApiKeyAction, {});
  if (state.secret) {
    return (
      <>
        <DialogHeader>
          <DialogTitle>Copy your new key</DialogTitle>
          <DialogDescription>
            {state.name}: use it as <code>Authorization: Bearer &lt;key&gt;</code> on /v1/search.
          </DialogDescription>
        </DialogHeader>
        <Alert>
          <TriangleAlertIcon aria-hidden />
          <AlertTitle>Shown once</AlertTitle>
          <AlertDescription>
            Only a hash is stored; nobody can show this key again.
          </AlertDescription>
        </Alert>
        <div className="flex items-center gap-2">
          <Input
            readOnly
            value={state.secret}
            aria-label="New API key"
            data-testid="new-api-key"
            className="font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
          />
          <CopyButton value={state.secret} />
        </div>
        <DialogFooter>
          <Button onClick={props.onDone}>Done</Button>
        </DialogFooter>
      </>
    );
  }
  return (
    <form action={action} className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Create API key</DialogTitle>
        <DialogDescription>Keys search this workspace only.</DialogDescription>
      </DialogHeader>
      <FormError message={state.error} />
      <input type="hidden" name="workspaceId" value={props.workspaceId} />
      <div className="grid gap-2">
        <Label htmlFor="key-name">Name</Label>
        <Input id="key-name" name="name" placeholder="Support agent" maxLength={80} required />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="key-expiry">Expires</Label>
        <Select name="expiresInDays" defaultValue="never">
          <SelectTrigger id="key-expiry" className="w-full">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="never">Never</SelectItem>
            <SelectItem value="30">In 30 days</SelectItem>
            <SelectItem value="90">In 90 days</SelectItem>
            <SelectItem value="365">In a year</SelectItem>
          </SelectContent>
        </Select>
      </div>
      <DialogFooter>
        <Button type="submit" disabled={pending}>
          {pending ? <Spinner /> : null}
          Create key
        </Button>
      </DialogFooter>
    </form>
  );
}
