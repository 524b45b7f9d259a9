import {
  createWorkspace,
  type DatabaseHandle,
  getMembership,
  listWorkspacesOfUser,
} from "@db/console";
import { openTestDatabase, testDatabaseTarget } from "@db/console/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAuth,
  ensureFirstAccount,
  redeemSetupLink,
  SetupLinkError,
  setupLinkIsValid,
} from "../src/index";

const BASE = "http://localhost:3999";
let handle: DatabaseHandle;
/** Ada's session cookie, from her one sign-in (better-auth allows 3 sign-ins per 10 s per client). */
let adaCookie = "";

beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

const authFor = (signUp: "open" | "closed") =>
  createAuth({ db: handle.db, secret: "s".repeat(40), baseURL: BASE, signUp });

/*
 * better-auth limits sign-ins per client IP (from X-Forwarded-For, in a process-wide memory store):
 * each test client gets its own address, as separate browsers would have.
 */
let clients = 0;

/** Signs in through better-auth's HTTP handler, as a browser would, and returns the cookie header. */
async function signIn(
  auth: ReturnType<typeof authFor>,
  email: string,
  password: string,
  ip = `10.0.0.${++clients}`,
) {
  const response = await auth.handler(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: BASE,
        "x-forwarded-for": ip,
      },
      body: JSON.stringify({ email, password }),
    }),
  );
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { status: response.status, cookie };
}

describe(`console accounts (${testDatabaseTarget()})`, () => {
  it("prints a setup link on a fresh install, usable once, that adopts CLI-made workspaces", async () => {
    const auth = authFor("closed");
    const legacy = await createWorkspace(handle.db, { name: "Made with the CLI" });
    const first = await ensureFirstAccount(auth, handle.db, { baseURL: BASE });
    expect(first.kind).toBe("setup-link");
    const url = new URL((first as { url: string }).url);
    expect(url.pathname).toBe("/setup");
    const token = url.searchParams.get("token")!;
    expect(await setupLinkIsValid(handle.db, token)).toBe(true);
    expect(await setupLinkIsValid(handle.db, "guess")).toBe(false);

    // A rejected form (password too short) keeps the link usable.
    await expect(
      redeemSetupLink(auth, handle.db, {
        token,
        name: "Ada",
        email: "ada@example.com",
        password: "short",
      }),
    ).rejects.toThrow();
    expect(await setupLinkIsValid(handle.db, token)).toBe(true);

    await redeemSetupLink(auth, handle.db, {
      token,
      name: "Ada",
      email: "ada@example.com",
      password: "correct horse battery",
    });
    await expect(
      redeemSetupLink(auth, handle.db, {
        token,
        name: "Eve",
        email: "eve@example.com",
        password: "correct horse battery",
      }),
    ).rejects.toBeInstanceOf(SetupLinkError);

    const { status, cookie } = await signIn(auth, "ada@example.com", "correct horse battery");
    expect(status).toBe(200);
    adaCookie = cookie;
    const session = await auth.api.getSession({ headers: new Headers({ cookie }) });
    expect(session?.user.email).toBe("ada@example.com");
    expect(
      (await getMembership(handle.db, { workspaceId: legacy.id, userId: session!.user.id }))?.role,
    ).toBe("owner");
    expect(await ensureFirstAccount(auth, handle.db, { baseURL: BASE })).toEqual({
      kind: "exists",
    });
  });

  it("refuses sign-up when closed, unless the email has a pending invitation", async () => {
    const auth = authFor("closed");
    const refused = await auth.handler(
      new Request(`${BASE}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: BASE },
        body: JSON.stringify({
          name: "Mallory",
          email: "mallory@example.com",
          password: "long enough pass",
        }),
      }),
    );
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/Sign-up is closed/);

    const headers = new Headers({ cookie: adaCookie });
    const workspace = await auth.api.createOrganization({
      headers,
      body: { name: "Payments", slug: "payments-x1" },
    });
    const invitation = await auth.api.createInvitation({
      headers,
      body: { email: "bob@example.com", role: "member", organizationId: workspace!.id },
    });
    const bob = await auth.api.signUpEmail({
      body: { name: "Bob", email: "bob@example.com", password: "long enough pass" },
    });
    expect(bob.user.email).toBe("bob@example.com");
    // Bob joins with the invitation (no email is sent, so no verified email is asked for).
    const bobSession = await signIn(auth, "bob@example.com", "long enough pass");
    const accepted = await auth.api.acceptInvitation({
      headers: new Headers({ cookie: bobSession.cookie }),
      body: { invitationId: invitation.id },
    });
    expect(accepted?.member.organizationId).toBe(workspace!.id);
    expect(
      (await getMembership(handle.db, { workspaceId: workspace!.id, userId: bob.user.id }))?.role,
    ).toBe("member");
  });

  it("keeps workspaces in the workspaces table with owners as members, and sessions per user", async () => {
    const auth = authFor("open");
    await auth.api.signUpEmail({
      body: { name: "Carol", email: "carol@example.com", password: "long enough pass" },
    });
    const { cookie } = await signIn(auth, "carol@example.com", "long enough pass");
    const headers = new Headers({ cookie });
    const created = await auth.api.createOrganization({
      headers,
      body: { name: "Carol's", slug: "carols-1" },
    });
    expect(created!.id).toMatch(/^ws_/);
    const session = await auth.api.getSession({ headers });
    const mine = await listWorkspacesOfUser(handle.db, { userId: session!.user.id });
    expect(mine.map((m) => [m.workspace.name, m.role])).toEqual([["Carol's", "owner"]]);
    // Carol is not a member of Ada's workspaces.
    const adaSession = await auth.api.getSession({ headers: new Headers({ cookie: adaCookie }) });
    const adas = await listWorkspacesOfUser(handle.db, { userId: adaSession!.user.id });
    expect(adas.length).toBeGreaterThanOrEqual(2);
    for (const { workspace } of adas) {
      expect(
        await getMembership(handle.db, { workspaceId: workspace.id, userId: session!.user.id }),
      ).toBe(undefined);
    }
    // A wrong password is refused with 401 and no session; guessing from one address is cut off.
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const wrong = await signIn(auth, "carol@example.com", `guess ${attempt}`, "10.9.9.9");
      expect(wrong.cookie).not.toMatch(/session_token=\w/);
      statuses.push(wrong.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe(`the first account from CONSOLE_ADMIN_* (${testDatabaseTarget()})`, () => {
  it("is created once at start, can sign in, and owns the workspaces made before it", async () => {
    const fresh = await openTestDatabase();
    try {
      const auth = createAuth({
        db: fresh.db,
        secret: "s".repeat(40),
        baseURL: BASE,
        signUp: "closed",
      });
      const legacy = await createWorkspace(fresh.db, { name: "Before sign-in" });
      const admin = { email: "root@example.com", password: "admin password 1" };
      expect(await ensureFirstAccount(auth, fresh.db, { baseURL: BASE, admin })).toEqual({
        kind: "created",
        email: "root@example.com",
      });
      expect(await ensureFirstAccount(auth, fresh.db, { baseURL: BASE, admin })).toEqual({
        kind: "exists",
      });
      const { status, cookie } = await signIn(auth, admin.email, admin.password);
      expect(status).toBe(200);
      const session = await auth.api.getSession({ headers: new Headers({ cookie }) });
      const mine = await listWorkspacesOfUser(fresh.db, { userId: session!.user.id });
      expect(mine.map((m) => [m.workspace.id, m.role])).toEqual([[legacy.id, "owner"]]);
    } finally {
      await fresh.close();
    }
  });
});

describe("cross-site requests", () => {
  it("refuses a sign-up or sign-in posted from another origin, even under NODE_ENV=test", async () => {
    const auth = authFor("open");
    for (const path of ["sign-up/email", "sign-in/email"]) {
      const forged = await auth.handler(
        new Request(`${BASE}/api/auth/${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: "https://evil.example" },
          body: JSON.stringify({
            name: "Eve",
            email: "eve@evil.example",
            password: "long enough pass",
          }),
        }),
      );
      expect(forged.status, path).toBe(403);
      expect(forged.headers.getSetCookie().join("")).not.toMatch(/session_token=\w/);
    }
  });
});
