"use client";

import { Button } from "@repo/ui/button";

export default function RootError({
  error,
  retry,
}: {
  error: Error & { digest?: string };
  retry: () => void;
}) {
  return (
    <main className="flex min-h-svh flex-col items-center justify-center gap-4 p-6 text-center">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="text-muted-foreground max-w-sm text-sm">
        The console could not show this page{error.digest ? ` (reference ${error.digest})` : ""}.
        Try again; if it keeps failing, the console's log has the reason.
      </p>
      <Button onClick={retry}>Try again</Button>
    </main>
  );
}
