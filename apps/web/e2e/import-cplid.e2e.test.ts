/**
 * The CPLID sample (real-world Pascal VOC, one image's boxes split over two label folders) imported
 * from the console: 220 images, 283 insulator and 160 defect boxes, no problems. Then a small
 * archive with the class map editor: one class renamed, one dropped, JSON view included.
 *
 *   GRIDFILL_E2E_URL=http://127.0.0.1:3000 GRIDFILL_E2E_EMAIL=… GRIDFILL_E2E_PASSWORD=… \
 *     node --import tsx --test apps/web/e2e/import-cplid.e2e.test.ts
 *
 * Skips (with the reason) when Chromium, GRIDFILL_E2E_URL or the sample is missing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import sharp from "sharp";
import yazl from "yazl";
import type { Page } from "playwright-core";
import { zipFolder } from "../../cli/src/commands/import.ts";
import { BASE_URL, RESULTS, inConsole, signIn, skipReason } from "./browser.ts";

const CPLID = "/work/shared/datasets/cplid-sample";

async function classBoxes(page: Page, className: string): Promise<string> {
  return (
    await page
      .locator(
        `[data-testid="import-class-row"][data-class="${className}"] [data-testid="import-class-boxes"]`,
      )
      .innerText()
  ).trim();
}

async function waitForJob(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      ["SUCCEEDED", "FAILED"].includes(
        document.querySelector<HTMLElement>('[data-testid="import-job"]')?.dataset.status ?? "",
      ),
    undefined,
    { timeout: 240_000 },
  );
}

/** One image with an "Insulator" box and a "tower" box. */
async function smallZip(file: string): Promise<void> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="150">
    <rect width="100%" height="100%" fill="rgb(40,90,${Date.now() % 200})"/></svg>`;
  const zip = new yazl.ZipFile();
  zip.addBuffer(await sharp(Buffer.from(svg)).png().toBuffer(), "JPEGImages/mapped.png");
  zip.addBuffer(
    Buffer.from(
      [
        "<annotation><filename>mapped.png</filename>",
        "<size><width>200</width><height>150</height><depth>3</depth></size>",
        "<object><name>Insulator</name><bndbox><xmin>10</xmin><ymin>10</ymin><xmax>60</xmax><ymax>90</ymax></bndbox></object>",
        "<object><name>tower</name><bndbox><xmin>100</xmin><ymin>20</ymin><xmax>150</xmax><ymax>140</ymax></bndbox></object>",
        "</annotation>",
      ].join("\n"),
    ),
    "Annotations/mapped.xml",
  );
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  await writeFile(file, Buffer.concat(chunks));
}

test(
  "imports: the CPLID sample from the console, then a class map",
  {
    skip: skipReason() ?? (existsSync(CPLID) ? undefined : `${CPLID} is absent`),
    timeout: 420_000,
  },
  async () => {
    await mkdir(RESULTS, { recursive: true });
    const workDir = await mkdtemp(path.join(tmpdir(), "gridfill-e2e-cplid-"));
    try {
      const cplidZip = path.join(workDir, "cplid-sample.zip");
      const { stream } = await zipFolder(CPLID);
      await pipeline(stream, createWriteStream(cplidZip));
      const mappedZip = path.join(workDir, "mapped.zip");
      await smallZip(mappedZip);

      await inConsole("import-cplid", async (opened) => {
        const { page } = opened;
        await page.goto(`${BASE_URL}/login`);
        await signIn(page);
        await page.getByTestId("create-dataset-button").first().click();
        await page.getByTestId("dataset-name-input").fill(`e2e-cplid-${Date.now()}`);
        await page.getByTestId("create-dataset-submit").click();
        await page.waitForURL(/\/datasets\/[^/]+$/);

        // CPLID: no class map, the counts of the sample's README.
        await page.getByTestId("open-import").click();
        await page.getByTestId("import-input").setInputFiles(cplidZip);
        await page.getByTestId("import-file").waitFor();
        await page.locator('[data-testid="import-format"] [data-value="VOC"]').click();
        await page.getByTestId("import-start").click();
        await waitForJob(page);
        const job = page.getByTestId("import-job");
        await page.screenshot({ path: path.join(RESULTS, "import-cplid.png") });
        assert.equal(await job.getAttribute("data-status"), "SUCCEEDED");
        assert.equal(await job.getAttribute("data-added"), "220");
        assert.equal(await job.getAttribute("data-errors"), "0");
        assert.equal(await classBoxes(page, "insulator"), "283");
        assert.equal(await classBoxes(page, "defect"), "160");

        // A class map: a bad row blocks the start; then Insulator → insulator and tower dropped.
        await page.getByTestId("import-another").click();
        await page.getByTestId("import-input").setInputFiles(mappedZip);
        await page.getByTestId("import-file").waitFor();
        await page.locator('[data-testid="import-format"] [data-value="VOC"]').click();
        await page.getByTestId("import-class-map-from").first().fill("Insulator");
        assert.match(
          await page.getByTestId("import-class-map-error").innerText(),
          /give the new name/,
        );
        assert.equal(await page.getByTestId("import-start").isDisabled(), true);
        await page.getByTestId("import-class-map-to").first().fill("insulator");
        await page.getByTestId("import-class-map-add").click();
        await page.getByTestId("import-class-map-from").nth(1).fill("tower");
        await page.getByTestId("import-class-map-drop").nth(1).check();
        await page.getByTestId("import-class-map-mode").click();
        assert.deepEqual(JSON.parse(await page.getByTestId("import-class-map-json").inputValue()), {
          Insulator: "insulator",
          tower: null,
        });
        await page.getByTestId("import-start").click();
        await waitForJob(page);
        assert.equal(await job.getAttribute("data-status"), "SUCCEEDED");
        assert.equal(await job.getAttribute("data-added"), "1");
        assert.equal(await classBoxes(page, "insulator"), "1");
        assert.equal(await page.locator('[data-testid="import-class-row"]').count(), 1);
        assert.deepEqual(opened.pageErrors, []);
      });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
);
