import {
  dropUserSourceTokens,
  getIntegrationByExternalId,
  getSentryInstallation,
  recordPendingInstallation,
  revokeIntegration,
  revokeSentryInstallation,
} from "@db/console";
import { open, seal } from "@repo/secrets";
import { z } from "zod";
import { env } from "../../env";
import type { IngestContext, ProviderIngest, SecretResolution } from "../types";

const installationData = z.object({
  installation: z.object({
    uuid: z.string().min(1),
    organization: z.object({
      slug: z.string().min(1),
      id: z.union([z.string(), z.number()]).optional(),
    }),
    app: z.object({ slug: z.string().optional() }).optional(),
    code: z.string().optional(),
  }),
});

function publicSecret(): SecretResolution {
  return env.SENTRY_CLIENT_SECRET
    ? { kind: "verify", secret: env.SENTRY_CLIENT_SECRET, workspaceId: null }
    : {
        kind: "not-configured",
        message:
          "SENTRY_CLIENT_SECRET is not set: set it to the public integration's client secret",
      };
}

/**
 * The secret comes from the installation the body names: an internal integration verifies with its own
 * stored client secret, a public one with SENTRY_CLIENT_SECRET. The uuid is unverified until the signature
 * checks out, which is why it only chooses the key and never grants anything by itself.
 */
async function resolveSecret(
  ctx: IngestContext,
  delivery: { resource: string; action: string; installationId?: string },
): Promise<SecretResolution> {
  if (!delivery.installationId) {
    return { kind: "unknown-installation", message: "the body names no installation.uuid" };
  }
  const installation = await getSentryInstallation(ctx.db, { uuid: delivery.installationId });
  if (!installation) {
    // Sentry announces a new installation before anything else exists for it.
    if (delivery.resource === "installation" && delivery.action === "created")
      return publicSecret();
    return {
      kind: "unknown-installation",
      message: `installation ${delivery.installationId} is not known here; link it with \`pnpm cli sentry link\``,
    };
  }
  if (installation.status === "revoked") {
    return {
      kind: "revoked-installation",
      message: `installation ${installation.uuid} was uninstalled`,
    };
  }
  const base =
    installation.kind === "internal" && installation.clientSecretSealed
      ? ({
          kind: "verify",
          secret: open(ctx.keyring, installation.clientSecretSealed),
          workspaceId: null,
        } as const)
      : publicSecret();
  if (base.kind !== "verify") return base;
  const integration = await getIntegrationByExternalId(ctx.db, {
    provider: "sentry",
    externalId: installation.uuid,
  });
  return {
    ...base,
    workspaceId: installation.workspaceId,
    integration: integration?.status === "active" ? integration : undefined,
  };
}

/**
 * `installation.created` records a pending installation and its grant code for the OAuth callback;
 * `installation.deleted` is sent once and never retried, so it is applied before answering.
 */
async function handleLifecycle(
  ctx: IngestContext,
  delivery: { resource: string; action: string; installationId?: string },
  payload: unknown,
) {
  if (delivery.resource !== "installation") return null;
  const parsed = installationData.safeParse((payload as { data?: unknown }).data);
  if (!parsed.success) {
    return {
      status: 400,
      body: { error: "INVALID_PAYLOAD", message: `installation data: ${parsed.error.message}` },
    };
  }
  const { installation } = parsed.data;
  if (delivery.action === "created") {
    await recordPendingInstallation(ctx.db, {
      uuid: installation.uuid,
      organizationSlug: installation.organization.slug,
      organizationId:
        installation.organization.id === undefined
          ? undefined
          : String(installation.organization.id),
      appSlug: installation.app?.slug,
      grantCodeSealed: installation.code ? seal(ctx.keyring, installation.code) : undefined,
    });
    return {
      status: 202,
      body: { received: true, installation: installation.uuid, status: "pending" },
    };
  }
  if (delivery.action === "deleted") {
    await revokeSentryInstallation(ctx.db, { uuid: installation.uuid });
    await revokeIntegration(ctx.db, { provider: "sentry", externalId: installation.uuid });
    // Sentry has already invalidated them; keeping even sealed copies of dead tokens serves nobody.
    await dropUserSourceTokens(ctx.db, { provider: "sentry", installationId: installation.uuid });
    ctx.log("sentry installation revoked", { installation: installation.uuid });
    return {
      status: 200,
      body: { received: true, installation: installation.uuid, status: "revoked" },
    };
  }
  return null;
}

export const sentryIngest = { resolveSecret, handleLifecycle } satisfies ProviderIngest;
