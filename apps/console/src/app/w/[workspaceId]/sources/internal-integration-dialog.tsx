"use client";

import { Button } from "@repo/ui/button";
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
import { Spinner } from "@repo/ui/spinner";
import { useActionState, useEffect, useState } from "react";
import { FormError } from "~/components/form-error";
import { connectInternalAction, type InternalFormState } from "./actions";

const FIELDS = [
  { name: "organizationSlug", label: "Organization slug", type: "text", placeholder: "acme" },
  { name: "installationId", label: "Installation id", type: "text", placeholder: "uuid" },
  { name: "token", label: "Token", type: "password", placeholder: "" },
  { name: "clientSecret", label: "Client secret", type: "password", placeholder: "" },
] as const;

/** Internal integrations (one organization, no OAuth) are connected by pasting their token and secret. */
export function InternalIntegrationDialog({ workspaceId }: { workspaceId: string }) {
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useActionState<InternalFormState, FormData>(
    connectInternalAction,
    {},
  );
  useEffect(() => {
    if (state.ok) setOpen(false);
  }, [state]);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost">Use an internal integration</Button>
      </DialogTrigger>
      <DialogContent>
        <form action={action} className="grid gap-4">
          <DialogHeader>
            <DialogTitle>Connect an internal integration</DialogTitle>
            <DialogDescription>
              For a single organization without OAuth: Sentry shows these on the integration's page
              (Settings, Developer Settings). They are stored encrypted and never shown again.
            </DialogDescription>
          </DialogHeader>
          <FormError message={state.error} />
          <input type="hidden" name="workspaceId" value={workspaceId} />
          {FIELDS.map((field) => (
            <div key={field.name} className="grid gap-2">
              <Label htmlFor={`internal-${field.name}`}>{field.label}</Label>
              <Input
                id={`internal-${field.name}`}
                name={field.name}
                type={field.type}
                placeholder={field.placeholder}
                autoComplete="off"
                required
              />
            </div>
          ))}
          <DialogFooter>
            <Button type="submit" disabled={pending}>
              {pending ? <Spinner /> : null}
              Connect
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
