import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { appDir } from "../harness";

/** Debian's Chromium (`apt-get install chromium`, which .ci/run does); Playwright's own download cannot run here. */
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export const chromiumPath = CANDIDATES.find((candidate) => existsSync(candidate));

export const screenshotDir = path.join(appDir, "test-results", "screenshots");

export function launchBrowser(): Promise<Browser> {
  if (!chromiumPath)
    throw new Error(`no Chromium at ${CANDIDATES.join(", ")}: apt-get install chromium`);
  return chromium.launch({
    executablePath: chromiumPath,
    // Without the background-networking flags Chromium keeps dialling Google, which this network refuses.
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** One full-page screenshot per page, kept under test-results for people to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  // After hydration and any sheet or dialog animation (shadcn's last 500 ms), not halfway through them.
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await page.waitForTimeout(600);
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Waits until the first match is visible (playwright-core has no expect; vitest checks what it returns). */
export async function visible(locator: Locator, timeout = 15_000): Promise<Locator> {
  const first = locator.first();
  try {
    await first.waitFor({ state: "visible", timeout });
  } catch (error) {
    // What the page showed instead is the quickest way to see why.
    await screenshot(locator.page(), `failed-${Date.now()}`).catch(() => undefined);
    throw error;
  }
  return first;
}

/** The first match's text once visible. */
export async function textOf(locator: Locator, timeout?: number): Promise<string> {
  return (await (await visible(locator, timeout)).textContent()) ?? "";
}

/** page.waitForURL, but a timeout says where the page is instead and leaves a screenshot of it. */
export async function arriveAt(
  page: Page,
  pattern: string | RegExp,
  timeout = 30_000,
): Promise<void> {
  try {
    await page.waitForURL(pattern, { timeout });
  } catch {
    await screenshot(page, `failed-${Date.now()}`).catch(() => undefined);
    const text = (await page.textContent("body").catch(() => ""))?.slice(0, 500);
    throw new Error(
      `expected to arrive at ${String(pattern)}, but the page is ${page.url()}: ${text}`,
    );
  }
}
