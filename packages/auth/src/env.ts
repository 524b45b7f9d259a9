import { envOptions } from "@repo/env";
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";

export const env = createEnv({
  server: {
    /*
     * Signs session cookies. Unset: derived from the encryption keyring (ENCRYPTION_KEY, or the embedded
     * default's generated key), so a newcomer sets nothing and a Postgres deployment, which must set
     * ENCRYPTION_KEY, gets a real secret too. Rotating the key then signs everyone out.
     */
    BETTER_AUTH_SECRET: z
      .string()
      .min(32, "BETTER_AUTH_SECRET must be at least 32 characters (openssl rand -base64 32)")
      .optional(),
    /** Where people reach the console, e.g. https://console.example.com; unset: http://localhost:$PORT. */
    CONSOLE_URL: z
      .string()
      .url("CONSOLE_URL must be the console's public URL, e.g. https://console.example.com")
      .optional(),
    /** Creates this account (if no account exists) at start, instead of printing a one-time setup link. */
    CONSOLE_ADMIN_EMAIL: z
      .string()
      .email("CONSOLE_ADMIN_EMAIL must be an email address, e.g. admin@example.com")
      .optional(),
    CONSOLE_ADMIN_PASSWORD: z
      .string()
      .min(10, "CONSOLE_ADMIN_PASSWORD must be at least 10 characters")
      .max(128, "CONSOLE_ADMIN_PASSWORD must be at most 128 characters")
      .optional(),
    /**
     * `closed` (default): only the first account (setup link or CONSOLE_ADMIN_*) and invited people can
     * sign up. `open`: anyone who reaches the console can create an account (and sees only the workspaces
     * they create or join).
     */
    CONSOLE_SIGNUP: z
      .enum(["open", "closed"], { message: "CONSOLE_SIGNUP must be open or closed" })
      .default("closed"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  },
  createFinalSchema: (shape) =>
    z.object(shape).superRefine((value, ctx) => {
      if (Boolean(value.CONSOLE_ADMIN_EMAIL) !== Boolean(value.CONSOLE_ADMIN_PASSWORD)) {
        ctx.addIssue({
          code: "custom",
          path: [value.CONSOLE_ADMIN_EMAIL ? "CONSOLE_ADMIN_PASSWORD" : "CONSOLE_ADMIN_EMAIL"],
          message:
            "CONSOLE_ADMIN_EMAIL and CONSOLE_ADMIN_PASSWORD go together: set both, or neither to get a setup link",
        });
      }
    }),
  ...envOptions,
});

export function consoleUrl(): string {
  return (env.CONSOLE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}

/**
 * Origins allowed to POST to the console (better-auth refuses others: the CSRF check). Without CONSOLE_URL
 * a local console answers on localhost and 127.0.0.1 alike.
 */
export function consoleOrigins(): string[] {
  if (env.CONSOLE_URL) return [new URL(env.CONSOLE_URL).origin];
  return [`http://localhost:${env.PORT}`, `http://127.0.0.1:${env.PORT}`];
}
