"use client";

import { Alert, AlertDescription, AlertTitle } from "@repo/ui/alert";
import { Button } from "@repo/ui/button";
import { CircleAlertIcon, RefreshCwIcon } from "lucide-react";
import { useEffect } from "react";

/**
 * The overview reads the database; when that fails the rest of the shell still works, so the failure
 * stays inside the page with a way to try again.
 */
export default function SourcesError(props: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(props.error);
  }, [props.error]);
  // A server error reaches the client with its message hidden; the digest matches the server's log.
  const digest =
    props.error instanceof Error ? (props.error as Error & { digest?: string }).digest : undefined;
  return (
    <Alert variant="destructive">
      <CircleAlertIcon aria-hidden />
      <AlertTitle>Sources could not be loaded</AlertTitle>
      <AlertDescription>
        <p>The connection overview is unavailable right now. Webhooks are still received.</p>
        {digest ? <p className="font-mono text-xs">Reference: {digest}</p> : null}
        <Button variant="outline" size="sm" className="mt-2" onClick={() => props.retry()}>
          <RefreshCwIcon aria-hidden />
          Try again
        </Button>
      </AlertDescription>
    </Alert>
  );
}
