/**
 * Opens the database, applies embedded migrations and starts the in-process workflow runner when the server
 * boots, so a bad env value or a locked data directory fails the start, not the first request.
 */
export async function register() {
  const { env } = await import("./env");
  if (env.NEXT_RUNTIME !== "nodejs") return;
  const { getRuntime, getHealth } = await import("@api/console");
  const runtime = await getRuntime();
  const health = await getHealth(runtime);
  console.log(
    `[console] database=${health.database} (${health.details.database.target}) vectors=${health.vectors} ` +
      `embeddings=${health.embeddings} (${health.details.embeddings.model}) workflows=${health.workflows}`,
  );
}
