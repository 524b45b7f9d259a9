import { env as authEnv } from "@repo/auth/env";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@repo/ui/card";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSession } from "~/lib/auth";
import { safeNext } from "~/lib/safe-next";
import { SignInForm } from "./sign-in-form";

export const dynamic = "force-dynamic";

export default async function SignInPage(props: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await props.searchParams;
  if (await getSession()) redirect(safeNext(next));
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sign in</CardTitle>
        <CardDescription>to your workspaces</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <SignInForm next={next} />
        <p className="text-muted-foreground text-center text-sm">
          {authEnv.CONSOLE_SIGNUP === "open" ? (
            <>
              No account yet?{" "}
              <Link href="/sign-up" className="text-foreground underline underline-offset-4">
                Create one
              </Link>
            </>
          ) : (
            "No account yet? Ask a workspace admin to invite you."
          )}
        </p>
      </CardContent>
    </Card>
  );
}
