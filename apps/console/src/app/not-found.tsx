import { Button } from "@repo/ui/button";
import { SearchXIcon } from "lucide-react";
import Link from "next/link";

/** Also what a workspace page answers to someone who is not its member: the same as one that does not exist. */
export default function NotFound() {
  return (
    <main className="flex min-h-svh flex-col items-center justify-center gap-4 p-6 text-center">
      <SearchXIcon className="text-muted-foreground size-10" aria-hidden />
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="text-muted-foreground max-w-sm text-sm">
        This page does not exist, or it belongs to a workspace you are not a member of.
      </p>
      <Button asChild variant="outline">
        <Link href="/">Back to your workspaces</Link>
      </Button>
    </main>
  );
}
