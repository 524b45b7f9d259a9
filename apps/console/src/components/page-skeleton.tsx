import { Skeleton } from "@repo/ui/skeleton";
import type { ReactNode } from "react";

/** A page's shape while it loads, announced once to screen readers, so nothing jumps when it arrives. */
export function PageSkeleton(props: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-6" aria-busy="true">
      <span className="sr-only" role="status">
        {props.label}
      </span>
      {props.children}
    </div>
  );
}

/** The PageHeader's title and description lines. */
export function PageHeaderSkeleton() {
  return (
    <div className="flex flex-col gap-2 border-b pb-4">
      <Skeleton className="h-7 w-32" />
      <Skeleton className="h-4 w-full max-w-md" />
    </div>
  );
}
