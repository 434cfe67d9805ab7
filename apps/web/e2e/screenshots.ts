/**
 * Screenshots of the console's main pages, against a running platform with the demo dataset
 * (local-platform.ts --seed-demo). The overview goes to e2e/overview.png for the README; the
 * rest to test-results/ for review.
 *
 *   GRIDFILL_E2E_URL=… GRIDFILL_E2E_EMAIL=… GRIDFILL_E2E_PASSWORD=… node --import tsx apps/web/e2e/screenshots.ts
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";

const BASE_URL = (process.env.GRIDFILL_E2E_URL ?? "http://127.0.0.1:3000").replace(/\/+$/, "");
const EMAIL = process.env.GRIDFILL_E2E_EMAIL ?? "admin@gridfill.local";
const PASSWORD = process.env.GRIDFILL_E2E_PASSWORD ?? "gridfill-admin";
const DATASET = process.env.GRIDFILL_DEMO_DATASET ?? "tower-inspection-2025";
// The repository root's test-results/ (gitignored), outside the console's sources.
const RESULTS = path.resolve(import.meta.dirname, "../../../test-results");
const OVERVIEW = path.resolve(import.meta.dirname, "overview.png");

await mkdir(RESULTS, { recursive: true });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
try {
  const page = await browser.newPage({
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
  });
  page.setDefaultTimeout(20_000);
  page.on("pageerror", (error) => console.error("page error:", error.message));

  await page.goto(`${BASE_URL}/login`);
  await page.getByTestId("login-form").waitFor();
  await page.screenshot({ path: path.join(RESULTS, "login.png") });
  await page.getByTestId("login-email").fill(EMAIL);
  await page.getByTestId("login-password").fill(PASSWORD);
  await page.getByTestId("login-submit").click();
  await page.waitForURL(/\/datasets$/);
  await page.getByTestId("dataset-card").first().waitFor();
  await page.screenshot({ path: path.join(RESULTS, "datasets.png") });

  await page.locator(`[data-testid="dataset-card"][data-dataset-name="${DATASET}"]`).click();
  await page.locator('[data-testid="balance-bar"]').first().waitFor();
  await page.locator('[data-testid="fill-plan-row"]').first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: OVERVIEW, clip: { x: 0, y: 0, width: 1440, height: 900 } });
  await page.screenshot({ path: path.join(RESULTS, "overview-full.png"), fullPage: true });

  await page.getByRole("link", { name: "Images", exact: true }).click();
  await page.locator('[data-testid="image-tile"]').first().waitFor();
  await page.waitForTimeout(800);
  const tiles = page.locator('[data-testid="image-tile-check"]');
  await tiles.nth(1).click();
  await tiles.nth(4).click({ modifiers: ["Shift"] });
  await page.screenshot({ path: path.join(RESULTS, "images.png") });
  await page.keyboard.press("Escape");

  await page.getByTestId("open-upload").click();
  await page.getByTestId("upload-dropzone").waitFor();
  await page.screenshot({ path: path.join(RESULTS, "upload.png") });
  await page.getByTestId("upload-close").click();

  await page.locator('[data-testid="image-tile"] a').first().click();
  await page.getByTestId("image-stage").waitFor();
  await page.locator('[data-testid="box-rect"]').first().waitFor();
  await page.keyboard.press("Tab");
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(RESULTS, "image.png") });
  await page.keyboard.press("?");
  await page.getByTestId("shortcut-help").waitFor();
  await page.screenshot({ path: path.join(RESULTS, "shortcuts.png") });
  console.log("screenshots written");
} finally {
  await browser.close();
}
