"use client";

import { Button } from "@repo/ui/button";
import { RotateCcwIcon, ServerCrashIcon } from "lucide-react";
import { useEffect } from "react";
import { EmptyState } from "~/components/empty-state";

/**
 * A search that threw (not one the URL got wrong: that is an inline message). Server errors arrive
 * without their message in production, so the digest is what lets someone find the log line.
 */
export default function SearchError(props: { error: unknown; retry: () => void }) {
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
      title="The search failed"
      description={
        <>
          Something went wrong while searching this workspace. It is often temporary; try again.
          {digest ? (
            <span className="mt-2 block font-mono text-xs">Reference: {digest}</span>
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
