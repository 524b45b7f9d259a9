"use client";

import { Button } from "@repo/ui/button";
import { Sheet, SheetContent, SheetHeader, SheetTitle, SheetTrigger } from "@repo/ui/sheet";
import { cn } from "@repo/ui/utils";
import {
  ActivityIcon,
  KeyRoundIcon,
  MenuIcon,
  PlugIcon,
  SearchIcon,
  SettingsIcon,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { type ReactNode, useState } from "react";

const ITEMS = [
  { segment: "feed", label: "Feed", icon: ActivityIcon },
  { segment: "search", label: "Search", icon: SearchIcon },
  { segment: "sources", label: "Sources", icon: PlugIcon },
  { segment: "api-keys", label: "API keys", icon: KeyRoundIcon },
  { segment: "settings", label: "Settings", icon: SettingsIcon },
] as const;

export function WorkspaceNav(props: { workspaceId: string; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Workspace" className="flex flex-col gap-1">
      {ITEMS.map(({ segment, label, icon: Icon }) => {
        const href = `/w/${props.workspaceId}/${segment}`;
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={segment}
            href={href}
            onClick={props.onNavigate}
            aria-current={active ? "page" : undefined}
            className={cn(
              "hover:bg-accent focus-visible:ring-ring/50 flex items-center gap-2 rounded-md px-3 py-2 text-sm outline-none focus-visible:ring-[3px]",
              active && "bg-accent text-accent-foreground font-medium",
            )}
          >
            <Icon className="size-4" aria-hidden />
            {label}
          </Link>
        );
      })}
    </nav>
  );
}

/** Phones get the same navigation in a sheet behind a menu button. */
export function MobileNav(props: { workspaceId: string; children: ReactNode; footer: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <Sheet open={open} onOpenChange={setOpen}>
      <SheetTrigger asChild>
        <Button variant="ghost" size="icon" aria-label="Open navigation">
          <MenuIcon />
        </Button>
      </SheetTrigger>
      <SheetContent side="left" className="flex w-72 flex-col gap-4 p-3">
        <SheetHeader className="p-0">
          <SheetTitle>Navigation</SheetTitle>
        </SheetHeader>
        {props.children}
        <WorkspaceNav workspaceId={props.workspaceId} onNavigate={() => setOpen(false)} />
        <div className="mt-auto">{props.footer}</div>
      </SheetContent>
    </Sheet>
  );
}
