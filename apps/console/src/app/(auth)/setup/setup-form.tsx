"use client";

import { PASSWORD_MIN_LENGTH } from "@repo/auth/limits";
import { Button } from "@repo/ui/button";
import { Input } from "@repo/ui/input";
import { Label } from "@repo/ui/label";
import { Spinner } from "@repo/ui/spinner";
import { useActionState } from "react";
import { FormError } from "~/components/form-error";
import { createFirstAccountAction, type SetupState } from "./actions";

export function SetupForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<SetupState, FormData>(
    createFirstAccountAction,
    {},
  );
  return (
    <form action={action} className="grid gap-4">
      <FormError message={state.error} />
      <input type="hidden" name="token" value={token} />
      <div className="grid gap-2">
        <Label htmlFor="name">Name</Label>
        <Input id="name" name="name" autoComplete="name" required autoFocus />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="email">Email</Label>
        <Input id="email" name="email" type="email" autoComplete="email" required />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="password">Password</Label>
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={PASSWORD_MIN_LENGTH}
          required
        />
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? <Spinner /> : null}
        Create the first account
      </Button>
    </form>
  );
}
