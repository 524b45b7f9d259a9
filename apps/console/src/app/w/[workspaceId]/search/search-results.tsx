import type { SearchResponse, SearchResult } from "@repo/schemas";
import { Badge } from "@repo/ui/badge";
import { Card, CardAction, CardContent, CardFooter, CardHeader, CardTitle } from "@repo/ui/card";
import { Skeleton } from "@repo/ui/skeleton";
import { ExternalLinkIcon, UserIcon, WaypointsIcon } from "lucide-react";
import Link from "next/link";
import { fullTime, relativeTime } from "~/lib/time";
import {
  explainView,
  extraPassages,
  formatScore,
  markedTerms,
  markTerms,
  type PathStatuses,
  type TextSegment,
} from "./explain-rows";
import { type SearchFormValues, searchHref } from "./search-params";
import { WhyThisResult } from "./why-this-result";

function When(props: { iso: string; now: number }) {
  return (
    <time dateTime={props.iso} title={fullTime(props.iso)}>
      {relativeTime(props.iso, props.now)}
    </time>
  );
}

/** Segments as text nodes: the service's markup never reaches the DOM as HTML. */
function Highlighted(props: { segments: TextSegment[] }) {
  return props.segments.map((s, i) =>
    s.marked ? (
      <mark
        key={i}
        className="rounded-sm bg-yellow-200/70 px-0.5 text-inherit dark:bg-yellow-500/30"
      >
        {s.text}
      </mark>
    ) : (
      s.text
    ),
  );
}

function stateVariant(state: string): "destructive" | "secondary" | "outline" {
  if (state === "unresolved") return "destructive";
  if (state === "resolved") return "secondary";
  return "outline";
}

/** How the thing a result is about is named upstream: an issue by its short id, an alert by number. */
function entityLabel(entity: SearchResult["entity"]): string | null {
  if (entity.type === "observation") return null;
  if (entity.type === "issue") return entity.id;
  if (entity.type === "alert") return `Alert ${entity.id}`;
  return `${entity.type} ${entity.id}`;
}

function Timeline(props: { workspaceId: string; result: SearchResult; now: number }) {
  const { timeline } = props.result;
  // One entry is the result itself; a timeline needs at least one other event to say anything.
  if (timeline.length < 2) return null;
  return (
    <div>
      <p className="text-muted-foreground mb-2 text-xs font-medium">
        Latest {timeline.length} events of this {props.result.entity.type}
      </p>
      <ol className="border-muted flex flex-col gap-2 border-l pl-4">
        {timeline.map((entry) => (
          <li key={entry.id} className="relative text-sm">
            <span
              aria-hidden
              className="bg-muted-foreground/60 absolute top-1.5 -left-[1.3rem] size-2 rounded-full"
            />
            <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
              <code className="bg-muted rounded px-1 text-xs">{entry.type}</code>
              <span className="text-muted-foreground text-xs">
                <When iso={entry.occurredAt} now={props.now} />
                {entry.actor ? ` · ${entry.actor}` : null}
              </span>
              {entry.id === props.result.id ? (
                <span className="text-muted-foreground text-xs">(best match)</span>
              ) : null}
            </div>
            <Link
              href={`/w/${props.workspaceId}/observations/${entry.id}`}
              className="line-clamp-1 break-all hover:underline"
            >
              {entry.title}
            </Link>
          </li>
        ))}
      </ol>
    </div>
  );
}

function ResultCard(props: {
  workspaceId: string;
  result: SearchResult;
  statuses: PathStatuses;
  mode: string;
  now: number;
}) {
  const { result } = props;
  const terms = markedTerms(result.highlights);
  const reference = entityLabel(result.entity);
  const passages = extraPassages(result);
  return (
    <Card className="gap-4 py-4">
      <CardHeader className="gap-2 px-4">
        <div className="flex flex-wrap items-center gap-1.5">
          {reference ? (
            <Badge variant="outline" className="font-mono">
              {reference}
            </Badge>
          ) : null}
          {result.entity.state ? (
            <Badge variant={stateVariant(result.entity.state)}>{result.entity.state}</Badge>
          ) : null}
          <Badge variant="secondary">{result.type}</Badge>
          <Badge variant="outline">{result.source}</Badge>
        </div>
        <CardTitle className="text-base leading-snug break-words">
          {/* The id is always an observation: for a grouped issue, its best-matching event. */}
          <Link
            href={`/w/${props.workspaceId}/observations/${result.id}`}
            className="hover:underline focus-visible:underline"
          >
            <Highlighted segments={markTerms(result.title, terms)} />
          </Link>
        </CardTitle>
        <CardAction className="text-muted-foreground text-xs tabular-nums">
          <span className="sr-only">Score </span>
          {formatScore(result.score)}
        </CardAction>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 px-4">
        <p className="text-muted-foreground text-sm break-words">
          <Highlighted segments={markTerms(result.snippet, terms)} />
        </p>
        {passages.length > 0 ? (
          <ul className="flex flex-col gap-1" aria-label="Other matching lines">
            {passages.map((segments, i) => (
              <li
                key={i}
                className="border-muted text-muted-foreground border-l-2 pl-2 text-xs break-words"
              >
                <Highlighted segments={segments} />
              </li>
            ))}
          </ul>
        ) : null}
        <Timeline workspaceId={props.workspaceId} result={result} now={props.now} />
      </CardContent>
      <CardFooter className="flex flex-wrap items-center justify-between gap-2 px-4">
        <span className="text-muted-foreground text-xs">
          <When iso={result.occurredAt} now={props.now} />
        </span>
        <div className="flex flex-wrap items-center gap-1">
          {result.url ? (
            <a
              href={result.url}
              target="_blank"
              rel="noreferrer"
              className="text-muted-foreground hover:text-foreground inline-flex items-center gap-1 rounded-md px-2 py-1 text-sm"
            >
              Open in {result.source === "sentry" ? "Sentry" : result.source}
              <ExternalLinkIcon className="size-3.5" aria-hidden />
              <span className="sr-only">(opens in a new tab)</span>
            </a>
          ) : null}
          {result.explain ? (
            <WhyThisResult
              title={result.title}
              mode={props.mode}
              view={explainView(result.explain, props.statuses)}
            />
          ) : null}
        </div>
      </CardFooter>
    </Card>
  );
}

export function SearchResultList(props: {
  workspaceId: string;
  response: SearchResponse;
  /** The first result's position in the whole ranking, for the list's numbering. */
  start: number;
}) {
  const now = Date.now();
  return (
    <ol className="flex flex-col gap-3" start={props.start} aria-label="Search results">
      {props.response.data.map((result) => (
        <li key={result.id}>
          <ResultCard
            workspaceId={props.workspaceId}
            result={result}
            statuses={props.response.meta.paths}
            mode={props.response.meta.mode}
            now={now}
          />
        </li>
      ))}
    </ol>
  );
}

function events(n: number): string {
  return n === 1 ? "1 event" : `${n} events`;
}

/** Related clusters and people: where to look next, beside the results or below them on a phone. */
export function SearchContext(props: {
  workspaceId: string;
  values: SearchFormValues;
  context: SearchResponse["context"];
}) {
  const { clusters, relevantActors } = props.context;
  if (clusters.length === 0 && relevantActors.length === 0) return null;
  return (
    <aside className="flex flex-col gap-6" aria-label="Related">
      {clusters.length > 0 ? (
        <section className="flex flex-col gap-2">
          <h2 className="flex items-center gap-2 text-sm font-medium">
            <WaypointsIcon className="size-4" aria-hidden />
            Related clusters
          </h2>
          <ul className="flex flex-col gap-1">
            {clusters.map((cluster) => (
              <li key={cluster.id}>
                <Link
                  href={searchHref(props.workspaceId, { ...props.values, q: cluster.label })}
                  className="hover:bg-accent flex items-baseline justify-between gap-3 rounded-md px-2 py-1.5 text-sm"
                >
                  <span className="min-w-0 break-words">{cluster.label}</span>
                  <span className="text-muted-foreground shrink-0 text-xs tabular-nums">
                    {events(cluster.observationCount)}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {relevantActors.length > 0 ? (
        <section className="flex flex-col gap-2">
          <h2 className="flex items-center gap-2 text-sm font-medium">
            <UserIcon className="size-4" aria-hidden />
            Relevant people
          </h2>
          <ul className="flex flex-col gap-1">
            {relevantActors.map((actor) => (
              <li key={actor.id}>
                <Link
                  href={searchHref(props.workspaceId, { ...props.values, actor: actor.name })}
                  className="hover:bg-accent flex items-baseline justify-between gap-3 rounded-md px-2 py-1.5 text-sm"
                  title={`Only results involving ${actor.name}`}
                >
                  <span className="min-w-0 break-words">{actor.name}</span>
                  <span className="text-muted-foreground shrink-0 text-xs tabular-nums">
                    {events(actor.observationCount)}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </aside>
  );
}

/** Card-shaped placeholders, so the page does not jump when results arrive. */
export function ResultCardsSkeleton(props: { count?: number }) {
  return (
    <div className="flex flex-col gap-3" aria-busy="true">
      <span className="sr-only">Loading results…</span>
      {Array.from({ length: props.count ?? 4 }, (_, i) => (
        <div key={i} className="flex flex-col gap-3 rounded-xl border p-4">
          <div className="flex gap-1.5">
            <Skeleton className="h-5 w-28" />
            <Skeleton className="h-5 w-16" />
            <Skeleton className="h-5 w-14" />
          </div>
          <Skeleton className="h-5 w-3/4" />
          <Skeleton className="h-4 w-full" />
          <Skeleton className="h-4 w-5/6" />
        </div>
      ))}
    </div>
  );
}
