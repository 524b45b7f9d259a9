export {
  type Database,
  type DatabaseHandle,
  type DatabaseKind,
  type Executor,
  jsonOf,
  type OpenDatabaseOptions,
  openDatabase,
  pendingMigrations,
  rowsOf,
  type Transaction,
  textArray,
} from "./client";
export { migrationsFolder, resolveDataDir, workspaceRoot } from "./paths";
export * from "./queries";
export * from "./schema";
