import {
  type Database,
  linkSentryInstallation,
  upsertIntegration,
  upsertUserSource,
} from "@db/console";
import { type Keyring, seal } from "@repo/secrets";
import { sentrySourceConfigSchema } from "@repo/webhooks/sentry";

/**
 * An internal integration (one organization, no OAuth): its token never expires and its webhooks are
 * signed with its own client secret, so both are stored sealed and nothing is ever refreshed. Sentry shows
 * the installation's uuid on the integration's page and in every webhook it sends.
 */
export async function connectInternalSentry(
  deps: { db: Database; keyring: Keyring },
  params: {
    workspaceId: string;
    organizationSlug: string;
    installationId: string;
    token: string;
    clientSecret: string;
    userId?: string | null;
  },
) {
  const sourceConfig = sentrySourceConfigSchema.parse({
    sourceType: "sentry",
    organizationSlug: params.organizationSlug,
    projectSlugs: [],
    sync: {},
  });
  return deps.db.transaction(async (tx) => {
    const installation = await linkSentryInstallation(tx, {
      uuid: params.installationId,
      workspaceId: params.workspaceId,
      organizationSlug: params.organizationSlug,
      kind: "internal",
      clientSecretSealed: seal(deps.keyring, params.clientSecret),
    });
    await upsertUserSource(tx, {
      workspaceId: params.workspaceId,
      userId: params.userId ?? null,
      provider: "sentry",
      installationId: params.installationId,
      accessTokenSealed: seal(deps.keyring, params.token),
      refreshTokenSealed: null,
      expiresAt: null,
      scopes: [],
      providerMetadata: {
        version: 1,
        sourceType: "sentry",
        kind: "internal",
        organizationSlug: params.organizationSlug,
        organizationId: installation.organizationId,
        installationId: params.installationId,
        scopes: [],
      },
    });
    const integration = await upsertIntegration(tx, {
      workspaceId: params.workspaceId,
      provider: "sentry",
      externalId: params.installationId,
      sourceConfig,
    });
    return { installation, integration };
  });
}
