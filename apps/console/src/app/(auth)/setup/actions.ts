"use server";

import { getRuntime } from "@api/console";
import { redeemSetupLink, SetupLinkError } from "@repo/auth";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@repo/auth/limits";
import { APIError } from "better-auth/api";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getAuth } from "~/lib/auth";

const setupForm = z.object({
  token: z.string().min(1),
  name: z.string().trim().min(1, "Enter your name").max(100),
  email: z.string().trim().email("Enter a valid email address"),
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `The password needs at least ${PASSWORD_MIN_LENGTH} characters`)
    .max(PASSWORD_MAX_LENGTH),
});

export type SetupState = { error?: string };

/*
 * A server action rather than better-auth's sign-up endpoint: the one-time token is what allows this
 * account while sign-up is closed. Next checks that a server action's Origin matches its host (CSRF).
 */
export async function createFirstAccountAction(
  _previous: SetupState,
  formData: FormData,
): Promise<SetupState> {
  const parsed = setupForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Check the form" };
  try {
    await redeemSetupLink(await getAuth(), (await getRuntime()).db, parsed.data);
  } catch (error) {
    if (error instanceof SetupLinkError) return { error: error.message };
    if (error instanceof APIError) return { error: error.message };
    throw error;
  }
  redirect("/onboarding");
}
