import { Skeleton } from "@repo/ui/skeleton";
import { ResultCardsSkeleton } from "./search-results";

/** The page's shape while the workspace check and the first search run. */
export default function Loading() {
  return (
    <div className="flex flex-col gap-6" aria-busy="true">
      <span className="sr-only" role="status">
        Loading search…
      </span>
      <div className="flex flex-col gap-2 border-b pb-4">
        <Skeleton className="h-7 w-24" />
        <Skeleton className="h-4 w-full max-w-md" />
      </div>
      <div className="flex flex-col gap-3">
        <div className="flex gap-2">
          <Skeleton className="h-9 flex-1" />
          <Skeleton className="h-9 w-24" />
        </div>
        <div className="flex gap-3">
          <Skeleton className="h-8 w-32" />
          <Skeleton className="h-8 w-32" />
          <Skeleton className="h-8 w-24" />
        </div>
      </div>
      <ResultCardsSkeleton />
    </div>
  );
}
