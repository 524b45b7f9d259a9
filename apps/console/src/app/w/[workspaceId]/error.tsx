"use client";

import { Button } from "@repo/ui/button";
import { RotateCcwIcon, ServerCrashIcon } from "lucide-react";
import { useEffect } from "react";
import { EmptyState } from "~/components/empty-state";

/**
 * The one error boundary of a workspace's pages: it sits inside the shell, so navigation still works.
 * `retry` fetches the page from the server again (`reset` would re-render the same failure). Production
 * errors reach the browser without their message; the digest is what finds the server's log line.
 */
export default function WorkspaceError(props: {
  error: Error & { digest?: string };
  retry: () => void;
}) {
  const { error } = props;
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <EmptyState
      icon={ServerCrashIcon}
      title="This page could not be shown"
      description={
        <>
          Something failed on the console's side. It is often temporary; try again. If it keeps
          failing, the console's log has the reason.
          {error.digest ? (
            <span className="mt-2 block font-mono text-xs">Reference: {error.digest}</span>
          ) : null}
        </>
      }
      action={
        <Button variant="outline" size="sm" onClick={() => props.retry()}>
          <RotateCcwIcon aria-hidden />
          Try again
        </Button>
      }
    />
  );
}
