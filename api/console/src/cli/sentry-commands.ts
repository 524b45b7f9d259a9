import path from "node:path";
import { getWorkspace, linkSentryInstallation, upsertIntegration } from "@db/console";
import { seal } from "@repo/secrets";
import { sentrySourceConfigSchema } from "@repo/webhooks/sentry";
import { env } from "../env";
import { connectInternalSentry } from "../providers/sentry/internal";
import { loadDeliveries, sendDelivery } from "../providers/sentry/sender";
import { loadKeyring } from "../runtime/keyring";
import type { CommandContext } from "./commands";
import { UsageError } from "./output";

function flag(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.flags[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function list(value: string | undefined): string[] | undefined {
  return value
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export const sentryCommands: Record<string, (ctx: CommandContext) => Promise<void>> = {
  /**
   * Binds a Sentry installation to a workspace, as the OAuth callback does for users. With
   * --client-secret it is an internal integration whose webhooks verify with that secret.
   */
  "sentry link": async (ctx) => {
    const workspaceId = flag(ctx, "workspace");
    const uuid = flag(ctx, "installation");
    const org = flag(ctx, "org");
    if (!workspaceId || !uuid || !org) {
      throw new UsageError("--workspace, --installation and --org are required");
    }
    const db = await ctx.database();
    if (!(await getWorkspace(db.db, { workspaceId }))) {
      throw new UsageError(
        `workspace ${workspaceId} does not exist (see: pnpm cli workspace list)`,
      );
    }
    const config = sentrySourceConfigSchema.safeParse({
      sourceType: "sentry",
      organizationSlug: org,
      projectSlugs: list(flag(ctx, "projects")) ?? [],
      sync: {
        ...(list(flag(ctx, "events")) ? { events: list(flag(ctx, "events")) } : {}),
        ...(flag(ctx, "min-level") ? { minLevel: flag(ctx, "min-level") } : {}),
      },
    });
    if (!config.success) throw new UsageError(`invalid filter: ${config.error.message}`);
    const clientSecret = flag(ctx, "client-secret");
    const installation = await linkSentryInstallation(db.db, {
      uuid,
      workspaceId,
      organizationSlug: org,
      kind: clientSecret ? "internal" : "public",
      clientSecretSealed: clientSecret ? seal(loadKeyring(db), clientSecret) : null,
    });
    const integration = await upsertIntegration(db.db, {
      workspaceId,
      provider: "sentry",
      externalId: uuid,
      sourceConfig: config.data,
    });
    ctx.out.result(
      {
        workspaceId,
        installation: installation.uuid,
        kind: installation.kind,
        integrationId: integration.id,
        sourceConfig: integration.sourceConfig,
      },
      `linked Sentry installation ${uuid} (${org}, ${installation.kind}) to workspace ${workspaceId}`,
    );
  },

  /**
   * A single-organization internal integration, without OAuth: its fixed token (sealed) serves API calls
   * and backfills, and its own client secret verifies its webhooks.
   */
  "sentry connect-internal": async (ctx) => {
    const workspaceId = flag(ctx, "workspace");
    const org = flag(ctx, "org");
    const token = flag(ctx, "token");
    const clientSecret = flag(ctx, "client-secret");
    const installationId = flag(ctx, "installation");
    if (!workspaceId || !org || !token || !clientSecret || !installationId) {
      throw new UsageError(
        "--workspace, --org, --token, --client-secret and --installation are required (the installation uuid is on the integration's page in Sentry, and in every webhook it sends)",
      );
    }
    const db = await ctx.database();
    if (!(await getWorkspace(db.db, { workspaceId }))) {
      throw new UsageError(
        `workspace ${workspaceId} does not exist (see: pnpm cli workspace list)`,
      );
    }
    const { installation, integration } = await connectInternalSentry(
      { db: db.db, keyring: loadKeyring(db) },
      { workspaceId, organizationSlug: org, installationId, token, clientSecret },
    );
    // Never echo the token or the secret: this output ends up in terminals and CI logs.
    ctx.out.result(
      {
        workspaceId,
        installation: installation.uuid,
        kind: installation.kind,
        integrationId: integration.id,
      },
      `connected internal Sentry integration ${installation.uuid} (${org}) to workspace ${workspaceId}`,
    );
  },

  /** Signs and POSTs fixture files or a dataset directory (webhooks.jsonl) exactly as Sentry would. */
  "sentry send": async (ctx) => {
    const target = ctx.args[0];
    if (!target) throw new UsageError("name a fixture .json file or a dataset directory");
    const secret = flag(ctx, "secret") ?? env.SENTRY_CLIENT_SECRET;
    if (!secret)
      throw new UsageError("--secret or SENTRY_CLIENT_SECRET is required to sign deliveries");
    const url = flag(ctx, "url") ?? `http://127.0.0.1:${env.PORT}/api/sentry/webhooks`;
    const deliveries = loadDeliveries(
      path.resolve(env.INIT_CWD ?? process.cwd(), target),
      flag(ctx, "resource"),
    );
    const results = [];
    for (const delivery of deliveries) {
      const result = await sendDelivery(url, delivery, secret);
      results.push(result);
      if (!ctx.out.json) console.log(`${result.status} ${result.label} ${Math.round(result.ms)}ms`);
    }
    const statuses: Record<string, number> = {};
    for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    const failed = results.filter((r) => r.status === 0 || r.status >= 500).length;
    ctx.out.result(
      { url, sent: results.length, statuses, failed, results },
      `sent ${results.length} deliveries to ${url}: ${JSON.stringify(statuses)}`,
    );
    if (failed > 0) process.exitCode = 1;
  },
};
