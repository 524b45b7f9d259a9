"use server";

import { getRuntime } from "@api/console";
import { createApiKey, revokeApiKey } from "@db/console";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireWorkspace } from "~/lib/auth";

export type CreateKeyState = { error?: string; secret?: string; name?: string };

const keyForm = z.object({
  workspaceId: z.string().min(1),
  name: z.string().trim().min(1, "Name the key after what uses it").max(80),
  expiresInDays: z.enum(["never", "30", "90", "365"]).default("never"),
});

/** The secret is returned to this one response and never again: only its hash is stored. */
export async function createApiKeyAction(
  _previous: CreateKeyState,
  formData: FormData,
): Promise<CreateKeyState> {
  const parsed = keyForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Check the form" };
  const { workspace } = await requireWorkspace(parsed.data.workspaceId);
  const days =
    parsed.data.expiresInDays === "never" ? undefined : Number(parsed.data.expiresInDays);
  const { apiKey, key } = await createApiKey((await getRuntime()).db, {
    workspaceId: workspace.id,
    name: parsed.data.name,
    expiresAt: days ? new Date(Date.now() + days * 86_400_000) : undefined,
  });
  // No revalidation here: re-rendering the list could unmount the dialog that shows the secret (the empty
  // state holds it); the dialog refreshes the list when it closes.
  return { secret: apiKey, name: key.name };
}

export async function revokeApiKeyAction(params: {
  workspaceId: string;
  keyId: string;
}): Promise<{ ok: boolean }> {
  const { workspace } = await requireWorkspace(params.workspaceId);
  // Scoped by the workspace the caller belongs to: a key id from another workspace revokes nothing.
  const ok = await revokeApiKey((await getRuntime()).db, {
    workspaceId: workspace.id,
    keyId: params.keyId,
  });
  revalidatePath(`/w/${workspace.id}/api-keys`);
  return { ok };
}
