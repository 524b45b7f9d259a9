import { randomBytes } from "node:crypto";
import {
  adoptUnownedWorkspaces,
  countUsers,
  type Database,
  hasOneTimeSecret,
  replaceOneTimeSecret,
  takeOneTimeSecret,
} from "@db/console";
import { type Auth, withSignUpAllowed } from "./auth";

const SETUP_IDENTIFIER = "console-setup";
const SETUP_TTL_MS = 24 * 60 * 60_000;

export type FirstAccount =
  | { kind: "exists" }
  | { kind: "created"; email: string }
  | { kind: "setup-link"; url: string };

/**
 * Makes sure someone can get in on a fresh install, without leaving the console open: with no account
 * yet, CONSOLE_ADMIN_EMAIL/PASSWORD create one, else a one-time setup link (valid 24 h, only the newest
 * works, stored as a hash) is returned for the console to print at start.
 */
export async function ensureFirstAccount(
  auth: Auth,
  db: Database,
  options: { baseURL: string; admin?: { email: string; password: string } | undefined },
): Promise<FirstAccount> {
  if ((await countUsers(db)) > 0) return { kind: "exists" };
  if (options.admin) {
    await createFirstAccount(auth, db, { ...options.admin, name: nameOf(options.admin.email) });
    return { kind: "created", email: options.admin.email };
  }
  const secret = randomBytes(24).toString("base64url");
  await replaceOneTimeSecret(db, {
    identifier: SETUP_IDENTIFIER,
    secret,
    expiresAt: new Date(Date.now() + SETUP_TTL_MS),
  });
  return { kind: "setup-link", url: `${options.baseURL}/setup?token=${secret}` };
}

export class SetupLinkError extends Error {
  constructor() {
    super(
      "This setup link is used, expired or replaced by a newer one: restart the console for a new one",
    );
    this.name = "SetupLinkError";
  }
}

/** Redeems the setup link once: creates the first account and signs it in (the response sets the cookie). */
export async function redeemSetupLink(
  auth: Auth,
  db: Database,
  params: { token: string; name: string; email: string; password: string },
): Promise<void> {
  // Taken first so two tabs racing on one link cannot both create an account.
  if (!(await takeOneTimeSecret(db, { identifier: SETUP_IDENTIFIER, secret: params.token }))) {
    throw new SetupLinkError();
  }
  try {
    await createFirstAccount(auth, db, params);
  } catch (error) {
    // A refused password or a bad email must not burn the link: the person fixes the form and retries.
    await replaceOneTimeSecret(db, {
      identifier: SETUP_IDENTIFIER,
      secret: params.token,
      expiresAt: new Date(Date.now() + SETUP_TTL_MS),
    });
    throw error;
  }
}

/** Whether a setup link is still good, so the page can say so before anyone types a password. */
export function setupLinkIsValid(db: Database, token: string): Promise<boolean> {
  return hasOneTimeSecret(db, { identifier: SETUP_IDENTIFIER, secret: token });
}

async function createFirstAccount(
  auth: Auth,
  db: Database,
  params: { name: string; email: string; password: string },
): Promise<void> {
  const { user } = await withSignUpAllowed(() =>
    auth.api.signUpEmail({
      body: { name: params.name, email: params.email, password: params.password },
    }),
  );
  // Workspaces made with the CLI before anyone could sign in belong to whoever comes first.
  await adoptUnownedWorkspaces(db, { userId: user.id });
}

function nameOf(email: string): string {
  return email.split("@")[0] || "Admin";
}
