import type { ReactNode } from "react";

/** The title row every workspace page opens with: a heading, one line of explanation, and its actions. */
export function PageHeader(props: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="flex flex-col gap-3 border-b pb-4 sm:flex-row sm:items-end sm:justify-between">
      <div className="min-w-0">
        <h1 className="text-xl font-semibold tracking-tight">{props.title}</h1>
        {props.description ? (
          <p className="text-muted-foreground mt-1 text-sm">{props.description}</p>
        ) : null}
      </div>
      {props.actions ? <div className="flex shrink-0 gap-2">{props.actions}</div> : null}
    </div>
  );
}
