/**
 * The console end to end, in a real browser against a running platform:
 * sign in → create a dataset with two classes → upload three PNGs → draw a box on one →
 * the overview's balance shows the class going from 0 to 1.
 *
 *   GRIDFILL_E2E_URL=http://127.0.0.1:3000 GRIDFILL_E2E_EMAIL=… GRIDFILL_E2E_PASSWORD=… \
 *     node --import tsx --test apps/web/e2e/*.e2e.test.ts
 *
 * Skips (with the reason) when Chromium or GRIDFILL_E2E_URL is missing. Screenshots go to
 * test-results/ at the repository root.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import type { Page } from "playwright-core";
import { BASE_URL, RESULTS, inConsole, signIn, skipReason } from "./browser.ts";

/** Distinct PNGs (different content, so no upload is a duplicate of another). */
async function writeInspectionImages(dir: string, count: number, stamp: number): Promise<string[]> {
  const files: string[] = [];
  for (let index = 0; index < count; index++) {
    const width = 320;
    const height = 240;
    const hue = (stamp + index * 97) % 255;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
      <rect width="100%" height="100%" fill="rgb(${hue},${(hue * 3) % 255},${200 - (hue % 120)})"/>
      <line x1="0" y1="${60 + index * 20}" x2="${width}" y2="${40 + index * 25}" stroke="#222" stroke-width="3"/>
      <rect x="${120 + index * 10}" y="90" width="24" height="70" fill="#eee" stroke="#555"/>
      <text x="10" y="${height - 12}" font-size="14" fill="#fff">e2e ${stamp}-${index}</text>
    </svg>`;
    const file = path.join(dir, `tower-${stamp}-${index + 1}.png`);
    await sharp(Buffer.from(svg)).png().toFile(file);
    files.push(file);
  }
  return files;
}

async function balanceCount(page: Page, className: string): Promise<string> {
  return (
    await page
      .locator(
        `[data-testid="balance-row"][data-class="${className}"] [data-testid="balance-count"]`,
      )
      .innerText()
  ).trim();
}

test(
  "console: sign in, create a dataset, upload, draw a box, see the balance change",
  { skip: skipReason(), timeout: 240_000 },
  async () => {
    await mkdir(RESULTS, { recursive: true });
    const workDir = await mkdtemp(path.join(tmpdir(), "gridfill-e2e-"));
    const stamp = Date.now();
    const datasetName = `e2e-${stamp}`;
    try {
      const files = await writeInspectionImages(workDir, 3, stamp);
      await inConsole("console-e2e", async (opened) => {
        const { page } = opened;
        const consoleErrors = opened.pageErrors;

        // Signed out, the console sends us to the login page.
        await page.goto(`${BASE_URL}/datasets`);
        await page.waitForURL(/\/login/);
        await signIn(page);

        // A dataset with two classes.
        await page.getByTestId("create-dataset-button").first().click();
        await page.getByTestId("dataset-name-input").fill(datasetName);
        await page.getByTestId("dataset-description-input").fill("End-to-end test dataset");
        await page.getByTestId("dataset-classes-input").fill("insulator_crack, missing_pin");
        await page.getByTestId("create-dataset-submit").click();
        await page.waitForURL(/\/datasets\/[^/]+$/);
        const datasetUrl = page.url();
        assert.equal((await page.getByTestId("dataset-title").innerText()).trim(), datasetName);
        await page.locator('[data-testid="balance-row"][data-class="insulator_crack"]').waitFor();
        assert.equal(await balanceCount(page, "insulator_crack"), "0");
        assert.equal(await balanceCount(page, "missing_pin"), "0");

        // Upload three images; each row ends "done".
        await page.getByRole("link", { name: "Images", exact: true }).click();
        await page.waitForURL(/\/images(\?|$)/);
        await page.getByTestId("images-empty").waitFor();
        await page.getByTestId("open-upload").click();
        await page.getByTestId("upload-input").setInputFiles(files);
        await page.locator('[data-testid="upload-row"]').nth(2).waitFor();
        await page.waitForFunction(
          () => {
            const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="upload-row"]')];
            return (
              rows.length === 3 &&
              rows.every((row) => ["done", "duplicate", "error"].includes(row.dataset.state ?? ""))
            );
          },
          undefined,
          { timeout: 60_000 },
        );
        const states = await page
          .locator('[data-testid="upload-row"]')
          .evaluateAll((rows) =>
            rows.map(
              (row) =>
                `${(row as HTMLElement).dataset.filename}: ${(row as HTMLElement).dataset.state} ${row.textContent ?? ""}`,
            ),
          );
        assert.ok(
          states.every((line) => line.includes(": done")),
          `every upload is done:\n${states.join("\n")}`,
        );
        await page.getByTestId("upload-close").click();
        await page.waitForFunction(
          () => document.querySelectorAll('[data-testid="image-tile"]').length === 3,
        );
        assert.match(await page.getByTestId("image-total-count").innerText(), /^3 images/);

        // Open one image and draw a box with the mouse (first class, key 1).
        await page.locator('[data-testid="image-tile"] a').first().click();
        await page.waitForURL(/\/images\/[^/?]+/);
        await page.getByTestId("image-stage").waitFor();
        await page.waitForFunction(() => {
          const image = document.querySelector<HTMLImageElement>('[data-testid="detail-image"]');
          return !!image && image.complete && image.naturalWidth > 0;
        });
        await page.keyboard.press("1");
        const canvas = await page.getByTestId("box-canvas").boundingBox();
        assert.ok(canvas, "the box canvas is on screen");
        await page.mouse.move(canvas.x + canvas.width * 0.25, canvas.y + canvas.height * 0.25);
        await page.mouse.down();
        await page.mouse.move(canvas.x + canvas.width * 0.45, canvas.y + canvas.height * 0.4, {
          steps: 6,
        });
        await page.mouse.move(canvas.x + canvas.width * 0.6, canvas.y + canvas.height * 0.65, {
          steps: 6,
        });
        await page.mouse.up();
        const saved = page.locator(
          '[data-testid="box-rect"][data-class="insulator_crack"][data-saved="true"]',
        );
        await saved.waitFor();
        assert.equal(await page.locator('[data-testid="box-rect"]').count(), 1);
        await page.getByText("All changes saved").waitFor();

        // The editor's other gestures on a second box: class by number key, move, resize, nudge,
        // Tab between boxes; then delete it. A reload shows what was saved.
        await page.mouse.move(canvas.x + canvas.width * 0.7, canvas.y + canvas.height * 0.1);
        await page.mouse.down();
        await page.mouse.move(canvas.x + canvas.width * 0.9, canvas.y + canvas.height * 0.3, {
          steps: 8,
        });
        await page.mouse.up();
        const second = page.locator('[data-testid="box-rect"][data-selected="true"]');
        await page.waitForFunction(
          () =>
            document.querySelectorAll('[data-testid="box-rect"][data-saved="true"]').length === 2,
        );
        await page.keyboard.press("2");
        await page
          .locator('[data-testid="box-rect"][data-selected="true"][data-class="missing_pin"]')
          .waitFor();
        const before = await second.boundingBox();
        assert.ok(before);
        await page.mouse.move(before.x + before.width / 2, before.y + before.height / 2);
        await page.mouse.down();
        await page.mouse.move(before.x + before.width / 2 - 40, before.y + before.height / 2 + 30, {
          steps: 6,
        });
        await page.mouse.up();
        const handle = await page.getByTestId("box-handle-se").boundingBox();
        assert.ok(handle);
        await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
        await page.mouse.down();
        await page.mouse.move(handle.x + 25, handle.y + 20, { steps: 5 });
        await page.mouse.up();
        await page.keyboard.press("Shift+ArrowLeft");
        await page.keyboard.press("ArrowUp");
        await page.waitForTimeout(600); // nudges settle before they are saved
        await page.getByText("All changes saved").waitFor();
        const edited = await second.evaluate((rect) =>
          ["x", "y", "width", "height"].map((name) => rect.getAttribute(name)).join(","),
        );
        const secondKey = await second.getAttribute("data-box-key");
        await page.reload();
        await page.waitForFunction(
          () => document.querySelectorAll('[data-testid="box-rect"]').length === 2,
        );
        const reloaded = await page
          .locator(`[data-testid="box-rect"][data-class="missing_pin"]`)
          .evaluate((rect) =>
            ["x", "y", "width", "height"].map((name) => rect.getAttribute(name)).join(","),
          );
        assert.equal(reloaded, edited, "moved, resized and nudged geometry was saved");
        assert.notEqual(secondKey, null);
        await page.keyboard.press("Tab");
        await page.keyboard.press("Tab");
        const selectedClass = await page
          .locator('[data-testid="box-rect"][data-selected="true"]')
          .getAttribute("data-class");
        if (selectedClass !== "missing_pin") await page.keyboard.press("Tab");
        await page
          .locator('[data-testid="box-rect"][data-selected="true"][data-class="missing_pin"]')
          .waitFor();
        await page.keyboard.press("Delete");
        await page.getByText("All changes saved").waitFor();
        await page.reload();
        await page.locator('[data-testid="box-rect"][data-class="insulator_crack"]').waitFor();
        assert.equal(await page.locator('[data-testid="box-rect"]').count(), 1);

        // The overview counts it: insulator_crack 0 → 1.
        await page.goto(datasetUrl);
        await page.locator('[data-testid="balance-row"][data-class="insulator_crack"]').waitFor();
        await page.waitForFunction(
          () =>
            document
              .querySelector(
                '[data-testid="balance-row"][data-class="insulator_crack"] [data-testid="balance-count"]',
              )
              ?.textContent?.trim() === "1",
        );
        assert.equal(await balanceCount(page, "insulator_crack"), "1");
        assert.equal(await balanceCount(page, "missing_pin"), "0");
        assert.equal((await page.getByTestId("balance-total").innerText()).trim(), "1");
        const bar = page.locator(
          '[data-testid="balance-bar"][data-class="insulator_crack"][data-origin="real"]',
        );
        assert.equal(await bar.getAttribute("data-count"), "1");
        assert.equal((await page.getByTestId("balance-empty-classes").innerText()).trim(), "1");

        await page.screenshot({ path: path.join(RESULTS, "console-e2e.png"), fullPage: true });
        assert.deepEqual(consoleErrors, [], "no uncaught errors in the page");
      });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
);
