"use client";

import { Button } from "@repo/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@repo/ui/dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@repo/ui/dropdown-menu";
import { CheckIcon, ChevronsUpDownIcon, PlusIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { rememberWorkspaceAction } from "~/app/workspaces/actions";
import { CreateWorkspaceForm } from "~/app/workspaces/create-workspace-form";

type WorkspaceItem = { id: string; name: string };

export function WorkspaceSwitcher(props: { current: WorkspaceItem; workspaces: WorkspaceItem[] }) {
  const router = useRouter();
  const [creating, setCreating] = useState(false);

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button
            variant="outline"
            className="w-full justify-between"
            aria-label="Switch workspace"
          >
            <span className="truncate">{props.current.name}</span>
            <ChevronsUpDownIcon className="opacity-60" aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-60">
          <DropdownMenuLabel>Workspaces</DropdownMenuLabel>
          {props.workspaces.map((w) => (
            <DropdownMenuItem
              key={w.id}
              onSelect={() => {
                // Remembered so the front door reopens it; the URL alone decides what is shown.
                void rememberWorkspaceAction(w.id);
                router.push(`/w/${w.id}/feed`);
              }}
            >
              <span className="truncate">{w.name}</span>
              {w.id === props.current.id ? (
                <CheckIcon className="ml-auto" aria-label="current" />
              ) : null}
            </DropdownMenuItem>
          ))}
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setCreating(true)}>
            <PlusIcon aria-hidden />
            New workspace
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <Dialog open={creating} onOpenChange={setCreating}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>New workspace</DialogTitle>
            <DialogDescription>
              Its own sources, memory and API keys; nothing is shared with your other workspaces.
            </DialogDescription>
          </DialogHeader>
          <CreateWorkspaceForm />
        </DialogContent>
      </Dialog>
    </>
  );
}
