"use client";

import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@repo/ui/alert-dialog";
import { Button } from "@repo/ui/button";
import { toast } from "@repo/ui/sonner";
import { Spinner } from "@repo/ui/spinner";
import { HistoryIcon, UnplugIcon } from "lucide-react";
import { useTransition } from "react";
import { backfillSentryAction, disconnectSentryAction } from "./actions";

export function ConnectionActions(props: {
  workspaceId: string;
  installationId: string;
  organization: string;
  canBackfill: boolean;
  canDisconnect: boolean;
}) {
  const [pending, startTransition] = useTransition();
  const target = { workspaceId: props.workspaceId, installationId: props.installationId };
  const run = (action: typeof backfillSentryAction) =>
    startTransition(async () => {
      const result = await action(target);
      if (result.ok) toast.success(result.message);
      else toast.error(result.message);
    });

  return (
    <div className="flex flex-wrap gap-2">
      <Button
        type="button"
        variant="outline"
        size="sm"
        disabled={pending || !props.canBackfill}
        title={
          props.canBackfill ? undefined : "Backfill needs a connection made through Connect Sentry"
        }
        onClick={() => run(backfillSentryAction)}
      >
        {pending ? <Spinner /> : <HistoryIcon aria-hidden />}
        Backfill
      </Button>
      <AlertDialog>
        <AlertDialogTrigger asChild>
          <Button
            type="button"
            variant="outline"
            size="sm"
            disabled={pending || !props.canDisconnect}
          >
            <UnplugIcon aria-hidden />
            Disconnect
          </Button>
        </AlertDialogTrigger>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Disconnect {props.organization}?</AlertDialogTitle>
            <AlertDialogDescription>
              Its tokens are deleted and its webhooks are refused from now on. What was captured
              stays searchable. Remove the app in Sentry's settings as well.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction onClick={() => run(disconnectSentryAction)}>
              Disconnect
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </div>
  );
}
