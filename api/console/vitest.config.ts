import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The public integration's secret the webhook tests sign with (a made-up value).
    env: { SENTRY_CLIENT_SECRET: "test-public-client-secret-0123456789abcdef" },
  },
});
