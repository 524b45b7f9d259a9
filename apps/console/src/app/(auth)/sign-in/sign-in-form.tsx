"use client";

import { Button } from "@repo/ui/button";
import { Input } from "@repo/ui/input";
import { Label } from "@repo/ui/label";
import { Spinner } from "@repo/ui/spinner";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { FormError } from "~/components/form-error";
import { authClient } from "~/lib/auth-client";
import { safeNext } from "~/lib/safe-next";

export function SignInForm({ next }: { next?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    const { error } = await authClient.signIn.email({
      email: String(form.get("email")),
      password: String(form.get("password")),
    });
    if (error) {
      setPending(false);
      setError(
        error.status === 429
          ? "Too many attempts: wait a minute and try again."
          : "That email and password do not match an account.",
      );
      return;
    }
    router.replace(safeNext(next));
    router.refresh();
  }

  return (
    <form
      onSubmit={onSubmit}
      className="grid gap-4"
      aria-describedby={error ? "sign-in-error" : undefined}
    >
      <FormError message={error} id="sign-in-error" />
      <div className="grid gap-2">
        <Label htmlFor="email">Email</Label>
        <Input id="email" name="email" type="email" autoComplete="email" required autoFocus />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="password">Password</Label>
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? <Spinner /> : null}
        Sign in
      </Button>
    </form>
  );
}
