import { Skeleton } from "@repo/ui/skeleton";
import { PageSkeleton } from "~/components/page-skeleton";

/** The feed's shape while the workspace check and the first page load, so nothing jumps. */
export default function FeedLoading() {
  return (
    <PageSkeleton label="Loading the feed…">
      <div className="flex flex-col gap-3 border-b pb-4 sm:flex-row sm:items-end sm:justify-between">
        <div className="flex flex-col gap-2">
          <Skeleton className="h-7 w-20" />
          <Skeleton className="h-4 w-72 max-w-full" />
        </div>
        <Skeleton className="h-8 w-32" />
      </div>
      <div className="grid grid-cols-1 gap-3 min-[420px]:grid-cols-2 sm:flex sm:flex-wrap">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="flex flex-col gap-1.5">
            <Skeleton className="h-3 w-12" />
            <Skeleton className="h-8 w-full sm:w-44" />
          </div>
        ))}
      </div>
      <ol className="flex flex-col gap-2">
        {Array.from({ length: 8 }, (_, i) => (
          <li key={i} className="flex flex-col gap-2 rounded-lg border p-3 sm:p-4">
            <div className="flex flex-col gap-1 sm:flex-row sm:justify-between sm:gap-4">
              <Skeleton className="h-5 w-full max-w-md" />
              <Skeleton className="h-3 w-16" />
            </div>
            <Skeleton className="h-4 w-full max-w-2xl" />
            <div className="flex flex-wrap gap-2">
              <Skeleton className="h-5 w-14" />
              <Skeleton className="h-5 w-12" />
              <Skeleton className="h-4 w-24" />
              <Skeleton className="h-4 w-20" />
            </div>
          </li>
        ))}
      </ol>
    </PageSkeleton>
  );
}
