"use client";

import { issueStates, type SearchMode, searchModes } from "@repo/schemas";
import { Badge } from "@repo/ui/badge";
import { Button } from "@repo/ui/button";
import { Checkbox } from "@repo/ui/checkbox";
import { Input } from "@repo/ui/input";
import { Label } from "@repo/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@repo/ui/select";
import { Spinner } from "@repo/ui/spinner";
import { cn } from "@repo/ui/utils";
import { ChevronDownIcon, SearchIcon, XIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useId, useRef, useState, useTransition } from "react";
import {
  activeFilterCount,
  formValues,
  type GroupBy,
  type IssueState,
  isSearchMode,
  type SearchFormValues,
  searchHref,
  withoutFilters,
} from "./search-params";

function modeLabel(mode: SearchMode): { name: string; hint: string } {
  switch (mode) {
    case "fast":
      return { name: "Fast", hint: "fused paths, no reranking" };
    case "balanced":
      return { name: "Balanced", hint: "reranked on what the query names" };
    case "thorough":
      return { name: "Thorough", hint: "an AI judge reads the best results" };
    default: {
      const unknown: never = mode;
      return unknown;
    }
  }
}

function stateLabel(state: IssueState): string {
  switch (state) {
    case "unresolved":
      return "Unresolved";
    case "resolved":
      return "Resolved";
    case "ignored":
      return "Ignored";
    case "assigned":
      return "Assigned";
    case "unassigned":
      return "Unassigned";
    default: {
      const unknown: never = state;
      return unknown;
    }
  }
}

/** Keys typed into a field, a menu or an open dialog belong there, not to the page's shortcut. */
function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return (
    target.closest(
      "input, textarea, select, [role='combobox'], [role='listbox'], [role='menu'], [role='dialog']",
    ) !== null
  );
}

const LIST_FIELDS = [
  { name: "source", label: "Source types", placeholder: "issue.created, error.created" },
  { name: "type", label: "Observation types", placeholder: "error, alert, resolution" },
  { name: "project", label: "Projects", placeholder: "payments-api" },
  { name: "level", label: "Levels", placeholder: "error, fatal" },
  { name: "actor", label: "People", placeholder: "Ada Lovelace" },
] as const;

export function SearchForm(props: { workspaceId: string; initial: SearchFormValues }) {
  const router = useRouter();
  const [values, setValues] = useState(() => formValues(props.initial));
  const [filtersOpen, setFiltersOpen] = useState(() => activeFilterCount(props.initial) > 0);
  const [pending, startTransition] = useTransition();
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const filterCount = activeFilterCount(values);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== "/" || event.defaultPrevented) return;
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      if (isTypingTarget(event.target)) return;
      event.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);

  const update = (patch: Partial<SearchFormValues>) => setValues((v) => ({ ...v, ...patch }));

  // A new search starts at its first page: the old page number belongs to the old results.
  const navigate = (next: SearchFormValues) =>
    startTransition(() => router.push(searchHref(props.workspaceId, next)));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    navigate(values);
  }

  function clearFilters() {
    const next = withoutFilters(values);
    setValues(next);
    if (next.q.trim() !== "") navigate(next);
  }

  function toggleState(state: IssueState, checked: boolean) {
    setValues((v) => ({
      ...v,
      status: checked
        ? [...v.status.filter((s) => s !== state), state]
        : v.status.filter((s) => s !== state),
    }));
  }

  return (
    <search aria-label="Search this workspace's memory">
      <form onSubmit={onSubmit} aria-busy={pending} className="flex flex-col gap-3">
        <div className="flex gap-2">
          <div className="relative min-w-0 flex-1">
            <SearchIcon
              className="text-muted-foreground pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2"
              aria-hidden
            />
            <Input
              ref={inputRef}
              autoFocus
              type="search"
              name="q"
              value={values.q}
              onChange={(e) => update({ q: e.target.value })}
              placeholder="Ask about errors, issues, alerts…"
              aria-label="Search query"
              aria-keyshortcuts="/"
              autoComplete="off"
              enterKeyHint="search"
              maxLength={1000}
              className="pl-9"
            />
          </div>
          <Button type="submit" disabled={pending}>
            {pending ? <Spinner /> : <SearchIcon aria-hidden />}
            <span className="sr-only sm:not-sr-only">{pending ? "Searching…" : "Search"}</span>
          </Button>
        </div>

        <div className="flex flex-wrap items-end gap-3">
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={`${id}-mode`} className="text-muted-foreground text-xs">
              Mode
            </Label>
            <Select value={values.mode} onValueChange={(mode) => update({ mode })}>
              <SelectTrigger id={`${id}-mode`} size="sm" className="min-w-32">
                {/* The trigger names the mode only; the hints are for the open list. */}
                <SelectValue>
                  {isSearchMode(values.mode) ? modeLabel(values.mode).name : values.mode}
                </SelectValue>
              </SelectTrigger>
              <SelectContent>
                {searchModes.map((mode) => {
                  const { name, hint } = modeLabel(mode);
                  return (
                    <SelectItem key={mode} value={mode}>
                      {name}
                      <span className="text-muted-foreground hidden text-xs sm:inline">{hint}</span>
                    </SelectItem>
                  );
                })}
              </SelectContent>
            </Select>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={`${id}-group`} className="text-muted-foreground text-xs">
              Group
            </Label>
            <Select
              value={values.groupBy}
              onValueChange={(groupBy) => update({ groupBy: groupBy as GroupBy })}
            >
              <SelectTrigger id={`${id}-group`} size="sm" className="min-w-32">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="entity">By issue or alert</SelectItem>
                <SelectItem value="none">Every event</SelectItem>
              </SelectContent>
            </Select>
          </div>
          <Button
            type="button"
            variant="outline"
            size="sm"
            aria-expanded={filtersOpen}
            aria-controls={`${id}-filters`}
            onClick={() => setFiltersOpen((open) => !open)}
          >
            Filters
            {filterCount > 0 ? (
              <Badge variant="secondary" aria-label={`${filterCount} active`}>
                {filterCount}
              </Badge>
            ) : null}
            <ChevronDownIcon
              aria-hidden
              className={filtersOpen ? "rotate-180 transition-transform" : "transition-transform"}
            />
          </Button>
          {filterCount > 0 ? (
            <Button
              type="button"
              variant="ghost"
              size="sm"
              onClick={clearFilters}
              disabled={pending}
            >
              <XIcon aria-hidden />
              Clear filters
            </Button>
          ) : null}
        </div>

        <fieldset
          id={`${id}-filters`}
          hidden={!filtersOpen}
          className={cn(
            "gap-4 rounded-lg border p-4 sm:grid-cols-2 lg:grid-cols-3",
            filtersOpen ? "grid" : "hidden",
          )}
        >
          <legend className="sr-only">Filters</legend>
          {LIST_FIELDS.map((field) => (
            <div key={field.name} className="flex flex-col gap-1.5">
              <Label htmlFor={`${id}-${field.name}`}>{field.label}</Label>
              <Input
                id={`${id}-${field.name}`}
                name={field.name}
                value={values[field.name]}
                onChange={(e) => update({ [field.name]: e.target.value })}
                placeholder={field.placeholder}
                aria-describedby={`${id}-list-hint`}
                autoComplete="off"
              />
            </div>
          ))}
          <fieldset className="flex flex-col gap-1.5">
            <legend className="mb-1.5 text-sm font-medium">Date range (UTC)</legend>
            <div className="flex items-center gap-2">
              <Input
                type="date"
                name="from"
                aria-label="From"
                value={values.from}
                max={values.to || undefined}
                onChange={(e) => update({ from: e.target.value })}
              />
              <span className="text-muted-foreground text-sm" aria-hidden>
                –
              </span>
              <Input
                type="date"
                name="to"
                aria-label="To"
                value={values.to}
                min={values.from || undefined}
                onChange={(e) => update({ to: e.target.value })}
              />
            </div>
          </fieldset>
          <fieldset className="flex flex-col gap-2 sm:col-span-2 lg:col-span-3">
            <legend className="mb-2 text-sm font-medium">Issue status</legend>
            <div className="flex flex-wrap gap-x-5 gap-y-2">
              {issueStates.map((state) => (
                <div key={state} className="flex items-center gap-2">
                  <Checkbox
                    id={`${id}-status-${state}`}
                    checked={values.status.includes(state)}
                    onCheckedChange={(checked) => toggleState(state, checked === true)}
                  />
                  <Label htmlFor={`${id}-status-${state}`} className="font-normal">
                    {stateLabel(state)}
                  </Label>
                </div>
              ))}
            </div>
          </fieldset>
          <p
            id={`${id}-list-hint`}
            className="text-muted-foreground text-xs sm:col-span-2 lg:col-span-3"
          >
            Separate several values with commas. Filters are exact and apply before ranking.
          </p>
        </fieldset>
      </form>
    </search>
  );
}
