import { envOptions } from "@repo/env";
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";

const server = {
  OPENAI_API_KEY: z
    .string()
    .min(1, "OPENAI_API_KEY must be an API key from https://platform.openai.com/api-keys")
    .optional(),
  // http(s) only: `localhost:4000/v1` parses as a URL with the scheme `localhost:` and would fail later.
  OPENAI_BASE_URL: z
    .url({
      protocol: /^https?$/,
      message:
        "OPENAI_BASE_URL must be an http(s) URL ending in the API version, e.g. https://api.openai.com/v1 or http://127.0.0.1:4000/v1 for an OpenAI-compatible server; unset it to use OpenAI",
    })
    .optional(),
  OPENAI_EMBEDDING_MODEL: z
    .string()
    .min(1, "OPENAI_EMBEDDING_MODEL must be an embedding model id, e.g. text-embedding-3-small")
    .default("text-embedding-3-small"),
  OPENAI_EMBEDDING_DIMENSIONS: z.coerce
    .number({
      message: "OPENAI_EMBEDDING_DIMENSIONS must be a whole number of dimensions, e.g. 1536",
    })
    .int("OPENAI_EMBEDDING_DIMENSIONS must be a whole number of dimensions, e.g. 1536")
    .positive("OPENAI_EMBEDDING_DIMENSIONS must be a positive number of dimensions, e.g. 1536")
    .optional(),
};

export const env = createEnv({
  server,
  ...envOptions,
});

/** A key is the one thing OpenAI cannot work without; the rest has defaults. */
export function openaiConfigured(): boolean {
  return Boolean(env.OPENAI_API_KEY);
}
