"use client";

import { Button } from "@repo/ui/button";
import { RotateCcwIcon, ServerCrashIcon } from "lucide-react";
import { useEffect } from "react";
import { EmptyState } from "~/components/empty-state";

/**
 * The feed failed to load. `retry` (when Next provides it) fetches the page from the server again;
 * `reset` alone would re-render the same failed result. Production errors arrive without their message,
 * so the digest is what finds the log line.
 */
export default function FeedError(props: {
  error: unknown;
  reset: () => void;
  retry?: () => void;
}) {
  const { error } = props;
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest =
    error instanceof Error && "digest" in error && typeof error.digest === "string"
      ? error.digest
      : undefined;
  return (
    <EmptyState
      icon={ServerCrashIcon}
      title="The feed could not be loaded"
      description={
        <>
          Reading this workspace's observations failed. It is often temporary; try again.
          {digest ? (
            <span className="mt-2 block font-mono text-xs">Reference: {digest}</span>
          ) : null}
        </>
      }
      action={
        <Button variant="outline" size="sm" onClick={() => (props.retry ?? props.reset)()}>
          <RotateCcwIcon aria-hidden />
          Try again
        </Button>
      }
    />
  );
}
