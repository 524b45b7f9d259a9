import { type Database, listIntegrations } from "@db/console";
import type { SourceEvent } from "@repo/schemas";
import { type WebhookSource, webhookProviders } from "@repo/webhooks";

export type AllowedResult = { allowed: true } | { allowed: false; reason: string };

/**
 * The integration's own filter, applied again here because the webhook route is not the only way in
 * (backfill and replay emit the same event). Each provider reads its own config member; a workspace with no
 * active integration for the source (linked by an operator) captures everything.
 */
export async function checkAllowed(
  db: Database,
  params: { workspaceId: string; events: readonly SourceEvent[] },
): Promise<AllowedResult[]> {
  if (params.events.length === 0) return [];
  const integrations = (await listIntegrations(db, { workspaceId: params.workspaceId })).filter(
    (i) => i.status === "active",
  );
  return params.events.map((event) => verdictFor(event, integrations));
}

function verdictFor(
  event: SourceEvent,
  integrations: Awaited<ReturnType<typeof listIntegrations>>,
): AllowedResult {
  const provider = (webhookProviders as Record<string, (typeof webhookProviders)[WebhookSource]>)[
    event.source
  ];
  if (!provider) return { allowed: true };
  const own = integrations.filter((i) => i.provider === event.source);
  if (own.length === 0) return { allowed: true };
  const reasons: string[] = [];
  for (const integration of own) {
    const config = provider.configSchema.safeParse(integration.sourceConfig);
    // A config this console cannot read filters nothing rather than silently dropping events.
    if (!config.success) return { allowed: true };
    const verdict = provider.allowed(event, config.data);
    if (verdict.allowed) return { allowed: true };
    reasons.push(verdict.reason);
  }
  return { allowed: false, reason: reasons.join("; ") };
}
