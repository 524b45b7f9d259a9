import { randomBytes } from "node:crypto";
import {
  createOAuthState,
  type Database,
  getSentryInstallation,
  linkSentryInstallation,
  sha256Hex,
  takeOAuthState,
  upsertIntegration,
  upsertUserSource,
} from "@db/console";
import { type Keyring, seal } from "@repo/secrets";
import { sentrySourceConfigSchema } from "@repo/webhooks/sentry";
import { z } from "zod";
import {
  exchangeCode,
  SentryApiError,
  type SentryAppConfig,
  verifyInstallation,
} from "./oauth-client";

export const STATE_TTL_MS = 10 * 60_000;

/**
 * Step 1 of connecting: a random state bound to this session and workspace (stored as a hash, single
 * use, 10 minutes), and the Sentry page that installs the app and comes back with it.
 */
export async function startSentryConnect(
  db: Database,
  config: SentryAppConfig & { appSlug: string },
  params: { userId: string; sessionId: string; workspaceId: string; now?: number },
): Promise<{ url: string }> {
  const state = randomBytes(32).toString("base64url");
  const now = params.now ?? Date.now();
  await createOAuthState(db, {
    stateHash: sha256Hex(state),
    provider: "sentry",
    userId: params.userId,
    sessionId: params.sessionId,
    workspaceId: params.workspaceId,
    expiresAt: new Date(now + STATE_TTL_MS),
  });
  const base = config.baseUrl.replace(/\/+$/, "");
  return {
    url: `${base}/sentry-apps/${encodeURIComponent(config.appSlug)}/external-install/?state=${encodeURIComponent(state)}`,
  };
}

const callbackQuery = z.object({
  code: z.string().min(1),
  installationId: z.string().min(1).max(100),
  orgSlug: z.string().min(1).max(100),
  state: z.string().min(1).max(200),
});

/** What the callback tells a person: what happened, and what to do next. */
export type ConnectOutcome =
  | { ok: true; workspaceId: string; installationId: string; organizationSlug: string }
  | { ok: false; status: 400 | 502; title: string; message: string; workspaceId?: string };

const refused = (
  status: 400 | 502,
  title: string,
  message: string,
  workspaceId?: string,
): ConnectOutcome => ({ ok: false, status, title, message, workspaceId });

/**
 * Step 2, Sentry's redirect back: the state first (else 400 and nothing stored), then the code exchange
 * and the installation's verification, and only when both worked one transaction stores the sealed
 * pair, the installation and the integration. A failure anywhere leaves nothing half-stored.
 */
export async function completeSentryConnect(
  deps: { db: Database; keyring: Keyring; config: SentryAppConfig; now?: number },
  params: { query: URLSearchParams; session: { userId: string; sessionId: string } | null },
): Promise<ConnectOutcome> {
  const query = callbackQuery.safeParse(Object.fromEntries(params.query));
  if (!query.success) {
    return refused(
      400,
      "This link is incomplete",
      "Sentry's answer is missing its code, installation, organization or state. Start again from Connect Sentry.",
    );
  }
  const { code, installationId, orgSlug, state } = query.data;
  const stored = await takeOAuthState(deps.db, { stateHash: sha256Hex(state) });
  if (stored?.provider !== "sentry") {
    return refused(
      400,
      "This connection attempt is not recognised",
      "It was already used, or it did not start from this console. Start again from Connect Sentry.",
    );
  }
  if (stored.expiresAt.getTime() <= (deps.now ?? Date.now())) {
    return refused(
      400,
      "This connection attempt expired",
      "Connecting must finish within 10 minutes. Start again from Connect Sentry.",
      stored.workspaceId,
    );
  }
  if (
    !params.session ||
    params.session.userId !== stored.userId ||
    params.session.sessionId !== stored.sessionId
  ) {
    return refused(
      400,
      "This connection attempt belongs to another sign-in",
      "Finish connecting in the browser session that clicked Connect Sentry, signed in as the same person.",
    );
  }

  let grant: Awaited<ReturnType<typeof exchangeCode>>;
  try {
    grant = await exchangeCode(deps.config, { installationId, code });
    await verifyInstallation(deps.config, { installationId, token: grant.token });
  } catch (error) {
    return sentryFailure(error, stored.workspaceId);
  }

  const pending = await getSentryInstallation(deps.db, { uuid: installationId });
  const organizationId = pending?.organizationId ?? null;
  const sourceConfig = sentrySourceConfigSchema.parse({
    sourceType: "sentry",
    organizationSlug: orgSlug,
    projectSlugs: [],
    sync: {},
  });
  await deps.db.transaction(async (tx) => {
    await upsertUserSource(tx, {
      workspaceId: stored.workspaceId,
      userId: stored.userId,
      provider: "sentry",
      installationId,
      accessTokenSealed: seal(deps.keyring, grant.token),
      refreshTokenSealed: seal(deps.keyring, grant.refreshToken),
      expiresAt: new Date(grant.expiresAt),
      scopes: grant.scopes,
      providerMetadata: {
        version: 1,
        sourceType: "sentry",
        organizationSlug: orgSlug,
        organizationId,
        installationId,
        scopes: grant.scopes,
      },
    });
    await linkSentryInstallation(tx, {
      uuid: installationId,
      workspaceId: stored.workspaceId,
      organizationSlug: orgSlug,
      kind: "public",
    });
    await upsertIntegration(tx, {
      workspaceId: stored.workspaceId,
      provider: "sentry",
      externalId: installationId,
      sourceConfig,
    });
  });
  return { ok: true, workspaceId: stored.workspaceId, installationId, organizationSlug: orgSlug };
}

function sentryFailure(error: unknown, workspaceId: string): ConnectOutcome {
  if (!(error instanceof SentryApiError)) throw error;
  switch (error.kind) {
    case "rejected":
      return refused(
        400,
        "Sentry did not accept this authorization",
        error.status === 401
          ? "The authorization code was already used or has expired (codes last 10 minutes), or this console's Sentry client ID and secret do not match the app. Start again from Connect Sentry; if it keeps failing, check SENTRY_CLIENT_ID and SENTRY_CLIENT_SECRET."
          : `Sentry refused the request (${error.status}${error.detail ? `: ${error.detail}` : ""}). Start again from Connect Sentry.`,
        workspaceId,
      );
    case "network":
    case "server":
      return refused(
        502,
        "Sentry could not be reached",
        "Nothing was saved. Check that Sentry is up and reachable from this console, then start again from Connect Sentry.",
        workspaceId,
      );
    default: {
      const unknown: never = error.kind;
      throw new Error(`unexpected Sentry error kind ${String(unknown)}`);
    }
  }
}
