import { envOptions } from "@repo/env";
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";

export const env = createEnv({
  server: {
    /** Set by pnpm to the directory `pnpm eval` was run from, so relative paths mean what the user typed. */
    INIT_CWD: z.string().optional(),
    /** The local console's data directory; unset, the eval uses a fresh temporary one and removes it. */
    DATA_DIR: z.string().min(1).optional(),
    /** Signs deliveries to a console given by --base-url when --webhook-secret is not passed. */
    SENTRY_CLIENT_SECRET: z.string().min(1).optional(),
  },
  ...envOptions,
});
