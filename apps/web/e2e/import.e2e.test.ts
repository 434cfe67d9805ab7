/**
 * Imports and versions end to end, in a real browser against a running platform:
 * sign in → create a dataset → import a VOC zip built here (four images, one broken annotation)
 * and watch the job finish with the expected counts and error report → create version 1 →
 * delete one image → create version 2 → the diff shows one removed image and the class deltas.
 *
 *   GRIDFILL_E2E_URL=http://127.0.0.1:3000 GRIDFILL_E2E_EMAIL=… GRIDFILL_E2E_PASSWORD=… \
 *     node --import tsx --test apps/web/e2e/import.e2e.test.ts
 *
 * Skips (with the reason) when Chromium or GRIDFILL_E2E_URL is missing. Screenshots go to
 * test-results/ at the repository root.
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

type Box = [name: string, xmin: number, ymin: number, xmax: number, ymax: number];

const WIDTH = 320;
const HEIGHT = 240;

function vocXml(filename: string, objects: Box[]): string {
  return [
    "<annotation>",
    `  <filename>${filename}</filename>`,
    `  <size><width>${WIDTH}</width><height>${HEIGHT}</height><depth>3</depth></size>`,
    ...objects.map(
      ([name, xmin, ymin, xmax, ymax]) =>
        `  <object><name>${name}</name><bndbox><xmin>${xmin}</xmin><ymin>${ymin}</ymin><xmax>${xmax}</xmax><ymax>${ymax}</ymax></bndbox></object>`,
    ),
    "</annotation>",
  ].join("\n");
}

async function png(stamp: number, index: number): Promise<Buffer> {
  const hue = (stamp + index * 83) % 255;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
    <rect width="100%" height="100%" fill="rgb(${hue},${(hue * 5) % 255},${180 - (hue % 100)})"/>
    <rect x="${40 + index * 30}" y="60" width="30" height="90" fill="#ddd" stroke="#333"/>
    <text x="8" y="${HEIGHT - 10}" font-size="14" fill="#fff">import ${stamp}-${index}</text>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** The images in the archive and their boxes: 3 insulator_crack and 3 missing_pin boxes. */
const IMAGES: { name: string; boxes: Box[] }[] = [
  { name: "line-1.png", boxes: [["insulator_crack", 10, 10, 60, 80]] },
  {
    name: "line-2.png",
    boxes: [
      ["insulator_crack", 20, 20, 90, 100],
      ["missing_pin", 150, 40, 190, 90],
    ],
  },
  {
    name: "line-3.png",
    boxes: [
      ["missing_pin", 30, 30, 70, 70],
      ["missing_pin", 200, 100, 260, 180],
    ],
  },
  { name: "line-4.png", boxes: [["insulator_crack", 100, 50, 180, 150]] },
];

/** A Pascal VOC zip of IMAGES plus one image whose annotation is malformed. */
async function buildVocZip(file: string, stamp: number): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [index, image] of IMAGES.entries()) {
    zip.addBuffer(await png(stamp, index), `JPEGImages/${image.name}`);
    zip.addBuffer(
      Buffer.from(vocXml(image.name, image.boxes)),
      `Annotations/${image.name.replace(/\.png$/, ".xml")}`,
    );
  }
  zip.addBuffer(await png(stamp, 9), "JPEGImages/broken.png");
  zip.addBuffer(
    Buffer.from("<annotation><filename>broken.png</filename><object></annotation>"),
    "Annotations/broken.xml",
  );
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  await writeFile(file, Buffer.concat(chunks));
}

async function createVersion(page: Page, note: string, number: number): Promise<void> {
  await page.getByTestId("version-note").fill(note);
  await page.getByTestId("create-version").click();
  await page.locator(`[data-testid="version-row"][data-number="${number}"]`).waitFor();
}

test(
  "imports: a VOC zip from the console, two versions, their diff",
  { skip: skipReason(), timeout: 240_000 },
  async () => {
    await mkdir(RESULTS, { recursive: true });
    const workDir = await mkdtemp(path.join(tmpdir(), "gridfill-e2e-import-"));
    const stamp = Date.now();
    const datasetName = `e2e-import-${stamp}`;
    try {
      const zipFile = path.join(workDir, `voc-${stamp}.zip`);
      await buildVocZip(zipFile, stamp);
      await inConsole("import", async (opened) => {
        const { page, pageErrors } = opened;

        await page.goto(`${BASE_URL}/login`);
        await signIn(page);

        // A dataset with one of the archive's two classes: the import creates the other.
        await page.getByTestId("create-dataset-button").first().click();
        await page.getByTestId("dataset-name-input").fill(datasetName);
        await page.getByTestId("dataset-classes-input").fill("insulator_crack");
        await page.getByTestId("create-dataset-submit").click();
        await page.waitForURL(/\/datasets\/[^/]+$/);
        const datasetUrl = page.url();
        const datasetId = decodeURIComponent(new URL(datasetUrl).pathname.split("/").pop()!);
        await page.locator('[data-testid="balance-row"][data-class="insulator_crack"]').waitFor();

        // Import: choose the zip, VOC, start; the job runs to the end.
        await page.getByTestId("open-import").click();
        await page.getByTestId("import-input").setInputFiles(zipFile);
        await page.getByTestId("import-file").waitFor();
        await page.locator('[data-testid="import-format"] [data-value="VOC"]').click();
        await page.getByTestId("import-start").click();
        const job = page.getByTestId("import-job");
        await page.waitForFunction(
          () =>
            ["SUCCEEDED", "FAILED"].includes(
              document.querySelector<HTMLElement>('[data-testid="import-job"]')?.dataset.status ??
                "",
            ),
          undefined,
          { timeout: 120_000 },
        );
        await page.screenshot({ path: path.join(RESULTS, "import-dialog.png") });
        assert.equal(await job.getAttribute("data-status"), "SUCCEEDED");
        assert.equal(await job.getAttribute("data-added"), "4");
        assert.equal(await job.getAttribute("data-duplicates"), "0");
        assert.equal(await job.getAttribute("data-done"), await job.getAttribute("data-total"));
        assert.equal(
          (
            await page
              .locator(
                '[data-testid="import-class-row"][data-class="insulator_crack"] [data-testid="import-class-boxes"]',
              )
              .innerText()
          ).trim(),
          "3",
        );
        assert.equal(
          (
            await page
              .locator(
                '[data-testid="import-class-row"][data-class="missing_pin"] [data-testid="import-class-boxes"]',
              )
              .innerText()
          ).trim(),
          "3",
        );
        // The broken annotation is reported, by file and code.
        assert.equal(await job.getAttribute("data-errors"), "1");
        const errorRow = (await page.getByTestId("import-error-row").first().innerText()).trim();
        assert.match(errorRow, /broken\.xml/);
        assert.match(errorRow, /MALFORMED_XML/);
        await page.getByTestId("import-close").click();

        // The balance reloaded: the new class is there with its boxes.
        await page.waitForFunction(
          () =>
            document
              .querySelector(
                '[data-testid="balance-row"][data-class="missing_pin"] [data-testid="balance-count"]',
              )
              ?.textContent?.trim() !== undefined,
        );

        // Version 1 of the four images.
        await page.getByRole("link", { name: "Versions", exact: true }).click();
        await page.waitForURL(/\/versions$/);
        await page.getByTestId("versions-empty").waitFor();
        await createVersion(page, "after the first import", 1);
        const v1 = page.locator('[data-testid="version-row"][data-number="1"]');
        assert.equal((await v1.getByTestId("version-images").innerText()).trim(), "4");
        assert.equal((await v1.getByTestId("version-boxes").innerText()).trim(), "6");

        // Delete line-4.png (one insulator_crack box) with the signed-in session.
        const listed = await pageGql<{
          images: { edges: { node: { id: string; filename: string } }[] };
        }>(
          page,
          `query($datasetId: ID!) { images(datasetId: $datasetId, first: 50) { edges { node { id filename } } } }`,
          { datasetId },
        );
        const doomed = listed.images.edges.find((edge) =>
          edge.node.filename.endsWith("line-4.png"),
        );
        assert.ok(doomed, `line-4.png is in the dataset: ${JSON.stringify(listed)}`);
        await pageGql(page, `mutation($ids: [ID!]!) { deleteImages(imageIds: $ids) }`, {
          ids: [doomed.node.id],
        });

        await createVersion(page, "without line-4", 2);
        const v2 = page.locator('[data-testid="version-row"][data-number="2"]');
        assert.equal((await v2.getByTestId("version-images").innerText()).trim(), "3");

        // Compare: one image removed, insulator_crack −1 box, missing_pin unchanged.
        await v1.getByTestId("version-select").check();
        await v2.getByTestId("version-select").check();
        await page.getByTestId("compare-versions").click();
        const diff = page.getByTestId("version-diff");
        await diff.getByTestId("diff-removed").waitFor();
        assert.equal(await diff.getByTestId("diff-removed").getAttribute("data-value"), "1");
        assert.equal(await diff.getByTestId("diff-added").getAttribute("data-value"), "0");
        assert.match(await diff.getByTestId("diff-removed-list").innerText(), /line-4\.png/);
        const crack = diff.locator('[data-testid="diff-class-row"][data-class="insulator_crack"]');
        assert.equal(
          await crack.getByTestId("diff-class-boxes-delta").getAttribute("data-value"),
          "-1",
        );
        assert.match(
          (await crack.getByTestId("diff-class-boxes-delta").getAttribute("class")) ?? "",
          /delta--down/,
        );
        const pin = diff.locator('[data-testid="diff-class-row"][data-class="missing_pin"]');
        if ((await pin.count()) > 0)
          assert.equal(
            await pin.getByTestId("diff-class-boxes-delta").getAttribute("data-value"),
            "0",
          );
        await page.screenshot({ path: path.join(RESULTS, "versions-diff.png"), fullPage: true });

        // Export version 2 as YOLO: the job ends with a download link.
        await v2.getByTestId("version-export").click();
        await page.locator('[data-testid="export-format"] [data-value="YOLO"]').click();
        await page.getByTestId("export-start").click();
        await page.getByTestId("export-download").waitFor({ timeout: 120_000 });
        assert.equal(await page.getByTestId("export-job").getAttribute("data-status"), "SUCCEEDED");
        assert.ok(await page.getByTestId("export-download").getAttribute("href"));
        await page.screenshot({ path: path.join(RESULTS, "export-dialog.png") });
        await page.getByTestId("export-close").click();

        assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
      });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
);
