import { env as dbEnv } from "@db/console/env";
import { env as embeddingsEnv } from "@repo/embeddings/env";
import { envOptions } from "@repo/env";
import { parseKeyring } from "@repo/secrets";
import { env as vectorsEnv } from "@repo/vectors/env";
import { createEnv } from "@t3-oss/env-core";
import { env as inngestEnv } from "@vendor/inngest/env";
import { z } from "zod";

export const env = createEnv({
  extends: [dbEnv, embeddingsEnv, vectorsEnv, inngestEnv],
  server: {
    WORKFLOWS: z
      .enum(["inngest", "in-process"], {
        message:
          "WORKFLOWS must be inngest or in-process (unset: inngest when INNGEST_EVENT_KEY or INNGEST_DEV=1 is set)",
      })
      .optional(),
    OUTBOX_POLL_MS: z.coerce
      .number({ message: "OUTBOX_POLL_MS must be a number of milliseconds, e.g. 500" })
      .int()
      .min(10)
      .default(500),
    OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    WEBHOOK_MAX_BODY_BYTES: z.coerce
      .number({ message: "WEBHOOK_MAX_BODY_BYTES must be a number of bytes, e.g. 1048576" })
      .int()
      .min(1024)
      .default(1024 * 1024),
    ENCRYPTION_KEY: z
      .string()
      .refine(
        (value) => {
          try {
            parseKeyring(value);
            return true;
          } catch {
            return false;
          }
        },
        {
          message:
            "ENCRYPTION_KEY must be a base64 32-byte key (openssl rand -base64 32), or v2:<key>,v1:<key> while rotating",
        },
      )
      .optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    SEARCH_JUDGE_MODEL: z
      .string()
      .min(1, "SEARCH_JUDGE_MODEL must be an OpenAI chat model id, e.g. gpt-4o-mini")
      .default("gpt-4o-mini"),
    SEARCH_RATE_LIMIT_PER_MINUTE: z.coerce
      .number({ message: "SEARCH_RATE_LIMIT_PER_MINUTE must be a number of requests, e.g. 600" })
      .int()
      .min(1)
      .default(600),
    /** Set by pnpm to the directory `pnpm cli` was run from, so relative paths mean what the user typed. */
    INIT_CWD: z.string().optional(),
    SENTRY_URL: z
      .string()
      .url("SENTRY_URL must be the Sentry base URL, e.g. https://sentry.io")
      .default("https://sentry.io"),
    SENTRY_CLIENT_ID: z.string().min(1).optional(),
    SENTRY_CLIENT_SECRET: z
      .string()
      .min(16, "SENTRY_CLIENT_SECRET must be the public integration's client secret from Sentry")
      .optional(),
    SENTRY_APP_SLUG: z.string().min(1).optional(),
  },
  ...envOptions,
});
