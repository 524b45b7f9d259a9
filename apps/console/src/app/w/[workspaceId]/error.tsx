"use client";

import { Alert, AlertDescription, AlertTitle } from "@repo/ui/alert";
import { Button } from "@repo/ui/button";

export default function WorkspaceError({
  error,
  retry,
}: {
  error: Error & { digest?: string };
  retry: () => void;
}) {
  return (
    <Alert variant="destructive">
      <AlertTitle>This page could not be shown</AlertTitle>
      <AlertDescription className="grid gap-3">
        <p>
          Something failed on the console's side{error.digest ? ` (reference ${error.digest})` : ""}
          . Try again; if it keeps failing, the console's log has the reason.
        </p>
        <Button variant="outline" size="sm" className="w-fit" onClick={retry}>
          Try again
        </Button>
      </AlertDescription>
    </Alert>
  );
}
