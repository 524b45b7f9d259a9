import { envOptions } from "@repo/env";
import { createEnv } from "@t3-oss/env-core";
import { env as openaiEnv } from "@vendor/openai/env";
import { z } from "zod";
import type { EmbeddingKind } from "./types";

export const env = createEnv({
  server: {
    EMBEDDINGS: z
      .enum(["openai", "use", "lexical"], {
        message:
          "EMBEDDINGS must be openai, use (Universal Sentence Encoder, offline) or lexical; unset it to choose automatically",
      })
      .optional(),
    USE_MAX_TOKENS: z.coerce
      .number({ message: "USE_MAX_TOKENS must be a whole number of tokens from 1 to 128, e.g. 48" })
      .int("USE_MAX_TOKENS must be a whole number of tokens from 1 to 128, e.g. 48")
      .min(1, "USE_MAX_TOKENS must be at least 1 token")
      .max(128, "USE_MAX_TOKENS can be at most 128: the encoder reads no more")
      .optional(),
  },
  extends: [openaiEnv],
  // Asking for OpenAI without a key would otherwise surface as a 401 on the first write, far from the cause.
  createFinalSchema: (shape) =>
    z.object(shape).superRefine((value, ctx) => {
      if (value.EMBEDDINGS === "openai" && !openaiEnv.OPENAI_API_KEY) {
        ctx.addIssue({
          code: "custom",
          path: ["OPENAI_API_KEY"],
          message:
            "OPENAI_API_KEY is missing: EMBEDDINGS=openai needs it, so set OPENAI_API_KEY (or set EMBEDDINGS=use to embed offline)",
        });
      }
    }),
  ...envOptions,
});

/** An explicit EMBEDDINGS wins; otherwise a configured OpenAI key means OpenAI, and no key means offline USE. */
export function embeddingKindFromEnv(): EmbeddingKind {
  return env.EMBEDDINGS ?? (env.OPENAI_API_KEY ? "openai" : "use");
}
