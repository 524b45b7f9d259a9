export {
  type Database,
  type DatabaseHandle,
  type DatabaseKind,
  type Executor,
  type OpenDatabaseOptions,
  openDatabase,
  pendingMigrations,
  rowsOf,
  type Transaction,
} from "./client";
export { migrationsFolder, resolveDataDir, workspaceRoot } from "./paths";
export * from "./queries";
export * from "./schema";
