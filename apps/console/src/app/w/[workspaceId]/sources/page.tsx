import { getRuntime } from "@api/console";
import { getSourceOverview, type SourceConnection } from "@db/console";
import { Badge } from "@repo/ui/badge";
import { Button } from "@repo/ui/button";
import {
  Card,
  CardAction,
  CardContent,
  CardDescription,
  CardFooter,
  CardHeader,
  CardTitle,
} from "@repo/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@repo/ui/table";
import { sentryCapturedResources } from "@repo/webhooks/sentry";
import { BugIcon, GitBranchIcon, type LucideIcon, TriangleIcon } from "lucide-react";
import type { ReactNode } from "react";
import { PageHeader } from "~/components/page-header";
import { requireWorkspace } from "~/lib/auth";
import { ConnectionActions } from "./connection-actions";
import { InternalIntegrationDialog } from "./internal-integration-dialog";
import {
  connectionStatusLabel,
  describeEventFilter,
  formatRelative,
  formatTimestamp,
  type StatusLabel,
  statusCountRows,
  type Tone,
  tokenStatus,
} from "./source-status";

export const dynamic = "force-dynamic";

export default async function SourcesPage(props: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await props.params;
  const { workspace } = await requireWorkspace(workspaceId);
  const overview = await getSourceOverview((await getRuntime()).db, {
    workspaceId: workspace.id,
  });
  const sentry = overview.providers.find((p) => p.provider === "sentry")?.connections ?? [];

  return (
    <>
      <PageHeader
        title="Sources"
        description={`Services that feed ${workspace.name}: each delivery they send becomes an observation you can search.`}
      />
      <SentryCard workspaceId={workspace.id} connections={sentry} now={overview.now} />
      <div className="grid gap-6 md:grid-cols-2">
        <ComingSoonCard
          icon={GitBranchIcon}
          name="GitHub"
          description="Pull requests, reviews and releases."
        />
        <ComingSoonCard
          icon={TriangleIcon}
          name="Vercel"
          description="Deployments and their outcomes."
        />
      </div>
    </>
  );
}

function SentryCard(props: { workspaceId: string; connections: SourceConnection[]; now: Date }) {
  // A workspace whose every connection was revoked needs the way back in as much as a new one.
  const connectable = !props.connections.some((c) => c.status !== "revoked");
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <BugIcon className="size-5" aria-hidden />
          <h2>Sentry</h2>
        </CardTitle>
        <CardDescription>
          Issues, errors, alerts and comments from a Sentry organization.
        </CardDescription>
        {props.connections.length > 0 ? (
          <CardAction>
            <Badge variant="secondary">
              {props.connections.length === 1
                ? "1 connection"
                : `${props.connections.length} connections`}
            </Badge>
          </CardAction>
        ) : null}
      </CardHeader>
      <CardContent className="flex flex-col gap-6">
        {connectable ? (
          <p className="text-muted-foreground text-sm">
            Connecting installs the Sentry app on your organization and sends you back here; from
            then on Sentry delivers its issues, errors and alerts to this workspace as they happen.
          </p>
        ) : null}
        {props.connections.map((connection) => (
          <ConnectionBlock
            key={connection.installationId}
            connection={connection}
            now={props.now}
            workspaceId={props.workspaceId}
          />
        ))}
      </CardContent>
      <CardFooter className="flex flex-wrap gap-2">
        {/* Another organization can always be added; the first one gets the primary button. */}
        <Button asChild variant={connectable ? "default" : "outline"}>
          <a href={`/api/sentry/connect?workspaceId=${encodeURIComponent(props.workspaceId)}`}>
            {connectable ? "Connect Sentry" : "Connect Sentry for another organization"}
          </a>
        </Button>
        <InternalIntegrationDialog workspaceId={props.workspaceId} />
      </CardFooter>
    </Card>
  );
}

function ConnectionBlock(props: { connection: SourceConnection; now: Date; workspaceId: string }) {
  const { connection: c, now } = props;
  const headingId = `sentry-${c.installationId}`;
  const filter = describeEventFilter(c.eventFilter, sentryCapturedResources);
  const token = tokenStatus(c, now);
  const status = connectionStatusLabel(c.status);
  const stats = c.deliveries;
  return (
    <section
      aria-labelledby={headingId}
      className="flex flex-col gap-4 border-t pt-6 first:border-t-0 first:pt-0"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={headingId} className="min-w-0 truncate font-medium">
          {c.organizationSlug ?? "Unknown organization"}
        </h3>
        <ToneBadge status={status} />
      </div>

      <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
        <Field label="Organization">
          {c.organizationSlug ?? "—"}
          {c.organizationId ? (
            <span className="text-muted-foreground"> (id {c.organizationId})</span>
          ) : null}
        </Field>
        <Field label="Projects">
          {c.projectSlugs.length === 0 ? (
            "All projects"
          ) : (
            <span className="flex flex-wrap gap-1">
              {c.projectSlugs.map((slug) => (
                <Badge key={slug} variant="outline">
                  {slug}
                </Badge>
              ))}
            </span>
          )}
        </Field>
        <Field label="Event filter">
          {filter.events}
          <span className="text-muted-foreground"> · {filter.level}</span>
        </Field>
        <Field label="Token">
          <span className={toneText(token.tone)}>{token.label}</span>
        </Field>
        <Field label="Last delivery">
          {stats.lastDeliveryAt ? (
            <RelativeTime date={stats.lastDeliveryAt} now={now} />
          ) : (
            <span className="text-muted-foreground">No deliveries yet</span>
          )}
        </Field>
        <Field label="Deliveries in the last hour">{stats.lastHour}</Field>
        <Field label="Backfill">
          {c.backfill ? (
            <span className={c.backfill.status === "failed" ? "text-destructive" : undefined}>
              {backfillLabel(c.backfill)}
            </span>
          ) : (
            <span className="text-muted-foreground">Not run</span>
          )}
        </Field>
        <Field label="Installation">
          <code className="text-xs break-all">{c.installationId}</code>
        </Field>
        <Field label="Connected">
          <RelativeTime date={c.createdAt} now={now} />
        </Field>
      </dl>

      <div className="grid gap-6 md:grid-cols-2">
        <StatusCounts counts={stats.last24h} />
        <Failures failures={stats.recentFailures} now={now} />
      </div>

      {c.tokenState === "needs_reauth" ? (
        <Button asChild size="sm" className="w-fit">
          <a href={`/api/sentry/connect?workspaceId=${encodeURIComponent(props.workspaceId)}`}>
            Connect Sentry again
          </a>
        </Button>
      ) : null}
      <ConnectionActions
        workspaceId={props.workspaceId}
        installationId={c.installationId}
        organization={c.organizationSlug ?? c.installationId}
        canBackfill={c.tokenState === "active" && c.status === "active"}
        canDisconnect={c.status !== "revoked"}
      />
    </section>
  );
}

function Field(props: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-muted-foreground text-xs">{props.label}</dt>
      <dd className="mt-0.5">{props.children}</dd>
    </div>
  );
}

function StatusCounts(props: { counts: SourceConnection["deliveries"]["last24h"] }) {
  const rows = statusCountRows(props.counts);
  return (
    <div className="flex min-w-0 flex-col gap-2">
      <h4 className="text-sm font-medium">Deliveries in 24 h</h4>
      {rows.length === 0 ? (
        <p className="text-muted-foreground text-sm">No deliveries in 24 h</p>
      ) : (
        <div className="rounded-md border">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Status</TableHead>
                <TableHead className="text-right">Count</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((row) => (
                <TableRow key={row.status}>
                  <TableCell className={toneText(row.tone)}>{row.label}</TableCell>
                  <TableCell className="text-right tabular-nums">{row.count}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </div>
  );
}

function Failures(props: {
  failures: SourceConnection["deliveries"]["recentFailures"];
  now: Date;
}) {
  return (
    <div className="flex min-w-0 flex-col gap-2">
      <h4 className="text-sm font-medium">Latest failures</h4>
      {props.failures.length === 0 ? (
        <p className="text-muted-foreground text-sm">No failures in 24 h</p>
      ) : (
        <ul className="flex flex-col divide-y rounded-md border text-sm">
          {props.failures.map((failure) => (
            <li key={failure.payloadId} className="flex flex-col gap-1 px-3 py-2">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                <span className="font-medium">
                  {failure.resource}.{failure.action}
                </span>
                <RelativeTime
                  date={failure.receivedAt}
                  now={props.now}
                  className="text-muted-foreground text-xs"
                />
              </div>
              <p
                className="text-destructive line-clamp-3 font-mono text-xs break-words"
                title={failure.error ?? undefined}
              >
                {failure.error ?? "No error was recorded"}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function backfillLabel(b: NonNullable<SourceConnection["backfill"]>): string {
  const progress = `${b.items.toLocaleString("en")} issues in ${b.pages} page${b.pages === 1 ? "" : "s"}`;
  switch (b.status) {
    case "queued":
      return "Queued";
    case "running":
      return `Running: ${progress} so far`;
    case "done":
      return `Done: ${progress}`;
    case "failed":
      return `Failed after ${progress}: ${b.error ?? "unknown error"}`;
    default: {
      const unknown: never = b.status;
      return String(unknown);
    }
  }
}

function ComingSoonCard(props: { icon: LucideIcon; name: string; description: string }) {
  const Icon = props.icon;
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Icon className="size-5" aria-hidden />
          <h2>{props.name}</h2>
        </CardTitle>
        <CardDescription>{props.description}</CardDescription>
        <CardAction>
          <Badge variant="outline">Coming soon</Badge>
        </CardAction>
      </CardHeader>
      <CardFooter>
        <Button variant="outline" disabled>
          Connect {props.name}
        </Button>
      </CardFooter>
    </Card>
  );
}

function RelativeTime(props: { date: Date; now: Date; className?: string }) {
  return (
    <time
      dateTime={props.date.toISOString()}
      title={formatTimestamp(props.date)}
      className={props.className}
    >
      {formatRelative(props.date, props.now)}
    </time>
  );
}

function ToneBadge(props: { status: StatusLabel }) {
  const { label, tone } = props.status;
  switch (tone) {
    case "default":
      return <Badge>{label}</Badge>;
    case "muted":
      return <Badge variant="secondary">{label}</Badge>;
    case "warning":
      return (
        <Badge variant="outline" className={toneText("warning")}>
          {label}
        </Badge>
      );
    case "destructive":
      return <Badge variant="destructive">{label}</Badge>;
    default: {
      const unknown: never = tone;
      throw new Error(`unknown tone ${String(unknown)}`);
    }
  }
}

function toneText(tone: Tone): string {
  switch (tone) {
    case "default":
      return "";
    case "muted":
      return "text-muted-foreground";
    case "warning":
      return "text-amber-700 dark:text-amber-400";
    case "destructive":
      return "text-destructive font-medium";
    default: {
      const unknown: never = tone;
      throw new Error(`unknown tone ${String(unknown)}`);
    }
  }
}
