"use client";

import { Button } from "@repo/ui/button";
import { Separator } from "@repo/ui/separator";
import {
  Sheet,
  SheetContent,
  SheetDescription,
  SheetHeader,
  SheetTitle,
  SheetTrigger,
} from "@repo/ui/sheet";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@repo/ui/table";
import { cn } from "@repo/ui/utils";
import { InfoIcon } from "lucide-react";
import { useId } from "react";
import type { ExplainView, FeatureRow } from "./explain-rows";

function effectClass(effect: FeatureRow["effect"]): string {
  switch (effect) {
    case "boost":
      return "text-emerald-700 dark:text-emerald-400";
    case "penalty":
      return "text-destructive";
    case "neutral":
      return "text-muted-foreground";
    default: {
      const unknown: never = effect;
      return unknown;
    }
  }
}

/** A dash is read aloud as nothing; say what it means instead. */
function Missing(props: { found: boolean; text: string }) {
  if (props.found) return props.text;
  return (
    <>
      <span aria-hidden>{props.text}</span>
      <span className="sr-only">not found</span>
    </>
  );
}

/**
 * The ranking of one result laid open. The rows arrive computed on the server, so this component only
 * adds the sheet's interactivity and ships no ranking logic to the browser.
 */
export function WhyThisResult(props: { title: string; view: ExplainView; mode: string }) {
  const { view } = props;
  const foundOn = view.paths.filter((p) => p.found).length;
  const id = useId();
  return (
    <Sheet>
      <SheetTrigger asChild>
        <Button variant="ghost" size="sm">
          <InfoIcon aria-hidden />
          Why this result
        </Button>
      </SheetTrigger>
      <SheetContent className="w-full gap-0 overflow-y-auto sm:max-w-xl">
        <SheetHeader className="pr-10">
          <SheetTitle>Why this result</SheetTitle>
          <SheetDescription className="break-words">
            “{props.title}” was found by {foundOn} of {view.paths.length} search paths and ranked in{" "}
            {props.mode} mode.
          </SheetDescription>
        </SheetHeader>

        <section aria-labelledby={`${id}-paths`} className="flex flex-col gap-2 px-4 pb-4">
          <h3 id={`${id}-paths`} className="text-sm font-medium">
            Where it was found
          </h3>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Path</TableHead>
                <TableHead scope="col" className="text-right">
                  Rank
                </TableHead>
                <TableHead scope="col" className="text-right">
                  Score
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {view.paths.map((row) => (
                <TableRow
                  key={row.path}
                  className={row.found ? undefined : "text-muted-foreground"}
                >
                  <TableCell className="whitespace-normal">
                    <div className="font-medium">
                      {row.label}{" "}
                      <span className="text-muted-foreground font-normal">({row.path})</span>
                    </div>
                    <div className="text-muted-foreground text-xs">
                      {row.found ? row.description : row.note}
                    </div>
                    {row.matched ? (
                      <div className="mt-1 text-xs break-all">
                        Matched: <code className="bg-muted rounded px-1">{row.matched}</code>
                      </div>
                    ) : null}
                  </TableCell>
                  <TableCell className="text-right align-top tabular-nums">
                    <Missing found={row.found} text={row.rank} />
                  </TableCell>
                  <TableCell className="text-right align-top tabular-nums">
                    <Missing found={row.found} text={row.score} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </section>

        <Separator />

        <section aria-labelledby={`${id}-score`} className="flex flex-col gap-2 p-4">
          <h3 id={`${id}-score`} className="text-sm font-medium">
            How the score adds up
          </h3>
          <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-2 text-sm">
            <dt>
              Fused score
              <span className="text-muted-foreground block text-xs">
                Each path's rank combined; a high rank on several paths counts most
              </span>
            </dt>
            <dd className="text-right tabular-nums">{view.fused}</dd>
            <dt>
              Recency
              <span className="text-muted-foreground block text-xs">
                Recent events weigh a little more
              </span>
            </dt>
            <dd className="text-right tabular-nums">{view.recency}</dd>
            <dt>
              Significance
              <span className="text-muted-foreground block text-xs">
                Severity and impact of the event
              </span>
            </dt>
            <dd className="text-right tabular-nums">{view.significance}</dd>
          </dl>
        </section>

        <Separator />

        <section aria-labelledby={`${id}-features`} className="flex flex-col gap-2 p-4">
          <h3 id={`${id}-features`} className="text-sm font-medium">
            Ranking adjustments
          </h3>
          {view.features.length === 0 ? (
            <p className="text-muted-foreground text-sm">
              None: this result is ranked on its fused score alone.
            </p>
          ) : (
            <ul className="flex flex-col gap-3">
              {view.features.map((feature) => (
                <li key={feature.name} className="flex items-start justify-between gap-4 text-sm">
                  <div className="min-w-0">
                    <div className="font-medium">{feature.label}</div>
                    <div className="text-muted-foreground text-xs">{feature.detail}</div>
                  </div>
                  <span className={cn("shrink-0 tabular-nums", effectClass(feature.effect))}>
                    {feature.value}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <div className="mt-2 flex items-center justify-between border-t pt-3 text-sm font-medium">
            <span>Final score</span>
            <span className="tabular-nums">{view.final}</span>
          </div>
          <p className="text-muted-foreground text-xs">
            The final score is the fused score, weighted by recency and significance and scaled
            against the best candidate, plus the adjustments above
            {props.mode === "thorough" ? ", then blended with the AI judge's rating" : ""}.
          </p>
        </section>
      </SheetContent>
    </Sheet>
  );
}
