"use client";

import type { FeedFacets } from "@db/console";
import { Button } from "@repo/ui/button";
import { Label } from "@repo/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@repo/ui/select";
import { XIcon } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition } from "react";

/** The feed's filters as URL parameters, each a list of accepted values. */
export interface FeedFilterValues {
  source: string[];
  type: string[];
  project: string[];
  level: string[];
}

type FilterName = keyof FeedFilterValues;

const FILTERS: { name: FilterName; label: string; facet: keyof FeedFacets; all: string }[] = [
  { name: "source", label: "Source", facet: "sourceTypes", all: "All sources" },
  { name: "type", label: "Type", facet: "observationTypes", all: "All types" },
  { name: "project", label: "Project", facet: "projects", all: "All projects" },
  { name: "level", label: "Level", facet: "levels", all: "All levels" },
];

// Radix Select reserves the empty string for "no value", so "any value" needs a name of its own.
const ANY = "__any__";

/** The filter bar: each choice rewrites the URL, so a filtered feed can be shared and reloaded. */
export function FeedFilters(props: { facets: FeedFacets }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();

  const navigate = (query: URLSearchParams) => {
    // A filter changes which rows exist: an older-page cursor from before it would skip some.
    query.delete("before");
    const text = query.toString();
    startTransition(() => router.push(text ? `${pathname}?${text}` : pathname, { scroll: false }));
  };
  const choose = (name: FilterName, value: string) => {
    const query = new URLSearchParams(searchParams.toString());
    query.delete(name);
    if (value !== ANY) query.set(name, value);
    navigate(query);
  };
  const active = FILTERS.some(({ name }) => searchParams.has(name));
  const clear = () => {
    const query = new URLSearchParams(searchParams.toString());
    for (const { name } of FILTERS) query.delete(name);
    navigate(query);
  };

  return (
    <search
      aria-label="Filter the feed"
      aria-busy={pending}
      className="grid grid-cols-1 gap-3 min-[420px]:grid-cols-2 sm:flex sm:flex-wrap sm:items-end"
    >
      {FILTERS.map(({ name, label, facet, all }) => {
        const current = searchParams.get(name) ?? ANY;
        const options = props.facets[facet];
        // A value from a shared link may no longer occur; it still has to be shown as chosen.
        const listed =
          current === ANY || options.includes(current) ? options : [current, ...options];
        const id = `feed-filter-${name}`;
        return (
          <div key={name} className="flex min-w-0 flex-col gap-1.5">
            <Label htmlFor={id} className="text-muted-foreground text-xs">
              {label}
            </Label>
            <Select value={current} onValueChange={(value) => choose(name, value)}>
              <SelectTrigger id={id} size="sm" className="w-full sm:w-44">
                {/* Spelled out so the server-rendered trigger already shows it, before Radix hydrates. */}
                <SelectValue placeholder={all}>{current === ANY ? all : current}</SelectValue>
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={ANY}>{all}</SelectItem>
                {listed.map((value) => (
                  <SelectItem key={value} value={value}>
                    {value}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
        );
      })}
      <Button
        type="button"
        variant="ghost"
        size="sm"
        onClick={clear}
        disabled={!active || pending}
        className="justify-self-start"
      >
        <XIcon aria-hidden />
        Clear
      </Button>
    </search>
  );
}
