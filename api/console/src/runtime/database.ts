import { type DatabaseHandle, openDatabase, pendingMigrations } from "@db/console";
import { env } from "../env";

/**
 * The database the environment names: a Postgres server when DATABASE_URL is set, else the embedded PGlite
 * under DATA_DIR (or the console that holds it). An embedded database migrates itself on open; a server is
 * migrated by `pnpm cli migrate`, so several console processes never race to change its schema.
 */
export async function openDatabaseFromEnv(
  role: string,
  options: { requireMigrated?: boolean; serve?: boolean } = {},
): Promise<DatabaseHandle> {
  const handle = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    role,
    migrate: !env.DATABASE_URL,
    serve: options.serve,
    // Without its database thread the console can only fail every request: better to stop and say so.
    onFatal: (error) => {
      console.error(`[console] the embedded database stopped: ${error.message}`);
      process.exit(1);
    },
  });
  if (options.requireMigrated && handle.kind === "postgres") {
    const pending = await pendingMigrations(handle.db);
    if (pending > 0) {
      await handle.close();
      throw new Error(
        `the database at ${handle.target} has ${pending} unapplied migration(s): run \`pnpm cli migrate\` first`,
      );
    }
  }
  return handle;
}
