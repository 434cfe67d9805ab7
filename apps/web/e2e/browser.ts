// What every console end-to-end test shares: where the running platform is, the headless
// Chromium it drives, signing in, and GraphQL calls made from the page with its session cookie.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = process.env.GRIDFILL_E2E_CHROMIUM ?? "/usr/bin/chromium";
export const BASE_URL = process.env.GRIDFILL_E2E_URL?.replace(/\/+$/, "");
export const EMAIL = process.env.GRIDFILL_E2E_EMAIL ?? "";
export const PASSWORD = process.env.GRIDFILL_E2E_PASSWORD ?? "";
// The repository root's test-results/ (gitignored), outside the console's sources.
export const RESULTS = path.resolve(import.meta.dirname, "../../../test-results");
/** Generous: uploads hash, PUT and verify; the API may be busy on a loaded machine. */
export const STEP_TIMEOUT = 30_000;

export function skipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM} (set GRIDFILL_E2E_CHROMIUM)`;
  if (!BASE_URL) return "GRIDFILL_E2E_URL is not set (the console URL of a running platform)";
  if (!EMAIL || !PASSWORD)
    return "GRIDFILL_E2E_EMAIL / GRIDFILL_E2E_PASSWORD are not set (an admin account)";
  return undefined;
}

/** A desktop-sized page in headless Chromium, collecting uncaught page errors. */
export async function openConsole(): Promise<{
  browser: Browser;
  page: Page;
  pageErrors: string[];
}> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // As root, with no network beyond this machine.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  return { browser, page, pageErrors };
}

/**
 * Runs `body` on a fresh console page: on failure the page is saved to
 * `RESULTS/<name>-failure.png` before the error goes on; the browser is always closed.
 */
export async function inConsole(
  name: string,
  body: (opened: { page: Page; pageErrors: string[] }) => Promise<void>,
): Promise<void> {
  const { browser, page, pageErrors } = await openConsole();
  try {
    await body({ page, pageErrors });
  } catch (error) {
    await page
      .screenshot({ path: path.join(RESULTS, `${name}-failure.png`), fullPage: true })
      .catch(() => {});
    throw error;
  } finally {
    await browser.close();
  }
}

/** Fills the login form (the page must be on /login) and waits for the dataset list. */
export async function signIn(page: Page): Promise<void> {
  await page.getByTestId("login-email").fill(EMAIL);
  await page.getByTestId("login-password").fill(PASSWORD);
  await page.getByTestId("login-submit").click();
  await page.waitForURL(/\/datasets$/);
  await page.getByTestId("current-user").waitFor();
}

/** A GraphQL call from the page, with its session cookie (as the console makes them). */
export async function pageGql<T>(
  page: Page,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const body = await page.evaluate(
    async ({ query, variables }) => {
      const response = await fetch("/graphql", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", "apollo-require-preflight": "true" },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
    { query, variables },
  );
  const result = body as { data?: T; errors?: { message: string }[] };
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  return result.data as T;
}
