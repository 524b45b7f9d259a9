import { Skeleton } from "@repo/ui/skeleton";
import { PageHeaderSkeleton, PageSkeleton } from "~/components/page-skeleton";

export default function WorkspaceLoading() {
  return (
    <PageSkeleton label="Loading…">
      <PageHeaderSkeleton />
      <Skeleton className="h-40 w-full" />
    </PageSkeleton>
  );
}
