import { AsyncLocalStorage } from "node:async_hooks";
import {
  accounts,
  type Database,
  newId,
  sessions,
  users,
  verifications,
  workspaceInvitations,
  workspaceMembers,
  workspaces,
} from "@db/console";
import { APIError, betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { organization } from "better-auth/plugins/organization";
import { and, eq, gt } from "drizzle-orm";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./limits";

export interface AuthOptions {
  db: Database;
  secret: string;
  /** The console's public URL: cookies are `Secure` when it is https, and only its origin may POST. */
  baseURL: string;
  signUp: "open" | "closed";
  /** Origins allowed to POST besides baseURL's. */
  trustedOrigins?: readonly string[];
  /** Inside Next: lets server actions that call auth.api set the session cookie. */
  nextCookies?: boolean;
}

/*
 * Sign-up is decided per call, not by better-auth's global switch: with it closed, the first account
 * (setup link or CONSOLE_ADMIN_*) and people with a pending invitation must still get in.
 */
const signUpGrant = new AsyncLocalStorage<true>();

/** Runs `fn` with sign-up allowed whatever CONSOLE_SIGNUP says (the one-time setup and the admin bootstrap). */
export function withSignUpAllowed<T>(fn: () => Promise<T>): Promise<T> {
  return signUpGrant.run(true, fn);
}

const ID_PREFIX: Record<string, string> = {
  user: "usr",
  session: "ses",
  account: "acc",
  verification: "ver",
  organization: "ws",
  member: "mem",
  invitation: "inv",
};

export function createAuth(options: AuthOptions) {
  const { db } = options;
  const hasPendingInvitation = async (email: string) => {
    const [row] = await db
      .select({ id: workspaceInvitations.id })
      .from(workspaceInvitations)
      .where(
        and(
          eq(workspaceInvitations.email, email.toLowerCase()),
          eq(workspaceInvitations.status, "pending"),
          gt(workspaceInvitations.expiresAt, new Date()),
        ),
      )
      .limit(1);
    return row !== undefined;
  };

  return betterAuth({
    appName: "Neural memory console",
    baseURL: options.baseURL,
    secret: options.secret,
    trustedOrigins: [new URL(options.baseURL).origin, ...(options.trustedOrigins ?? [])],
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: {
        users,
        sessions,
        accounts,
        verifications,
        workspaces,
        workspaceMembers,
        workspaceInvitations,
      },
    }),
    user: { modelName: "users" },
    session: {
      modelName: "sessions",
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
    },
    account: { modelName: "accounts" },
    verification: { modelName: "verifications" },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
      autoSignIn: true,
    },
    // better-auth's limiter is on in production only by default; sign-in guessing is worth limiting always.
    rateLimit: { enabled: true, window: 60, max: 100 },
    advanced: {
      database: {
        generateId: ({ model }) => newId(ID_PREFIX[model] ?? model.slice(0, 3)),
      },
      useSecureCookies: options.baseURL.startsWith("https://"),
      // better-auth turns its Origin/CSRF check off whenever NODE_ENV=test or TEST is set; a deployment
      // (or a test run) must never lose it that way.
      disableOriginCheck: false,
    },
    databaseHooks: {
      user: {
        create: {
          before: async (user) => {
            if (options.signUp === "open" || signUpGrant.getStore()) return;
            if (await hasPendingInvitation(user.email)) return;
            // 403, not 500: a refused sign-up is the caller's to fix (ask for an invitation).
            throw new APIError("FORBIDDEN", {
              message: "Sign-up is closed on this console: ask a workspace admin to invite you",
            });
          },
        },
      },
    },
    plugins: [
      organization({
        allowUserToCreateOrganization: true,
        creatorRole: "owner",
        invitationExpiresIn: 60 * 60 * 24 * 7,
        /*
         * The console sends no email: the inviter passes the invitation link on, and its id is the
         * capability. better-auth asks for a verified email only because it cannot know our generated ids
         * are unguessable; `newId` draws them from crypto.randomBytes (16 characters, ~82 bits). Accepting
         * still requires the account's email to be the invited one.
         */
        requireEmailVerificationOnInvitation: false,
        schema: {
          organization: { modelName: "workspaces" },
          member: { modelName: "workspaceMembers" },
          invitation: { modelName: "workspaceInvitations" },
        },
      }),
      // Last, as better-auth asks.
      ...(options.nextCookies ? [nextCookies()] : []),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
export type Session = Auth["$Infer"]["Session"];
