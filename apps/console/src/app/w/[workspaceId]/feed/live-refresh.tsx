"use client";

import { Button } from "@repo/ui/button";
import { cn } from "@repo/ui/utils";
import { PauseIcon, PlayIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";

const INTERVAL_MS = 5_000;

/**
 * Keeps the newest page of the feed current by re-rendering it on the server every few seconds. Off on
 * older pages (new rows would not appear there anyway), while the tab is hidden, and when paused.
 */
export function LiveRefresh(props: { live: boolean }) {
  const router = useRouter();
  const [paused, setPaused] = useState(false);
  const [hidden, setHidden] = useState(false);
  const [pending, startTransition] = useTransition();
  const pendingRef = useRef(false);
  const started = useRef(false);
  const active = props.live && !paused && !hidden;

  useEffect(() => {
    pendingRef.current = pending;
  }, [pending]);

  useEffect(() => {
    const update = () => setHidden(document.hidden);
    update();
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);

  useEffect(() => {
    if (!active) return;
    const refresh = () => {
      // A slow server must not pile refreshes up behind each other.
      if (pendingRef.current) return;
      startTransition(() => router.refresh());
    };
    // Back on the tab or resumed, catch up at once; the first render is fresh already.
    if (started.current) refresh();
    started.current = true;
    const timer = setInterval(refresh, INTERVAL_MS);
    return () => clearInterval(timer);
  }, [active, router]);

  if (!props.live) {
    return (
      <span className="text-muted-foreground flex items-center gap-1.5 text-xs">
        <span className="bg-muted-foreground/40 size-2 rounded-full" aria-hidden />
        Live updates off on older pages
      </span>
    );
  }

  const state = paused ? "Paused" : hidden ? "Paused while hidden" : "Live";
  return (
    <div className="flex items-center gap-2">
      <span role="status" className="flex items-center gap-1.5 text-xs font-medium">
        <span
          className={cn(
            "size-2 rounded-full",
            active ? "animate-pulse bg-emerald-500" : "bg-muted-foreground/40",
          )}
          aria-hidden
        />
        <span className={cn(!active && "text-muted-foreground")}>{state}</span>
      </span>
      <Button
        type="button"
        variant="outline"
        size="sm"
        onClick={() => setPaused((p) => !p)}
        aria-label={paused ? "Resume live updates" : "Pause live updates"}
      >
        {paused ? <PlayIcon aria-hidden /> : <PauseIcon aria-hidden />}
        {paused ? "Resume" : "Pause"}
      </Button>
    </div>
  );
}
