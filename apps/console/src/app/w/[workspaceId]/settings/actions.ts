"use server";

import { consoleUrl } from "@repo/auth/env";
import { APIError } from "better-auth/api";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { getAuth, requireWorkspace } from "~/lib/auth";

export type InviteState = { error?: string; link?: string; email?: string };

const inviteForm = z.object({
  workspaceId: z.string().min(1),
  email: z.string().trim().toLowerCase().email("Enter a valid email address"),
  role: z.enum(["member", "admin"]),
});

/**
 * The console sends no email: the invitation's link is shown to the inviter to pass on. It lets that
 * address sign up even while sign-up is closed, and joins them to this workspace.
 */
export async function inviteMemberAction(
  _previous: InviteState,
  formData: FormData,
): Promise<InviteState> {
  const parsed = inviteForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Check the form" };
  const { workspace, role } = await requireWorkspace(parsed.data.workspaceId);
  if (role !== "owner" && role !== "admin") return { error: "Only owners and admins can invite" };
  try {
    const invitation = await (await getAuth()).api.createInvitation({
      headers: await headers(),
      body: { email: parsed.data.email, role: parsed.data.role, organizationId: workspace.id },
    });
    revalidatePath(`/w/${workspace.id}/settings`);
    return { link: `${consoleUrl()}/invitations/${invitation.id}`, email: parsed.data.email };
  } catch (error) {
    if (error instanceof APIError) return { error: error.message };
    throw error;
  }
}
