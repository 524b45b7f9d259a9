"use server";

import { getRuntime } from "@api/console";
import { getMembership, workspaceSlug } from "@db/console";
import { APIError } from "better-auth/api";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getAuth, requireSession, requireWorkspace } from "~/lib/auth";

const workspaceName = z
  .string()
  .trim()
  .min(1, "Give the workspace a name")
  .max(80, "A workspace name is at most 80 characters");

export type WorkspaceFormState = { error?: string; ok?: boolean };

export async function createWorkspaceAction(
  _previous: WorkspaceFormState,
  formData: FormData,
): Promise<WorkspaceFormState> {
  await requireSession();
  const name = workspaceName.safeParse(formData.get("name"));
  if (!name.success) return { error: name.error.issues[0]?.message };
  let workspaceId: string;
  try {
    // Through better-auth so the creator becomes owner in the same call, as its organization model expects.
    const created = await (await getAuth()).api.createOrganization({
      headers: await headers(),
      body: { name: name.data, slug: workspaceSlug(name.data) },
    });
    if (!created) return { error: "The workspace could not be created" };
    workspaceId = created.id;
  } catch (error) {
    if (error instanceof APIError) return { error: error.message };
    throw error;
  }
  redirect(`/w/${workspaceId}/sources`);
}

export async function renameWorkspaceAction(
  _previous: WorkspaceFormState,
  formData: FormData,
): Promise<WorkspaceFormState> {
  const { workspace, role } = await requireWorkspace(String(formData.get("workspaceId")));
  if (role !== "owner" && role !== "admin") {
    return { error: "Only the workspace's owners and admins can rename it" };
  }
  const name = workspaceName.safeParse(formData.get("name"));
  if (!name.success) return { error: name.error.issues[0]?.message };
  await (await getAuth()).api.updateOrganization({
    headers: await headers(),
    body: { organizationId: workspace.id, data: { name: name.data } },
  });
  revalidatePath(`/w/${workspace.id}`, "layout");
  return { ok: true };
}

/** Remembered on the session so the front door reopens the workspace last used. */
export async function rememberWorkspaceAction(workspaceId: string): Promise<void> {
  const session = await requireSession();
  const member = await getMembership((await getRuntime()).db, {
    workspaceId,
    userId: session.user.id,
  });
  if (!member) return;
  await (await getAuth()).api.setActiveOrganization({
    headers: await headers(),
    body: { organizationId: workspaceId },
  });
}
