import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@repo/ui/card";
import { BrainCircuitIcon } from "lucide-react";
import { requireSession } from "~/lib/auth";
import { CreateWorkspaceForm } from "../workspaces/create-workspace-form";

export const dynamic = "force-dynamic";

export default async function OnboardingPage() {
  const session = await requireSession();
  return (
    <main className="bg-muted/40 flex min-h-svh flex-col items-center justify-center gap-6 p-4">
      <div className="flex items-center gap-2 font-semibold">
        <BrainCircuitIcon className="size-6" aria-hidden />
        Neural memory console
      </div>
      <Card className="w-full max-w-sm">
        <CardHeader>
          <CardTitle>Create a workspace</CardTitle>
          <CardDescription>
            Welcome, {session.user.name}. A workspace holds one team's sources, memory and API keys;
            you can make more later.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <CreateWorkspaceForm />
        </CardContent>
      </Card>
    </main>
  );
}
