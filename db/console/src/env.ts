import { envOptions } from "@repo/env";
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";

export const env = createEnv({
  server: {
    DATABASE_URL: z
      .string()
      .url("DATABASE_URL must be a postgres:// URL; unset it to use the embedded PGlite database")
      .refine((v) => /^postgres(ql)?:\/\//.test(v), {
        message: "DATABASE_URL must start with postgres:// or postgresql://",
      })
      .optional(),
    DATA_DIR: z.string().min(1, "DATA_DIR must name a directory, e.g. .data").default(".data"),
    TEST_DATABASE_URL: z.string().url().optional(),
  },
  ...envOptions,
});
