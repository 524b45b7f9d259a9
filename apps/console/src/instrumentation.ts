/**
 * Opens the database, applies embedded migrations and starts the in-process workflow runner when the server
 * boots, so a bad env value or a locked data directory fails the start, not the first request.
 */
export async function register() {
  // NEXT_RUNTIME is inlined by Next at build time; reading it literally is what lets the bundler drop the
  // Node-only runtime from the edge build, so it is the one variable not read through env.ts.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("./instrumentation-node");
  }
}
