import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type DatabaseHandle, resolveDataDir } from "@db/console";
import { generateKey, type Keyring, parseKeyring } from "@repo/secrets";
import { env } from "../env";

/**
 * The keyring that seals secrets at rest. ENCRYPTION_KEY wins. On the embedded default a key is generated
 * once into DATA_DIR (readable by the owner only), so a newcomer needs no setup and a restart can still open
 * what it sealed; a Postgres server gets no such fallback, because a key beside a shared database is no key.
 */
export function loadKeyring(database: Pick<DatabaseHandle, "kind">): Keyring {
  if (env.ENCRYPTION_KEY) return parseKeyring(env.ENCRYPTION_KEY);
  if (database.kind === "postgres") {
    throw new Error(
      "ENCRYPTION_KEY is required with DATABASE_URL: set it to a base64 32-byte key (openssl rand -base64 32)",
    );
  }
  const dataDir = resolveDataDir(env.DATA_DIR);
  if (dataDir.startsWith("memory://")) return parseKeyring(generateKey());
  const file = path.join(dataDir, "encryption.key");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${generateKey()}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(file, 0o600);
  }
  return parseKeyring(readFileSync(file, "utf8").trim());
}
