import { getRuntime } from "@api/console";
import { type FeedCursor, type FeedItem, listFeed, listFeedFacets } from "@db/console";
import { Badge } from "@repo/ui/badge";
import { Button } from "@repo/ui/button";
import { ArrowDownIcon, ArrowUpIcon, FilterXIcon, InboxIcon } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { requireWorkspace } from "~/lib/auth";
import { fullTime, relativeTime } from "~/lib/time";
import { FeedFilters, type FeedFilterValues } from "./feed-filters";
import { LiveRefresh } from "./live-refresh";

export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

type RawSearchParams = Record<string, string | string[] | undefined>;

/** Repeated parameters (`?level=error&level=fatal`) select several values. */
function values(raw: string | string[] | undefined): string[] {
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((v) => v.trim()).filter((v) => v !== "" && v.length <= 200);
}

/** `<epoch ms>.<id>`: compact in the URL, and the id may contain any character after the first dot. */
function encodeCursor(cursor: FeedCursor): string {
  return `${cursor.occurredAt.getTime()}.${cursor.id}`;
}

function decodeCursor(raw: string | string[] | undefined): FeedCursor | undefined {
  const text = Array.isArray(raw) ? raw[0] : raw;
  const match = text?.match(/^(\d{1,15})\.(.{1,200})$/);
  if (!match) return undefined;
  const occurredAt = new Date(Number(match[1]));
  return Number.isNaN(occurredAt.getTime()) ? undefined : { occurredAt, id: match[2]! };
}

function feedHref(workspaceId: string, filters: FeedFilterValues, before?: FeedCursor): string {
  const query = new URLSearchParams();
  for (const [name, list] of Object.entries(filters)) for (const v of list) query.append(name, v);
  if (before) query.set("before", encodeCursor(before));
  const text = query.toString();
  return `/w/${workspaceId}/feed${text ? `?${text}` : ""}`;
}

/** Sentry's levels; anything else a provider sends is shown plainly. */
function levelClass(level: string): string {
  switch (level.toLowerCase()) {
    case "fatal":
    case "error":
    case "critical":
      return "border-destructive/40 text-destructive";
    case "warning":
      return "border-amber-500/40 text-amber-700 dark:text-amber-400";
    default:
      return "text-muted-foreground";
  }
}

export default async function FeedPage(props: {
  params: Promise<{ workspaceId: string }>;
  searchParams: Promise<RawSearchParams>;
}) {
  const { workspaceId } = await props.params;
  const { workspace } = await requireWorkspace(workspaceId);
  const search = await props.searchParams;
  const filters: FeedFilterValues = {
    source: values(search.source),
    type: values(search.type),
    project: values(search.project),
    level: values(search.level),
  };
  const before = decodeCursor(search.before);
  const { db } = await getRuntime();
  const [page, facets] = await Promise.all([
    listFeed(db, {
      workspaceId: workspace.id,
      sourceTypes: filters.source,
      observationTypes: filters.type,
      projects: filters.project,
      levels: filters.level,
      before,
      limit: PAGE_SIZE,
    }),
    listFeedFacets(db, { workspaceId: workspace.id }),
  ]);
  const filtered = Object.values(filters).some((list) => list.length > 0);
  const now = new Date();

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Feed"
        description={`Everything your sources sent to ${workspace.name}, newest first.`}
        actions={<LiveRefresh live={!before} />}
      />
      <FeedFilters facets={facets} />
      {page.items.length === 0 ? (
        <FeedEmpty
          workspaceId={workspace.id}
          filters={filters}
          filtered={filtered}
          paginated={before !== undefined}
        />
      ) : (
        <div className="flex flex-col gap-4">
          {before ? (
            <Button asChild variant="outline" size="sm" className="self-start">
              <Link href={feedHref(workspace.id, filters)}>
                <ArrowUpIcon aria-hidden />
                Back to newest
              </Link>
            </Button>
          ) : null}
          <ol className="flex flex-col gap-2" aria-label="Observations, newest first">
            {page.items.map((item) => (
              <li key={item.id}>
                <FeedRow workspaceId={workspace.id} item={item} now={now} />
              </li>
            ))}
          </ol>
          {page.nextBefore ? (
            <Button asChild variant="outline" className="self-center">
              <Link href={feedHref(workspace.id, filters, page.nextBefore)}>
                <ArrowDownIcon aria-hidden />
                Load older
              </Link>
            </Button>
          ) : (
            <p className="text-muted-foreground text-center text-sm">
              That is everything{filtered ? " matching these filters" : ""}.
            </p>
          )}
        </div>
      )}
    </div>
  );
}

function FeedRow(props: { workspaceId: string; item: FeedItem; now: Date }) {
  const { item } = props;
  const issue = item.shortId ?? (item.alertId ? `Alert ${item.alertId}` : null);
  return (
    <Link
      href={`/w/${props.workspaceId}/observations/${item.id}`}
      className="hover:bg-muted/50 focus-visible:ring-ring/50 block rounded-lg border p-3 outline-none transition-colors focus-visible:ring-[3px] sm:p-4"
    >
      <div className="flex flex-col gap-1 sm:flex-row sm:items-start sm:justify-between sm:gap-4">
        <p className="line-clamp-2 min-w-0 font-medium break-words">{item.title}</p>
        <time
          dateTime={item.occurredAt.toISOString()}
          title={fullTime(item.occurredAt)}
          className="text-muted-foreground shrink-0 text-xs sm:pt-0.5"
        >
          {relativeTime(item.occurredAt, props.now, "short")}
        </time>
      </div>
      {item.snippet && item.snippet !== item.title ? (
        <p className="text-muted-foreground mt-1 line-clamp-2 text-sm break-words">
          {item.snippet}
        </p>
      ) : null}
      <div className="text-muted-foreground mt-2 flex flex-wrap items-center gap-x-3 gap-y-1.5 text-xs">
        <span className="flex flex-wrap items-center gap-1.5">
          <Badge variant="secondary">{item.observationType}</Badge>
          {item.level ? (
            <Badge variant="outline" className={levelClass(item.level)}>
              {item.level}
            </Badge>
          ) : null}
          <StatusBadge status={item.status} />
        </span>
        {issue ? <span className="text-foreground font-mono">{issue}</span> : null}
        {item.project ? <span>{item.project}</span> : null}
        {item.actorName ? <span>{item.actorName}</span> : null}
        <span className="font-mono">{item.sourceType}</span>
      </div>
    </Link>
  );
}

function StatusBadge(props: { status: FeedItem["status"] }) {
  switch (props.status) {
    case "captured":
      return null;
    case "below_threshold":
      return (
        <Badge
          variant="outline"
          title="Scored below the significance threshold: kept, not embedded"
        >
          low significance
        </Badge>
      );
    default: {
      const unknown: never = props.status;
      return unknown;
    }
  }
}

function FeedEmpty(props: {
  workspaceId: string;
  filters: FeedFilterValues;
  filtered: boolean;
  paginated: boolean;
}) {
  const { workspaceId } = props;
  if (props.paginated) {
    return (
      <EmptyState
        icon={InboxIcon}
        title="Nothing older"
        description="There are no observations before this point."
        action={
          <Button asChild variant="outline" size="sm">
            <Link href={feedHref(workspaceId, props.filters)}>Back to newest</Link>
          </Button>
        }
      />
    );
  }
  if (props.filtered) {
    return (
      <EmptyState
        icon={FilterXIcon}
        title="Nothing matches these filters"
        description="Filters are exact: clear some of them to see more of the feed."
        action={
          <Button asChild variant="outline" size="sm">
            <Link href={`/w/${workspaceId}/feed`}>Clear filters</Link>
          </Button>
        }
      />
    );
  }
  return (
    <EmptyState
      icon={InboxIcon}
      title="No observations yet"
      description="Connect Sentry on the Sources page, or send events to this workspace's webhook. New observations appear here within seconds."
      action={
        <Button asChild size="sm">
          <Link href={`/w/${workspaceId}/sources`}>Go to Sources</Link>
        </Button>
      }
    />
  );
}
