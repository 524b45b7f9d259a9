import { Skeleton } from "@repo/ui/skeleton";
import { PageHeaderSkeleton, PageSkeleton } from "~/components/page-skeleton";
import { ResultCardsSkeleton } from "./search-results";

/** The page's shape while the workspace check and the first search run. */
export default function Loading() {
  return (
    <PageSkeleton label="Loading search…">
      <PageHeaderSkeleton />
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
    </PageSkeleton>
  );
}
