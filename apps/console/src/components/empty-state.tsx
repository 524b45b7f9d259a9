import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

/** What a list says when it has nothing to show: why, and the one thing to do about it. */
export function EmptyState(props: {
  icon: LucideIcon;
  title: string;
  description: ReactNode;
  action?: ReactNode;
}) {
  const Icon = props.icon;
  return (
    <div className="flex flex-col items-center justify-center gap-3 rounded-lg border border-dashed px-6 py-12 text-center">
      <Icon className="text-muted-foreground size-8" aria-hidden />
      <div>
        <p className="font-medium">{props.title}</p>
        <p className="text-muted-foreground mt-1 max-w-md text-sm">{props.description}</p>
      </div>
      {props.action}
    </div>
  );
}
