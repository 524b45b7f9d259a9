import { env as dbEnv } from "@db/console/env";
import { env as embeddingsEnv } from "@repo/embeddings/env";
import { envOptions } from "@repo/env";
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
  },
  ...envOptions,
});
