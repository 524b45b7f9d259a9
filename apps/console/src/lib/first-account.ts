import type { Database } from "@db/console";
import { ensureFirstAccount } from "@repo/auth";
import { env as authEnv, consoleUrl } from "@repo/auth/env";
import { getAuth } from "./auth";

/**
 * At start, with no account yet: create the CONSOLE_ADMIN_* account, or print the one-time setup link, so
 * a newcomer is in within a minute and the console is never open to whoever finds it first.
 */
export async function announceFirstAccount(db: Database): Promise<void> {
  const admin =
    authEnv.CONSOLE_ADMIN_EMAIL && authEnv.CONSOLE_ADMIN_PASSWORD
      ? { email: authEnv.CONSOLE_ADMIN_EMAIL, password: authEnv.CONSOLE_ADMIN_PASSWORD }
      : undefined;
  const first = await ensureFirstAccount(await getAuth(), db, { baseURL: consoleUrl(), admin });
  switch (first.kind) {
    case "exists":
      return;
    case "created":
      console.log(`[console] created the first account, ${first.email} (CONSOLE_ADMIN_EMAIL)`);
      return;
    case "setup-link":
      console.log(
        `[console] no account yet. Create the first one here (one use, valid 24 h):\n\n    ${first.url}\n`,
      );
      return;
    default: {
      const unknown: never = first;
      throw new Error(`unexpected first-account result ${JSON.stringify(unknown)}`);
    }
  }
}
