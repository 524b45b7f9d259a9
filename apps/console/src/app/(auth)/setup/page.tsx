import { getRuntime } from "@api/console";
import { setupLinkIsValid } from "@repo/auth";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@repo/ui/card";
import Link from "next/link";
import { SetupForm } from "./setup-form";

export const dynamic = "force-dynamic";

export default async function SetupPage(props: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await props.searchParams;
  const valid = token ? await setupLinkIsValid((await getRuntime()).db, token) : false;
  if (!token || !valid) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>This setup link does not work</CardTitle>
          <CardDescription>
            It is used, expired, or replaced by a newer one. If nobody has an account yet, restart
            the console: it prints a fresh link.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <Link href="/sign-in" className="text-sm underline underline-offset-4">
            Go to sign-in
          </Link>
        </CardContent>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>Welcome</CardTitle>
        <CardDescription>Create the console's first account. This link works once.</CardDescription>
      </CardHeader>
      <CardContent>
        <SetupForm token={token} />
      </CardContent>
    </Card>
  );
}
