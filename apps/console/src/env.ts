import { env as apiEnv } from "@api/console/env";
import { env as authEnv } from "@repo/auth/env";
import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";

export const env = createEnv({
  extends: [apiEnv, authEnv],
  server: {
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  },
  shared: {
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  },
  experimental__runtimeEnv: {
    NODE_ENV: process.env.NODE_ENV,
  },
  emptyStringAsUndefined: true,
  skipValidation: process.env.SKIP_ENV_VALIDATION === "1",
});
