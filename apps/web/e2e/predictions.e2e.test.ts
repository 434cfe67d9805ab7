/**
 * Prediction runs end to end, in a real browser against a running platform: a labelled test split
 * and version 1 are set up through the API with the signed-in session, then in the console: import
 * a COCO run from the Predictions tab → open its evaluation (per-class table, PR chart, confusion
 * matrix) → in the image browser, pick the run and filter its false positives, then its false
 * negatives of the class, with the keyboard (one image, then none) → open the label-error queue →
 * accept the missing-label candidate with the keyboard → the candidate count drops to zero and the
 * evaluation counts the new box. A second dataset runs a real detector (the demo's CenterNet,
 * which knows "insulator") from the "Run a detector…" dialog: no version yet → the dialog says to
 * freeze one; a text file named .onnx → refused in the dialog, no run made; the detector → its run
 * goes through the worker and reaches Succeeded in the runs list.
 *
 *   GRIDFILL_E2E_URL=… GRIDFILL_E2E_EMAIL=… GRIDFILL_E2E_PASSWORD=… \
 *     node --import tsx --test apps/web/e2e/predictions.e2e.test.ts
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import yazl from "yazl";
import type { Page } from "playwright-core";
import { BASE_URL, RESULTS, inConsole, pageGql, signIn, skipReason } from "./browser.ts";

const DETECTOR = path.resolve(import.meta.dirname, "../../cli/demo-detectors/centernet-real.onnx");

async function zipOf(files: Record<string, Buffer | string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function scene(stamp: number, index: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="150">
    <rect width="100%" height="100%" fill="rgb(${(stamp + index * 90) % 255},120,160)"/>
    <rect x="20" y="20" width="40" height="40" fill="#ddd"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const voc = (name: string) =>
  `<annotation><filename>${name}</filename><size><width>200</width><height>150</height></size>` +
  `<object><name>insulator</name><bndbox><xmin>21</xmin><ymin>21</ymin><xmax>60</xmax><ymax>60</ymax></bndbox></object></annotation>`;

/** A dataset with two labelled TEST images, made through the API; no version yet. */
async function labelledDataset(page: Page, name: string, stamp: number): Promise<string> {
  const { createDataset } = await pageGql<{ createDataset: { id: string } }>(
    page,
    `mutation($name: String!) { createDataset(input: { name: $name }) { id } }`,
    { name },
  );
  const datasetId = createDataset.id;
  const zip = await zipOf({
    "JPEGImages/a.png": await scene(stamp, 0),
    "JPEGImages/b.png": await scene(stamp, 1),
    "Annotations/a.xml": voc("a.png"),
    "Annotations/b.xml": voc("b.png"),
  });
  const { requestImportUpload: ticket } = await pageGql<{
    requestImportUpload: { key: string; url: string; headers: Record<string, string> };
  }>(
    page,
    `mutation($id: ID!, $bytes: Float!) { requestImportUpload(datasetId: $id, bytes: $bytes) { key url headers } }`,
    {
      id: datasetId,
      bytes: zip.length,
    },
  );
  const put = await fetch(ticket.url, {
    method: "PUT",
    headers: ticket.headers,
    body: new Uint8Array(zip),
  });
  assert.equal(put.status, 200);
  const { startImport } = await pageGql<{ startImport: { id: string } }>(
    page,
    `mutation($id: ID!, $key: String!) { startImport(datasetId: $id, format: VOC, source: $key, split: TEST) { id } }`,
    { id: datasetId, key: ticket.key },
  );
  for (let i = 0; ; i++) {
    const { importJob } = await pageGql<{ importJob: { status: string } }>(
      page,
      `query($id: ID!) { importJob(id: $id) { status } }`,
      { id: startImport.id },
    );
    if (importJob.status === "SUCCEEDED") break;
    assert.notEqual(importJob.status, "FAILED");
    assert.ok(i < 300, "the import did not finish");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return datasetId;
}

async function freezeVersion(page: Page, datasetId: string): Promise<void> {
  await pageGql(page, `mutation($id: ID!) { createVersion(datasetId: $id) { id } }`, {
    id: datasetId,
  });
}

async function runCount(page: Page, datasetId: string): Promise<number> {
  const { predictionRuns } = await pageGql<{ predictionRuns: { edges: unknown[] } }>(
    page,
    `query($id: ID!) { predictionRuns(datasetId: $id) { edges { cursor } } }`,
    { id: datasetId },
  );
  return predictionRuns.edges.length;
}

test(
  "predictions: import a run, read its evaluation, accept a missing label from the queue",
  { skip: skipReason(), timeout: 240_000 },
  async () => {
    await mkdir(RESULTS, { recursive: true });
    const workDir = await mkdtemp(path.join(tmpdir(), "gridfill-e2e-predictions-"));
    const stamp = Date.now();
    try {
      // Both insulators found, plus a confident box where nothing is labelled.
      const runZip = path.join(workDir, "detector.zip");
      await writeFile(
        runZip,
        await zipOf({
          "instances_test.json": JSON.stringify({
            images: [
              { id: 1, file_name: "a.png" },
              { id: 2, file_name: "b.png" },
            ],
            categories: [{ id: 1, name: "insulator" }],
          }),
          "results.json": JSON.stringify([
            { image_id: 1, category_id: 1, bbox: [20, 20, 40, 40], score: 0.95 },
            { image_id: 2, category_id: 1, bbox: [20, 20, 40, 40], score: 0.9 },
            { image_id: 2, category_id: 1, bbox: [120, 80, 50, 50], score: 0.85 },
          ]),
        }),
      );
      await inConsole("predictions", async ({ page }) => {
        await page.goto(`${BASE_URL}/login`);
        await signIn(page);
        const datasetId = await labelledDataset(page, `e2e-predictions-${stamp}`, stamp);
        await freezeVersion(page, datasetId);

        await page.goto(`${BASE_URL}/datasets/${datasetId}`);
        await page.getByRole("link", { name: "Predictions", exact: true }).click();
        await page.waitForURL(/\/predictions$/);
        await page.getByTestId("predictions-empty").waitFor();
        await page.getByTestId("predictions-import").click();
        await page.getByTestId("predictions-input").setInputFiles(runZip);
        await page.getByTestId("predictions-format").selectOption("COCO");
        await page.getByTestId("predictions-split").selectOption("TEST");
        await page.getByTestId("predictions-start").click();
        await page
          .locator('[data-testid="prediction-runs"] tr[data-status="SUCCEEDED"]')
          .waitFor({ timeout: 120_000 });

        await page.getByTestId("run-link").first().click();
        await page.waitForURL(/\/predictions\/[^/]+$/);
        const insulator = page.locator(
          '[data-testid="evaluation-classes"] tr[data-class="insulator"]',
        );
        await insulator.waitFor();
        assert.equal((await insulator.locator('[data-metric="ap50"]').innerText()).trim(), "1.000");
        await page.getByTestId("pr-chart").waitFor();
        await page.getByTestId("confusion-matrix").waitFor();
        await page.screenshot({
          path: path.join(RESULTS, "predictions-evaluation.png"),
          fullPage: true,
        });

        // The run's errors in the image browser: b has the extra box (a false positive), no
        // insulator is missed.
        const evaluationUrl = page.url();
        await page.goto(`${BASE_URL}/datasets/${datasetId}/images`);
        await page.getByTestId("image-grid").waitFor();
        // Each choice goes to the URL before the next one builds on it.
        await page.getByTestId("errors-run").selectOption({ index: 1 });
        await page.waitForURL(/[?&]run=/);
        await page.getByTestId("errors-class").selectOption({ label: "insulator" });
        await page.waitForURL(/errorClass=/);
        await page.getByTestId("errors-kind-FALSE_POSITIVE").focus();
        await page.keyboard.press("Space");
        await page.waitForURL(/errors=FALSE_POSITIVE/);
        await page.waitForFunction(() =>
          /^1 image match/.test(
            document.querySelector('[data-testid="image-total-count"]')?.textContent ?? "",
          ),
        );
        assert.equal(await page.getByTestId("image-tile").count(), 1);
        await page.screenshot({ path: path.join(RESULTS, "predictions-errors.png") });
        await page.getByTestId("errors-kind-FALSE_NEGATIVE").focus();
        await page.keyboard.press("Enter");
        await page.getByTestId("images-empty").waitFor();
        assert.equal(
          (await page.getByTestId("images-empty").locator("h3").innerText()).trim(),
          "No image has false negatives of insulator at confidence 0.50",
        );
        await page.goto(evaluationUrl);

        await page.getByTestId("open-queue").click();
        await page.waitForURL(/\/queue$/);
        await page.locator('[data-testid="candidate"][data-kind="MISSING_LABEL"]').waitFor();
        assert.match(await page.getByTestId("queue-count").innerText(), /^1 candidates/);
        await page.screenshot({ path: path.join(RESULTS, "predictions-queue.png") });
        await page.keyboard.press("a");
        await page.getByTestId("queue-empty").waitFor();
        assert.match(await page.getByTestId("queue-count").innerText(), /^0 candidates/);

        // The accepted box is a label now: the evaluation counts three truths.
        await page.goBack();
        await page.waitForURL(/\/predictions\/[^/]+$/);
        await page.reload();
        await page
          .locator('[data-testid="evaluation-classes"] tr[data-class="insulator"] td')
          .first()
          .waitFor();
        const truths = await page
          .locator('[data-testid="evaluation-classes"] tr[data-class="insulator"] td')
          .first()
          .innerText();
        assert.equal(truths.trim(), "3");
      });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
);

test(
  "predictions: run a detector from the console, after a refused file, until its run succeeds",
  { skip: skipReason(), timeout: 240_000 },
  async () => {
    await mkdir(RESULTS, { recursive: true });
    const workDir = await mkdtemp(path.join(tmpdir(), "gridfill-e2e-detector-"));
    const stamp = Date.now();
    try {
      const notDetector = path.join(workDir, "not-a-detector.onnx");
      await writeFile(notDetector, "a detector's notes, not a detector\n");
      await inConsole("predictions-detector", async ({ page }) => {
        await page.goto(`${BASE_URL}/login`);
        await signIn(page);
        const datasetId = await labelledDataset(page, `e2e-detector-${stamp}`, stamp);
        await page.goto(`${BASE_URL}/datasets/${datasetId}/predictions`);
        const dialog = page.getByTestId("detector-dialog");

        // No version: the dialog says what to do first, and Escape closes it.
        await page.getByTestId("predictions-empty").waitFor();
        await page.getByTestId("predictions-run-detector").click();
        await dialog.getByTestId("detector-no-version").waitFor();
        assert.match(await dialog.locator("h3").innerText(), /Freeze a version first/);
        await page.keyboard.press("Escape");
        await dialog.waitFor({ state: "hidden" });

        await freezeVersion(page, datasetId);
        await page.reload();
        await page.getByTestId("predictions-empty").waitFor();
        await page.getByTestId("predictions-run-detector").click();
        await dialog.getByTestId("detector-form").waitFor();
        assert.equal(await dialog.getByTestId("detector-version").inputValue(), "1");
        assert.equal(await dialog.getByTestId("detector-split").inputValue(), "TEST");

        // A text file named .onnx: hashed and uploaded, then refused by the API's contract check.
        await dialog.getByTestId("detector-input").setInputFiles(notDetector);
        await dialog.getByTestId("detector-start").click();
        const refusal = dialog.getByTestId("error-banner");
        await refusal.waitFor();
        assert.match(await refusal.innerText(), /not an ONNX model/);
        await page.screenshot({ path: path.join(RESULTS, "predictions-detector-refused.png") });
        assert.equal(await runCount(page, datasetId), 0);
        await page.getByTestId("predictions-empty").waitFor();

        // The real detector, submitted with Enter from the name field.
        await dialog.getByTestId("detector-input").setInputFiles(DETECTOR);
        assert.equal(await refusal.count(), 0, "choosing another file clears the refusal");
        await dialog.getByTestId("detector-name").fill(`centernet ${stamp}`);
        await dialog.getByTestId("detector-min-score").fill("0.05");
        await dialog.getByTestId("detector-name").press("Enter");
        await dialog.waitFor({ state: "hidden", timeout: 60_000 });
        const row = page.locator('[data-testid="prediction-runs"] tr', {
          hasText: `centernet ${stamp}`,
        });
        await row.waitFor();
        await page
          .locator('[data-testid="prediction-runs"] tr[data-status="SUCCEEDED"]', {
            hasText: `centernet ${stamp}`,
          })
          .waitFor({ timeout: 120_000 });
        const { predictionRun } = await pageGql<{
          predictionRun: { source: string; split: string; predictionCount: number };
        }>(page, `query($id: ID!) { predictionRun(id: $id) { source split predictionCount } }`, {
          id: (await row.getAttribute("data-run"))!,
        });
        assert.deepEqual(
          { source: predictionRun.source, split: predictionRun.split },
          { source: "MODEL", split: "TEST" },
        );
        // The runs list shows the count the API has.
        assert.equal(
          await row.getByTestId("run-predictions").innerText(),
          predictionRun.predictionCount.toLocaleString("en-US"),
        );
        assert.equal(await runCount(page, datasetId), 1);
        await page.screenshot({ path: path.join(RESULTS, "predictions-detector.png") });
      });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
);
