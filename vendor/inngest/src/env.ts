import { envOptions } from "@repo/env";
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";

export const env = createEnv({
  server: {
    INNGEST_EVENT_KEY: z.string().min(1).optional(),
    INNGEST_SIGNING_KEY: z
      .string()
      .regex(
        /^signkey-/,
        "INNGEST_SIGNING_KEY must be the signkey-… value from the Inngest dashboard",
      )
      .optional(),
    INNGEST_DEV: z
      .enum(["0", "1"], { message: "INNGEST_DEV must be 1 (use an Inngest dev server) or 0" })
      .optional(),
    INNGEST_BASE_URL: z
      .string()
      .url("INNGEST_BASE_URL must be a URL, e.g. http://127.0.0.1:8288 for a self-hosted server")
      .optional(),
  },
  ...envOptions,
});

/** Inngest is used when it has somewhere to send events: a cloud event key or a dev server. */
export function inngestConfigured(): boolean {
  return Boolean(env.INNGEST_EVENT_KEY) || env.INNGEST_DEV === "1";
}
