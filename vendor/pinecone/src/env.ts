import { envOptions } from "@repo/env";
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";

const server = {
  PINECONE_API_KEY: z
    .string()
    .min(1, "PINECONE_API_KEY must be the API key from the Pinecone console")
    .optional(),
  PINECONE_INDEX: z
    .string()
    .regex(
      /^[a-z0-9-]{1,45}$/,
      "PINECONE_INDEX must be an index name (lowercase letters, digits and hyphens, at most 45 characters)",
    )
    .optional(),
  PINECONE_HOST: z
    .string()
    .url(
      "PINECONE_HOST must be the index's data-plane URL, e.g. https://my-index-abc123.svc.us-east-1.pinecone.io; unset it to look the host up by PINECONE_INDEX",
    )
    .optional(),
};

export const env = createEnv({
  server,
  // Half a configuration is almost always a deploy mistake; silently falling back to pgvector would hide it.
  createFinalSchema: (shape) =>
    z.object(shape).superRefine((value, ctx) => {
      if (value.PINECONE_API_KEY && !value.PINECONE_INDEX) {
        ctx.addIssue({
          code: "custom",
          path: ["PINECONE_INDEX"],
          message:
            "PINECONE_INDEX is missing: PINECONE_API_KEY is set, so set PINECONE_INDEX to the index name too (or unset PINECONE_API_KEY to use pgvector)",
        });
      }
      if (value.PINECONE_INDEX && !value.PINECONE_API_KEY) {
        ctx.addIssue({
          code: "custom",
          path: ["PINECONE_API_KEY"],
          message:
            "PINECONE_API_KEY is missing: PINECONE_INDEX is set, so set PINECONE_API_KEY too (or unset PINECONE_INDEX to use pgvector)",
        });
      }
    }),
  ...envOptions,
});

/** Both halves are needed: the key authenticates, the index name says where records go. */
export function pineconeConfigured(): boolean {
  return Boolean(env.PINECONE_API_KEY && env.PINECONE_INDEX);
}
