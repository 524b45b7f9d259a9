// A console that cannot open its database or read its env must stop, not serve errors: Next would log the
// failure and keep listening, so the process exits with the reason (which names the variable to set).
try {
  const { getHealth, getRuntime } = await import("@api/console");
  const runtime = await getRuntime();
  const health = await getHealth(runtime);
  console.log(
    `[console] database=${health.database} (${health.details.database.target}) vectors=${health.vectors} ` +
      `embeddings=${health.embeddings} (${health.details.embeddings.model}) workflows=${health.workflows}`,
  );
  const { announceFirstAccount } = await import("./lib/first-account");
  await announceFirstAccount(runtime.db);
} catch (error) {
  console.error(
    `[console] cannot start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
