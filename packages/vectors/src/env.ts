import { envOptions } from "@repo/env";
import { createEnv } from "@t3-oss/env-core";
import { env as pineconeEnv } from "@vendor/pinecone/env";

/** Vectors add no variables of their own: the choice of store follows from Pinecone's. */
export const env = createEnv({
  server: {},
  extends: [pineconeEnv],
  ...envOptions,
});
