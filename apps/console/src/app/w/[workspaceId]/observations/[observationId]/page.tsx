import { getRuntime } from "@api/console";
import {
  getObservationDetail,
  type ObservationDetail,
  type ObservationDetailEntity,
  type ObservationDetailRelationship,
} from "@db/console";
import { Badge } from "@repo/ui/badge";
import { Button } from "@repo/ui/button";
import {
  Card,
  CardAction,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from "@repo/ui/card";
import { CopyButton } from "@repo/ui/copy-button";
import { ArrowLeftIcon, ExternalLinkIcon } from "lucide-react";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { PageHeader } from "~/components/page-header";
import { requireWorkspace } from "~/lib/auth";
import { redactPayload } from "~/lib/redact";
import { fullTime, relativeTime } from "~/lib/time";

export const dynamic = "force-dynamic";

const CATEGORY_LABELS: Record<string, string> = {
  short_id: "Short IDs",
  error_type: "Error types",
  file: "Files",
  function: "Functions",
  endpoint: "Endpoints",
  env_var: "Environment variables",
  release: "Releases",
  commit: "Commits",
  handle: "Handles",
  issue_number: "Issue numbers",
  project: "Projects",
  email: "Emails",
};

function relationLabel(edge: ObservationDetailRelationship): string {
  const out = edge.direction === "outgoing";
  switch (edge.type) {
    case "follows":
      return out ? "Follows" : "Followed by";
    case "resolved_by":
      return out ? "Resolved by" : "Resolves";
    case "alerts_on":
      return out ? "Alerts on" : "Alerted by";
    case "references":
      return out ? "References" : "Referenced by";
    default: {
      const unknown: never = edge.type;
      return unknown;
    }
  }
}

function statusLabel(status: ObservationDetail["status"]): string {
  switch (status) {
    case "captured":
      return "Captured";
    case "below_threshold":
      return "Below the significance threshold (kept, not embedded)";
    default: {
      const unknown: never = status;
      return unknown;
    }
  }
}

/** Stored bodies are JSON but a provider may send text; either way only the redacted copy is shown. */
function printable(value: unknown): string {
  const redacted = redactPayload(value);
  return typeof redacted === "string" ? redacted : JSON.stringify(redacted, null, 2);
}

export default async function ObservationPage(props: {
  params: Promise<{ workspaceId: string; observationId: string }>;
}) {
  const { workspaceId, observationId } = await props.params;
  const { workspace } = await requireWorkspace(workspaceId);
  const detail = await getObservationDetail((await getRuntime()).db, {
    workspaceId: workspace.id,
    observationId,
  });
  if (!detail) notFound();
  const now = new Date();
  const feed = `/w/${workspace.id}/feed`;

  return (
    <div className="flex flex-col gap-6">
      <Button asChild variant="ghost" size="sm" className="-ml-2 self-start">
        <Link href={feed}>
          <ArrowLeftIcon aria-hidden />
          Back to the feed
        </Link>
      </Button>
      <PageHeader
        title={detail.title}
        description={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
            <span className="flex flex-wrap gap-1.5">
              <Badge variant="secondary">{detail.observationType}</Badge>
              {detail.level ? <Badge variant="outline">{detail.level}</Badge> : null}
              {detail.status === "below_threshold" ? (
                <Badge variant="outline">low significance</Badge>
              ) : null}
            </span>
            <time dateTime={detail.occurredAt.toISOString()} title={fullTime(detail.occurredAt)}>
              {relativeTime(detail.occurredAt, now)}
            </time>
            {detail.actor ? <span>by {detail.actor.name}</span> : null}
          </span>
        }
        actions={
          detail.url ? (
            <Button asChild variant="outline" size="sm">
              <a href={detail.url} target="_blank" rel="noreferrer">
                Open in Sentry
                <ExternalLinkIcon aria-hidden />
                <span className="sr-only">(opens in a new tab)</span>
              </a>
            </Button>
          ) : null
        }
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="flex min-w-0 flex-col gap-6">
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>What happened</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <p className="text-sm break-words whitespace-pre-wrap">{detail.body}</p>
            </CardContent>
          </Card>
          <PayloadCard detail={detail} now={now} />
        </div>
        <div className="flex min-w-0 flex-col gap-6">
          <DetailsCard detail={detail} />
          <ClusterCard detail={detail} />
          <EntitiesCard entities={detail.entities} />
          <RelationshipsCard workspaceId={workspace.id} edges={detail.relationships} />
        </div>
      </div>
    </div>
  );
}

function Section(props: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <Card className="gap-4">
      <CardHeader>
        <CardTitle>
          <h2>{props.title}</h2>
        </CardTitle>
        {props.description ? <CardDescription>{props.description}</CardDescription> : null}
      </CardHeader>
      <CardContent>{props.children}</CardContent>
    </Card>
  );
}

function Field(props: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5">
      <dt className="text-muted-foreground text-xs">{props.label}</dt>
      <dd className="text-sm break-words">{props.children}</dd>
    </div>
  );
}

function DetailsCard(props: { detail: ObservationDetail }) {
  const { detail } = props;
  return (
    <Section title="Details">
      <dl className="grid grid-cols-1 gap-3 min-[420px]:grid-cols-2 lg:grid-cols-1">
        <Field label="Occurred">
          <time dateTime={detail.occurredAt.toISOString()}>{fullTime(detail.occurredAt)}</time>
        </Field>
        {detail.actor ? (
          <Field label="Actor">
            {detail.actor.name}
            {detail.actor.email ? (
              <span className="text-muted-foreground block text-xs">{detail.actor.email}</span>
            ) : null}
          </Field>
        ) : null}
        <Field label="Source">
          {detail.source} · <span className="font-mono">{detail.sourceType}</span>
        </Field>
        {detail.project ? <Field label="Project">{detail.project}</Field> : null}
        {detail.shortId ? (
          <Field label="Issue">
            <span className="font-mono">{detail.shortId}</span>
          </Field>
        ) : null}
        {detail.alertId ? (
          <Field label="Alert">
            <span className="font-mono">{detail.alertId}</span>
          </Field>
        ) : null}
        <Field label="Significance">{detail.significance}</Field>
        <Field label="Status">{statusLabel(detail.status)}</Field>
        {detail.topics.length > 0 ? <Field label="Topics">{detail.topics.join(", ")}</Field> : null}
        <Field label="Observation ID">
          <span className="font-mono text-xs">{detail.id}</span>
        </Field>
      </dl>
    </Section>
  );
}

function ClusterCard(props: { detail: ObservationDetail }) {
  const { cluster } = props.detail;
  if (!cluster) {
    return (
      <Section title="Cluster">
        <p className="text-muted-foreground text-sm">Not grouped with other observations.</p>
      </Section>
    );
  }
  return (
    <Section title="Cluster" description="Observations about the same thing.">
      <p className="text-sm font-medium break-words">{cluster.label}</p>
      <p className="text-muted-foreground mt-1 text-xs">
        {cluster.observationCount} observation{cluster.observationCount === 1 ? "" : "s"} ·{" "}
        {cluster.status} · last seen{" "}
        <time dateTime={cluster.lastSeenAt.toISOString()}>{fullTime(cluster.lastSeenAt)}</time>
      </p>
    </Section>
  );
}

function EntitiesCard(props: { entities: ObservationDetailEntity[] }) {
  const groups = new Map<string, ObservationDetailEntity[]>();
  for (const entity of props.entities) {
    groups.set(entity.category, [...(groups.get(entity.category) ?? []), entity]);
  }
  return (
    <Section
      title="Entities"
      description="Identifiers it names, with how many observations name each."
    >
      {groups.size === 0 ? (
        <p className="text-muted-foreground text-sm">No entities were found in it.</p>
      ) : (
        <dl className="flex flex-col gap-3">
          {[...groups].map(([category, list]) => (
            <div key={category} className="flex flex-col gap-1.5">
              <dt className="text-muted-foreground text-xs">
                {CATEGORY_LABELS[category] ?? category.replaceAll("_", " ")}
              </dt>
              <dd className="flex flex-wrap gap-1.5">
                {list.map((entity) => (
                  <Badge
                    key={entity.id}
                    variant="outline"
                    className="max-w-full"
                    title={`${entity.key}: named by ${entity.occurrenceCount} observation${entity.occurrenceCount === 1 ? "" : "s"}`}
                  >
                    <span className="truncate font-mono">{entity.label}</span>
                    <span className="text-muted-foreground">×{entity.occurrenceCount}</span>
                  </Badge>
                ))}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </Section>
  );
}

function RelationshipsCard(props: { workspaceId: string; edges: ObservationDetailRelationship[] }) {
  return (
    <Section title="Related">
      {props.edges.length === 0 ? (
        <p className="text-muted-foreground text-sm">No links to other observations yet.</p>
      ) : (
        <ul className="flex flex-col gap-3">
          {props.edges.map((edge) => (
            <li key={`${edge.direction}:${edge.id}`} className="flex flex-col gap-0.5 text-sm">
              <span className="text-muted-foreground text-xs">{relationLabel(edge)}</span>
              {edge.other ? (
                <Link
                  href={`/w/${props.workspaceId}/observations/${edge.other.id}`}
                  className="focus-visible:ring-ring/50 rounded-sm break-words underline-offset-4 outline-none hover:underline focus-visible:ring-[3px]"
                >
                  {edge.other.title}
                </Link>
              ) : (
                <span className="font-mono text-xs break-all">{edge.targetKey}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function PayloadCard(props: { detail: ObservationDetail; now: Date }) {
  const { payload } = props.detail;
  if (!payload) {
    return (
      <Section title="Raw payload">
        <p className="text-muted-foreground text-sm">
          The delivery this observation came from is not stored in this workspace.
        </p>
      </Section>
    );
  }
  const body = printable(payload.body);
  const headers = printable(payload.headers);
  return (
    <Card className="gap-4">
      <CardHeader>
        <CardTitle>
          <h2>Raw payload</h2>
        </CardTitle>
        <CardDescription>
          <span className="font-mono">
            {payload.resource}.{payload.action}
          </span>{" "}
          received{" "}
          <time dateTime={payload.receivedAt.toISOString()} title={fullTime(payload.receivedAt)}>
            {relativeTime(payload.receivedAt, props.now)}
          </time>
          {payload.requestId ? <> · request {payload.requestId}</> : null}. Secrets are redacted.
        </CardDescription>
        <CardAction>
          <CopyButton value={body} aria-label="Copy the redacted payload" title="Copy" />
        </CardAction>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        <section
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs focus to scroll by keyboard
          tabIndex={0}
          aria-label="Webhook payload, redacted"
          className="bg-muted focus-visible:ring-ring/50 max-h-[32rem] overflow-auto rounded-md outline-none focus-visible:ring-[3px]"
        >
          <pre className="w-max min-w-full p-3 font-mono text-xs leading-relaxed">{body}</pre>
        </section>
        <details className="group">
          <summary className="text-muted-foreground focus-visible:ring-ring/50 cursor-pointer rounded-sm text-xs outline-none focus-visible:ring-[3px]">
            Delivery headers
          </summary>
          <pre className="bg-muted mt-2 max-h-64 overflow-auto rounded-md p-3 font-mono text-xs">
            {headers}
          </pre>
        </details>
      </CardContent>
    </Card>
  );
}
