import { getRuntime } from "@api/console";
import { getPendingInvitation } from "@db/console";
import { Button } from "@repo/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@repo/ui/card";
import Link from "next/link";
import { getSession } from "~/lib/auth";
import { AcceptInvitation } from "./accept-invitation";

export const dynamic = "force-dynamic";

export default async function InvitationPage(props: { params: Promise<{ invitationId: string }> }) {
  const { invitationId } = await props.params;
  const invitation = await getPendingInvitation((await getRuntime()).db, { invitationId });
  const session = await getSession();
  const here = `/invitations/${invitationId}`;

  return (
    <main className="bg-muted/40 flex min-h-svh items-center justify-center p-4">
      <Card className="w-full max-w-sm">
        {!invitation ? (
          <CardHeader>
            <CardTitle>This invitation does not work</CardTitle>
            <CardDescription>It is used, expired or withdrawn: ask for a new one.</CardDescription>
          </CardHeader>
        ) : (
          <>
            <CardHeader>
              <CardTitle>Join {invitation.workspaceName}</CardTitle>
              <CardDescription>This invitation is for {invitation.email}.</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-3">
              {session ? (
                session.user.email === invitation.email ? (
                  <AcceptInvitation invitationId={invitationId} />
                ) : (
                  <p className="text-sm">
                    You are signed in as {session.user.email}. Sign out and open this link again as{" "}
                    {invitation.email}.
                  </p>
                )
              ) : (
                <>
                  <Button asChild>
                    <Link href={`/sign-up?invitation=${invitationId}`}>Create an account</Link>
                  </Button>
                  <Button asChild variant="outline">
                    <Link href={`/sign-in?next=${encodeURIComponent(here)}`}>
                      I already have an account
                    </Link>
                  </Button>
                </>
              )}
            </CardContent>
          </>
        )}
      </Card>
    </main>
  );
}
