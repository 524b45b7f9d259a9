import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Loading USE (28 MB of weights into TF.js WASM) takes seconds on a slow CI machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
