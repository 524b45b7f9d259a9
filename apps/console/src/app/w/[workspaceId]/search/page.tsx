import { searchWorkspace } from "@api/console";
import { Alert, AlertDescription, AlertTitle } from "@repo/ui/alert";
import { Button } from "@repo/ui/button";
import {
  ChevronLeftIcon,
  ChevronRightIcon,
  CircleAlertIcon,
  SearchIcon,
  SearchXIcon,
  TriangleAlertIcon,
} from "lucide-react";
import Link from "next/link";
import { Suspense } from "react";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { requireWorkspace } from "~/lib/auth";
import { pathProblems } from "./explain-rows";
import { SearchForm } from "./search-form";
import {
  activeFilterCount,
  emptySearchValues,
  type ParsedSearch,
  parseSearch,
  type RawSearchParams,
  SEARCH_PAGE_SIZE,
  type SearchFormValues,
  searchHref,
  withoutFilters,
} from "./search-params";
import { ResultCardsSkeleton, SearchContext, SearchResultList } from "./search-results";

/** The request schema's largest offset: pages past it cannot be asked for. */
const MAX_OFFSET = 10_000;

export default async function SearchPage(props: {
  params: Promise<{ workspaceId: string }>;
  searchParams: Promise<RawSearchParams>;
}) {
  const { workspaceId } = await props.params;
  const { session } = await requireWorkspace(workspaceId);
  const parsed = parseSearch(await props.searchParams);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Search"
        description="Ask this workspace's memory about errors, issues and alerts. Press / to search from anywhere on the page."
      />
      {/* Remounting on a new search keeps the form in step with the URL after back and forward. */}
      <SearchForm
        key={searchHref(workspaceId, parsed.values)}
        workspaceId={workspaceId}
        initial={parsed.values}
      />
      <SearchBody workspaceId={workspaceId} parsed={parsed} userName={session.user.name} />
    </div>
  );
}

function SearchBody(props: { workspaceId: string; parsed: ParsedSearch; userName: string }) {
  const { parsed, workspaceId } = props;
  switch (parsed.kind) {
    case "empty":
      return <BeforeQuery workspaceId={workspaceId} userName={props.userName} />;
    case "invalid":
      return (
        <Alert variant="destructive">
          <CircleAlertIcon aria-hidden />
          <AlertTitle>This search cannot run</AlertTitle>
          <AlertDescription>
            <ul className="list-disc pl-4">
              {parsed.errors.map((error) => (
                <li key={error}>{error}</li>
              ))}
            </ul>
            <p>Correct the search above, or start again from a plain query.</p>
          </AlertDescription>
        </Alert>
      );
    case "ready":
      return (
        // A new key per search shows the skeleton instead of the previous search's results.
        <Suspense
          key={searchHref(workspaceId, parsed.values, parsed.page)}
          fallback={<ResultCardsSkeleton />}
        >
          <SearchOutcome workspaceId={workspaceId} parsed={parsed} />
        </Suspense>
      );
    default: {
      const unknown: never = parsed;
      return unknown;
    }
  }
}

function BeforeQuery(props: { workspaceId: string; userName: string }) {
  const firstName = props.userName.trim().split(/\s+/)[0] || "me";
  const examples = [
    "checkout errors",
    "TypeError in cart",
    `unresolved issues assigned to ${firstName}`,
  ];
  return (
    <EmptyState
      icon={SearchIcon}
      title="Ask about errors, issues, alerts…"
      description="Search everything your sources have sent, by meaning, identifier, keyword or person. Try one of these:"
      action={
        <ul className="flex flex-wrap justify-center gap-2">
          {examples.map((q) => (
            <li key={q}>
              <Button asChild variant="outline" size="sm">
                <Link href={searchHref(props.workspaceId, { ...emptySearchValues, q })}>{q}</Link>
              </Button>
            </li>
          ))}
        </ul>
      }
    />
  );
}

async function SearchOutcome(props: {
  workspaceId: string;
  parsed: Extract<ParsedSearch, { kind: "ready" }>;
}) {
  const { workspaceId, parsed } = props;
  const response = await searchWorkspace({ workspaceId, request: parsed.request });
  const { meta } = response;
  const problems = pathProblems(meta.paths);
  const first = meta.offset + 1;
  const last = meta.offset + response.data.length;
  const lastPage = Math.max(
    1,
    Math.min(
      Math.ceil(meta.total / SEARCH_PAGE_SIZE),
      Math.floor(MAX_OFFSET / SEARCH_PAGE_SIZE) + 1,
    ),
  );
  const asked = parsed.request.mode;

  return (
    <div className="flex flex-col gap-4">
      <p className="text-muted-foreground text-sm" role="status">
        {response.data.length > 0
          ? `${first}–${last} of ${meta.total} result${meta.total === 1 ? "" : "s"}`
          : `${meta.total} result${meta.total === 1 ? "" : "s"}`}
        {` · ${Math.round(meta.took)} ms · ${meta.mode} mode`}
        {asked !== meta.mode
          ? ` (${asked} was asked for; without a working AI judge the ${meta.mode} ranking stands)`
          : null}
      </p>
      {problems.length > 0 ? (
        <Alert>
          <TriangleAlertIcon aria-hidden className="text-amber-600" />
          <AlertTitle>Some results may be missing</AlertTitle>
          <AlertDescription>
            <ul className="list-disc pl-4">
              {problems.map((p) => (
                <li key={p.path}>{p.message}</li>
              ))}
            </ul>
          </AlertDescription>
        </Alert>
      ) : null}
      {response.data.length === 0 ? (
        <NoResults
          workspaceId={workspaceId}
          values={parsed.values}
          page={parsed.page}
          total={meta.total}
        />
      ) : (
        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_16rem]">
          <div className="flex min-w-0 flex-col gap-4">
            <SearchResultList workspaceId={workspaceId} response={response} start={first} />
            <Pagination
              workspaceId={workspaceId}
              values={parsed.values}
              page={parsed.page}
              lastPage={lastPage}
            />
          </div>
          <SearchContext
            workspaceId={workspaceId}
            values={parsed.values}
            context={response.context}
          />
        </div>
      )}
    </div>
  );
}

function NoResults(props: {
  workspaceId: string;
  values: SearchFormValues;
  page: number;
  total: number;
}) {
  if (props.page > 1 && props.total > 0) {
    return (
      <EmptyState
        icon={SearchXIcon}
        title="This page is past the last result"
        description={`The search found ${props.total} results, fewer than this page starts at.`}
        action={
          <Button asChild variant="outline" size="sm">
            <Link href={searchHref(props.workspaceId, props.values)}>Back to the first page</Link>
          </Button>
        }
      />
    );
  }
  const filtered = activeFilterCount(props.values) > 0;
  return (
    <EmptyState
      icon={SearchXIcon}
      title="No results"
      description={
        filtered
          ? "Nothing matches this query within the filters. Filters are exact, so removing them often helps."
          : "Nothing matches this query. Try other words, an error type, or a short ID such as PROJECT-1A."
      }
      action={
        filtered ? (
          <Button asChild variant="outline" size="sm">
            <Link href={searchHref(props.workspaceId, withoutFilters(props.values))}>
              Search again without filters
            </Link>
          </Button>
        ) : undefined
      }
    />
  );
}

function Pagination(props: {
  workspaceId: string;
  values: SearchFormValues;
  page: number;
  lastPage: number;
}) {
  const { page, lastPage } = props;
  if (lastPage <= 1 && page <= 1) return null;
  const href = (p: number) => searchHref(props.workspaceId, props.values, p);
  return (
    <nav aria-label="Pages of results" className="flex items-center justify-between gap-2">
      {page > 1 ? (
        <Button asChild variant="outline" size="sm">
          <Link href={href(page - 1)} rel="prev">
            <ChevronLeftIcon aria-hidden />
            Previous
          </Link>
        </Button>
      ) : (
        <Button variant="outline" size="sm" disabled>
          <ChevronLeftIcon aria-hidden />
          Previous
        </Button>
      )}
      <span className="text-muted-foreground text-sm" aria-current="page">
        Page {page} of {lastPage}
      </span>
      {page < lastPage ? (
        <Button asChild variant="outline" size="sm">
          <Link href={href(page + 1)} rel="next">
            Next
            <ChevronRightIcon aria-hidden />
          </Link>
        </Button>
      ) : (
        <Button variant="outline" size="sm" disabled>
          Next
          <ChevronRightIcon aria-hidden />
        </Button>
      )}
    </nav>
  );
}
