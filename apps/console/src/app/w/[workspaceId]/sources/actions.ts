"use server";

import { connectInternalSentry, getRuntime } from "@api/console";
import {
  dropUserSourceTokens,
  getIntegrationByExternalId,
  getUserSourceTokens,
  revokeIntegration,
  revokeSentryInstallation,
} from "@db/console";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireWorkspace } from "~/lib/auth";
import { queueSentryBackfill } from "~/lib/sentry-backfill";

type ActionResult = { ok: true; message: string } | { ok: false; message: string };

/** The installation must belong to the caller's workspace: an id from elsewhere changes nothing. */
async function ownConnection(workspaceId: string, installationId: string) {
  const { workspace, role } = await requireWorkspace(workspaceId);
  const rt = await getRuntime();
  const source = await getUserSourceTokens(rt.db, { provider: "sentry", installationId });
  return { workspace, role, rt, source: source?.workspaceId === workspace.id ? source : undefined };
}

export async function backfillSentryAction(params: {
  workspaceId: string;
  installationId: string;
}): Promise<ActionResult> {
  const { workspace, rt, source } = await ownConnection(params.workspaceId, params.installationId);
  if (source?.status !== "active") {
    return {
      ok: false,
      message: "Backfill needs a working Sentry connection: connect Sentry first",
    };
  }
  const queued = await queueSentryBackfill(rt, {
    workspaceId: workspace.id,
    installationId: params.installationId,
  });
  revalidatePath(`/w/${workspace.id}/sources`);
  return queued
    ? { ok: true, message: "Backfill started: issues appear in the feed as they are captured" }
    : { ok: false, message: "Sentry is not configured on this console (SENTRY_CLIENT_ID/SECRET)" };
}

/**
 * Stops this workspace from using the installation: its tokens are deleted and its webhooks answered 404.
 * Sentry keeps the app installed until someone removes it in Sentry's settings.
 */
export async function disconnectSentryAction(params: {
  workspaceId: string;
  installationId: string;
}): Promise<ActionResult> {
  const { workspace, role, rt, source } = await ownConnection(
    params.workspaceId,
    params.installationId,
  );
  if (role !== "owner" && role !== "admin") {
    return { ok: false, message: "Only the workspace's owners and admins can disconnect a source" };
  }
  const integration = await getIntegrationByExternalId(rt.db, {
    provider: "sentry",
    externalId: params.installationId,
  });
  if (!source && integration?.workspaceId !== workspace.id) {
    return { ok: false, message: "No such connection in this workspace" };
  }
  await revokeIntegration(rt.db, { provider: "sentry", externalId: params.installationId });
  await dropUserSourceTokens(rt.db, { provider: "sentry", installationId: params.installationId });
  await revokeSentryInstallation(rt.db, { uuid: params.installationId });
  revalidatePath(`/w/${workspace.id}/sources`);
  return { ok: true, message: "Disconnected: remove the app in Sentry's settings too" };
}

const internalForm = z.object({
  workspaceId: z.string().min(1),
  organizationSlug: z.string().trim().min(1, "Enter the organization's slug").max(100),
  installationId: z
    .string()
    .trim()
    .uuid("The installation id is a uuid, shown on the integration's page"),
  token: z.string().trim().min(8, "Paste the integration's token"),
  clientSecret: z.string().trim().min(16, "Paste the integration's client secret"),
});

export type InternalFormState = { error?: string; ok?: boolean };

/** The console's twin of `pnpm cli sentry connect-internal`: token and secret are sealed, never echoed. */
export async function connectInternalAction(
  _previous: InternalFormState,
  formData: FormData,
): Promise<InternalFormState> {
  const parsed = internalForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Check the form" };
  const { workspace, role, session } = await requireWorkspace(parsed.data.workspaceId);
  if (role !== "owner" && role !== "admin") {
    return { error: "Only the workspace's owners and admins can connect a source" };
  }
  const rt = await getRuntime();
  const existing = await getIntegrationByExternalId(rt.db, {
    provider: "sentry",
    externalId: parsed.data.installationId,
  });
  // An installation already feeding another workspace is not taken over from here.
  if (existing && existing.workspaceId !== workspace.id && existing.status === "active") {
    return { error: "That installation is connected to another workspace" };
  }
  await connectInternalSentry(
    { db: rt.db, keyring: rt.keyring },
    { ...parsed.data, workspaceId: workspace.id, userId: session.user.id },
  );
  revalidatePath(`/w/${workspace.id}/sources`);
  return { ok: true };
}
