import { getRuntime } from "@api/console";
import { getPendingInvitation } from "@db/console";
import { env as authEnv } from "@repo/auth/env";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@repo/ui/card";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSession } from "~/lib/auth";
import { SignUpForm } from "./sign-up-form";

export const dynamic = "force-dynamic";

export default async function SignUpPage(props: {
  searchParams: Promise<{ invitation?: string }>;
}) {
  if (await getSession()) redirect("/");
  const { invitation: invitationId } = await props.searchParams;
  const invitation = invitationId
    ? await getPendingInvitation((await getRuntime()).db, { invitationId })
    : undefined;
  const open = authEnv.CONSOLE_SIGNUP === "open";

  if (!open && !invitation) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>Sign-up is by invitation</CardTitle>
          <CardDescription>
            {invitationId
              ? "This invitation is used, expired or withdrawn. Ask for a new one."
              : "Ask a workspace admin to invite you; the invitation link brings you back here."}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <Link href="/sign-in" className="text-sm underline underline-offset-4">
            Back to sign-in
          </Link>
        </CardContent>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>Create your account</CardTitle>
        <CardDescription>
          {invitation
            ? `You are invited to ${invitation.workspaceName}.`
            : "Then create or join a workspace."}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <SignUpForm
          email={invitation?.email}
          invitationId={invitation ? invitationId : undefined}
        />
        <p className="text-muted-foreground text-center text-sm">
          Have an account?{" "}
          <Link href="/sign-in" className="text-foreground underline underline-offset-4">
            Sign in
          </Link>
        </p>
      </CardContent>
    </Card>
  );
}
