import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createSentrySimulator, type SentrySimulator } from "@repo/sentry-simulator";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Console, cli, freePort, rootDir } from "../harness";
import { arriveAt, chromiumPath, launchBrowser, screenshot, textOf, visible } from "./browser";

/*
 * The console as a person uses it, in Chromium against the production build on the embedded defaults:
 * the setup link, a workspace, an API key, fixtures through the webhook sender, the feed, search with its
 * explanation, revoking the key, and a second user who cannot reach the first one's workspace.
 */
const fixtures = path.resolve(rootDir, "../shared/fixtures/sentry");
const FIXTURES = [
  "issue.created.json",
  "error.created.json",
  "issue.resolved.json",
  "issue.assigned.json",
];
const PASSWORD = "correct horse battery staple";

const dataDir = mkdtempSync(path.join(tmpdir(), "nmc-ui-"));
let app: Console;
let env: Record<string, string>;
let browser: Browser;
/** Sentry's side of OAuth and its API: the simulator, a test double of Sentry's public API. */
let sentry: SentrySimulator;
const SENTRY_SECRET = "console-ui-test-client-secret-0123456789";

// Without Chromium the suite cannot run; CI installs it and fails before this if it is missing.
describe.skipIf(!chromiumPath)("the console in a browser", () => {
  let ada: BrowserContext;
  let page: Page;
  let workspaceA = "";
  let staging = "";
  let apiKey = "";

  beforeAll(async () => {
    const port = await freePort();
    sentry = await createSentrySimulator({
      clientId: "console-ui-client-id",
      clientSecret: SENTRY_SECRET,
      appSlug: "neural-memory",
      redirectUrl: `http://127.0.0.1:${port}/sentry/connected`,
      webhookUrl: `http://127.0.0.1:${port}/api/sentry/webhooks`,
    });
    env = {
      DATA_DIR: dataDir,
      CONSOLE_URL: `http://127.0.0.1:${port}`,
      CONSOLE_SIGNUP: "open",
      SENTRY_URL: sentry.url,
      SENTRY_CLIENT_ID: "console-ui-client-id",
      SENTRY_CLIENT_SECRET: SENTRY_SECRET,
      SENTRY_APP_SLUG: "neural-memory",
    };
    app = new Console(port, env);
    await app.start();
    browser = await launchBrowser();
    ada = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await ada.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await sentry?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const url = (p: string) => `${app.url}${p}`;

  it("sends a signed-out visitor to sign-in, and the printed setup link creates the first account once", async () => {
    await page.goto(url("/"));
    await expect.poll(() => new URL(page.url()).pathname).toBe("/sign-in");
    await screenshot(page, "sign-in");

    const link = app.output.join("").match(/https?:\/\/\S+\/setup\?token=[\w-]+/)?.[0];
    expect(link, app.output.join("")).toBeDefined();
    await page.goto(link!);
    await page.getByLabel("Name").fill("Ada");
    await page.getByLabel("Email").fill("ada@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await screenshot(page, "setup");
    await page.getByRole("button", { name: "Create the first account" }).click();
    await page.waitForURL("**/onboarding");

    // The link is spent.
    const again = await ada.newPage();
    await again.goto(link!);
    await visible(again.getByText("This setup link does not work"));
    await again.close();
  });

  it("creates a workspace and lands on its sources page with Connect Sentry", async () => {
    await page.getByLabel("Workspace name").fill("Payments");
    await screenshot(page, "onboarding");
    await page.getByRole("button", { name: "Create workspace" }).click();
    await page.waitForURL("**/w/*/sources");
    workspaceA = new URL(page.url()).pathname.split("/")[2]!;
    expect(workspaceA).toMatch(/^ws_/);
    await visible(page.getByRole("link", { name: /Connect Sentry/ }));
    await screenshot(page, "sources");
  });

  it("creates an API key whose secret is shown once and works on /v1/search", async () => {
    await page.goto(url(`/w/${workspaceA}/api-keys`));
    await page.getByRole("button", { name: "Create API key" }).first().click();
    await page.getByLabel("Name").fill("e2e agent");
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = await visible(page.getByTestId("new-api-key"));
    apiKey = await secret.inputValue();
    expect(apiKey).toMatch(/^nmc_/);
    await screenshot(page, "api-key-created");
    await page.getByRole("button", { name: "Done" }).click();
    const row = page.getByTestId("api-key-row");
    const text = await textOf(row);
    expect(await row.count()).toBe(1);
    expect(text).toContain(apiKey.slice(0, 8));
    expect(text).not.toContain(apiKey);
    await screenshot(page, "api-keys");
  });

  it("shows delivered fixtures in the feed, each with a detail view", async () => {
    const webhookUrl = url("/api/sentry/webhooks");
    const installations = new Set(
      FIXTURES.map(
        (f) => JSON.parse(readFileSync(path.join(fixtures, f), "utf8")).installation.uuid,
      ),
    );
    for (const uuid of installations) {
      const linked = await cli(
        ["sentry", "link", "--workspace", workspaceA, "--installation", uuid, "--org", "example"],
        env,
      );
      expect(linked.code, linked.stderr).toBe(0);
    }
    for (const fixture of FIXTURES) {
      const sent = await cli(
        ["sentry", "send", path.join(fixtures, fixture), "--url", webhookUrl, "--json"],
        env,
      );
      expect(JSON.parse(sent.stdout).failed, sent.stderr).toBe(0);
    }

    await page.goto(url(`/w/${workspaceA}/feed`));
    const rows = page.locator(`main a[href*="/w/${workspaceA}/observations/"]`);
    await expect
      .poll(
        async () => {
          await page.reload();
          return rows.count();
        },
        { timeout: 90_000, interval: 1000 },
      )
      .toBeGreaterThanOrEqual(FIXTURES.length);
    await screenshot(page, "feed");

    // Live: a delivery that arrives while the feed is open shows up without a reload.
    const before = await rows.count();
    const sent = await cli(
      ["sentry", "send", path.join(fixtures, "issue.ignored.json"), "--url", webhookUrl, "--json"],
      env,
    );
    expect(JSON.parse(sent.stdout).failed, sent.stderr).toBe(0);
    await expect.poll(() => rows.count(), { timeout: 60_000, interval: 1000 }).toBe(before + 1);

    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "feed-phone");
    await page.setViewportSize({ width: 1280, height: 800 });

    await rows.first().click();
    await page.waitForURL("**/observations/**");
    const detailUrl = page.url();
    await visible(page.getByText(/"installation"/));
    await screenshot(page, "observation");

    // The sources page now shows the connections and their deliveries.
    await page.goto(url(`/w/${workspaceA}/sources`));
    expect(await textOf(page.getByText("Deliveries in the last hour").locator(".."))).toMatch(/\d/);
    await screenshot(page, "sources-connected");
    await page.goto(detailUrl);
  });

  it("searches with explanations", async () => {
    await page.goto(url(`/w/${workspaceA}/search`));
    await page.locator('input[name="q"]').fill("blooopy is not defined");
    await page.locator('input[name="q"]').press("Enter");
    await page.waitForURL(/[?&]q=/);
    await visible(page.getByText("FRONT-END-9"), 30_000);
    await screenshot(page, "search");
    await page
      .getByRole("button", { name: /why this result/i })
      .first()
      .click();
    expect(await textOf(page.getByRole("dialog"))).toMatch(/lexical|entity|vector/i);
    await screenshot(page, "search-explain");
    await page.keyboard.press("Escape");
  });

  it("creates, switches between and renames workspaces", async () => {
    await page.goto(url(`/w/${workspaceA}/feed`));
    await page.getByRole("button", { name: "Switch workspace" }).click();
    await page.getByRole("menuitem", { name: "New workspace" }).click();
    await page.getByLabel("Workspace name").fill("Staging");
    await page.getByRole("button", { name: "Create workspace" }).click();
    await page.waitForURL(
      (u) => u.pathname.endsWith("/sources") && !u.pathname.includes(workspaceA),
    );
    staging = new URL(page.url()).pathname.split("/")[2]!;

    await page.goto(url(`/w/${staging}/feed`));
    await visible(page.getByText("No observations yet"));
    await page.getByRole("button", { name: "Switch workspace" }).click();
    await page.getByRole("menuitem", { name: "Payments" }).click();
    await page.waitForURL(`**/w/${workspaceA}/feed`);

    await page.goto(url(`/w/${staging}/settings`));
    await page.getByLabel("Name").fill("Staging EU");
    await page.getByRole("button", { name: "Rename" }).click();
    await visible(page.getByRole("status").filter({ hasText: "Saved" }));
    await page.reload();
    expect(await textOf(page.getByRole("button", { name: "Switch workspace" }))).toContain(
      "Staging EU",
    );
  });

  it("invites a teammate by link, who signs up into the workspace", async () => {
    await page.goto(url(`/w/${workspaceA}/settings`));
    await page.getByLabel("Email").fill("carol@example.com");
    await page.getByRole("button", { name: "Invite" }).click();
    const link = await (await visible(page.getByLabel("Invitation link"))).inputValue();
    expect(link).toMatch(/\/invitations\/inv_/);
    await screenshot(page, "settings-invited");

    const carol = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const carolPage = await carol.newPage();
    await carolPage.goto(link);
    await carolPage.getByRole("link", { name: "Create an account" }).click();
    expect(await (await visible(carolPage.getByLabel("Email"))).inputValue()).toBe(
      "carol@example.com",
    );
    await carolPage.getByLabel("Name").fill("Carol");
    await carolPage.getByLabel("Password").fill(PASSWORD);
    await carolPage.getByRole("button", { name: "Create account" }).click();
    await arriveAt(carolPage, `**/w/${workspaceA}/feed`);
    await carol.close();

    await page.reload();
    await visible(page.getByRole("cell", { name: "carol@example.com" }));
  });

  it("refuses sign-in posts from another origin (CSRF)", async () => {
    const forged = await fetch(url("/api/auth/sign-in/email"), {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ email: "ada@example.com", password: PASSWORD }),
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.getSetCookie().join("")).not.toMatch(/session_token=\w/);
  });

  it("shows settings, and revoking the key makes /v1/search refuse it", async () => {
    const search = () =>
      fetch(url("/v1/search"), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ query: "checkout" }),
      });
    expect((await search()).status).toBe(200);

    await page.goto(url(`/w/${workspaceA}/settings`));
    expect(await (await visible(page.getByLabel("Name"))).inputValue()).toBe("Payments");
    await screenshot(page, "settings");

    await page.goto(url(`/w/${workspaceA}/api-keys`));
    await page.getByRole("button", { name: "Revoke e2e agent" }).click();
    await page.getByRole("button", { name: "Revoke key" }).click();
    await visible(page.getByTestId("api-key-row").filter({ hasText: "revoked" }));
    const refused = await search();
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toBe("UNAUTHORIZED");
  });

  it("keeps a second user out of the first user's workspace and data", async () => {
    const bob = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const bobPage = await bob.newPage();
    await bobPage.goto(url("/sign-up"));
    await bobPage.getByLabel("Name").fill("Bob");
    await bobPage.getByLabel("Email").fill("bob@example.com");
    await bobPage.getByLabel("Password").fill(PASSWORD);
    await bobPage.getByRole("button", { name: "Create account" }).click();
    await bobPage.waitForURL("**/onboarding");
    await bobPage.getByLabel("Workspace name").fill("Bob's");
    await bobPage.getByRole("button", { name: "Create workspace" }).click();
    await bobPage.waitForURL("**/w/*/sources");

    // Bob's own feed is empty; Ada's workspace answers 404 for every page, as if it did not exist.
    for (const section of ["feed", "search?q=checkout", "sources", "api-keys", "settings"]) {
      const response = await bobPage.goto(url(`/w/${workspaceA}/${section}`));
      expect(response?.status(), section).toBe(404);
      expect(await bobPage.getByText("Payments").count()).toBe(0);
    }
    await page.goto(url(`/w/${workspaceA}/feed`));
    const observation = await page
      .locator(`main a[href*="/w/${workspaceA}/observations/"]`)
      .first()
      .getAttribute("href");
    expect((await bobPage.goto(url(observation!)))?.status()).toBe(404);
    await bob.close();
  });

  it("connects Sentry through OAuth, shows the token, and backfills the organization's issues", async () => {
    sentry.seedIssues(30);
    await page.goto(url(`/w/${staging}/sources`));
    await page.getByRole("link", { name: "Connect Sentry" }).click();
    // Console -> Sentry's install page (auto-approved by the simulator) -> callback -> Sources.
    await arriveAt(page, `**/w/${staging}/sources?connected=sentry`);
    expect(sentry.installations()).toEqual([expect.objectContaining({ status: "installed" })]);
    expect(await textOf(page.getByText(/Expires in \d+ h/))).toMatch(/Expires in [78] h/);
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByText(/^Done: 30 issues/).count();
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toBe(1);
    await screenshot(page, "sources-oauth");

    // A callback replayed with the same state is refused with 400 and says what to do.
    const replay = await page.goto(
      url("/sentry/connected?code=x&installationId=y&orgSlug=acme&state=used"),
    );
    expect(replay?.status()).toBe(400);
    await visible(page.getByText("This connection attempt is not recognised"));

    // An internal integration is connected from the same page, its secrets never shown back.
    await page.goto(url(`/w/${staging}/sources`));
    await page.getByRole("button", { name: "Use an internal integration" }).click();
    await page.getByLabel("Organization slug").fill("acme-internal");
    await page.getByLabel("Installation id").fill("6b7c8d9e-1111-4222-8333-944445555777");
    await page.getByLabel("Token").fill("sntrys_internal_token_for_e2e");
    await page.getByLabel("Client secret").fill("internal-client-secret-for-e2e-0123");
    await page.getByRole("button", { name: "Connect", exact: true }).click();
    await visible(page.getByText("Internal integration: fixed token, no OAuth"));
    expect(await page.content()).not.toContain("sntrys_internal_token_for_e2e");

    // The backfilled issues are captured like webhooks.
    await page.goto(url(`/w/${staging}/feed`));
    const rows = page.locator(`main a[href*="/w/${staging}/observations/"]`);
    await expect
      .poll(
        async () => {
          await page.reload();
          return rows.count();
        },
        { timeout: 120_000, interval: 2000 },
      )
      .toBeGreaterThanOrEqual(20);
  });
});
