// What the fills end-to-end test needs when the platform was started without the demo seed: an
// active generator (the demo MVSA-GAN export, registered through the API) and a small dataset whose
// rare class has enough real train images with boxes to be filled 8 times under the synthetic
// share cap (imported as a VOC zip into the train split).
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import yazl from "yazl";
import type { Page } from "playwright-core";
import { pageGql } from "./browser.ts";

const DEMO_MODEL = path.resolve(import.meta.dirname, "../../../packages/mvsa-gan/models/demo");
const WIDTH = 320;
const HEIGHT = 240;

/** Enough for a fill of 8 under a 50 % share cap, and a larger class to aim at. */
export const FIXTURE_CLASSES = [
  { name: "rare_defect", color: "#e6194b", images: 8 },
  { name: "common_defect", color: "#4363d8", images: 16 },
] as const;

async function put(url: string, headers: Record<string, string> | null, body: Buffer) {
  const response = await fetch(url, {
    method: "PUT",
    headers: headers ?? {},
    body: new Uint8Array(body),
  });
  assert.ok(response.ok, `PUT ${new URL(url).pathname}: HTTP ${response.status}`);
}

/** Registers and activates the demo generator and critic unless a model is already active. */
export async function ensureActiveModel(page: Page): Promise<void> {
  const { modelVersions } = await pageGql<{ modelVersions: { status: string }[] }>(
    page,
    `query { modelVersions { status } }`,
  );
  if (modelVersions.some((model) => model.status === "ACTIVE")) return;
  const generator = await readFile(path.join(DEMO_MODEL, "generator.onnx"));
  const critic = await readFile(path.join(DEMO_MODEL, "critic.onnx"));
  const { requestModelUpload: ticket } = await pageGql<{
    requestModelUpload: {
      generatorKey: string;
      generatorUrl: string;
      criticKey: string;
      criticUrl: string;
      headers: Record<string, string> | null;
    };
  }>(
    page,
    `mutation($g: Int!, $c: Int) {
      requestModelUpload(generatorBytes: $g, criticBytes: $c) {
        generatorKey generatorUrl criticKey criticUrl headers
      }
    }`,
    { g: generator.length, c: critic.length },
  );
  await put(ticket.generatorUrl, ticket.headers, generator);
  await put(ticket.criticUrl, ticket.headers, critic);
  await pageGql(
    page,
    `mutation($input: RegisterModelInput!) { registerModel(input: $input) { id } }`,
    {
      input: {
        name: "e2e-demo",
        version: `e2e-${Date.now()}`,
        generatorKey: ticket.generatorKey,
        criticKey: ticket.criticKey,
        activate: true,
      },
    },
  );
}

async function scene(stamp: number, index: number): Promise<Buffer> {
  const hue = (stamp + index * 37) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
    <rect width="100%" height="100%" fill="hsl(${hue}, 35%, 70%)"/>
    <rect x="${60 + (index % 5) * 20}" y="50" width="90" height="110" fill="hsl(${(hue + 180) % 360}, 50%, 35%)" stroke="#222"/>
    <text x="8" y="${HEIGHT - 10}" font-size="14" fill="#fff">fill fixture ${stamp}-${index}</text>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A Pascal VOC zip: per class, that many images with one box of the class each. */
async function vocZip(stamp: number): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  let index = 0;
  for (const defectClass of FIXTURE_CLASSES) {
    for (let i = 0; i < defectClass.images; i++, index++) {
      const name = `${defectClass.name}-${i}.png`;
      const x = 60 + (index % 5) * 20;
      zip.addBuffer(await scene(stamp, index), `JPEGImages/${name}`);
      zip.addBuffer(
        Buffer.from(
          `<annotation><filename>${name}</filename><size><width>${WIDTH}</width><height>${HEIGHT}</height><depth>3</depth></size>` +
            `<object><name>${defectClass.name}</name><bndbox><xmin>${x}</xmin><ymin>50</ymin><xmax>${x + 90}</xmax><ymax>160</ymax></bndbox></object></annotation>`,
        ),
        `Annotations/${name.replace(/\.png$/, ".xml")}`,
      );
    }
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Creates the dataset and imports its images into train; returns the dataset's name. */
export async function createFillDataset(page: Page): Promise<string> {
  const stamp = Date.now();
  const name = `e2e-fills-${stamp}`;
  const { createDataset } = await pageGql<{ createDataset: { id: string } }>(
    page,
    `mutation($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`,
    {
      input: {
        name,
        classes: FIXTURE_CLASSES.map(({ name: className, color }) => ({ name: className, color })),
      },
    },
  );
  const datasetId = createDataset.id;
  const zip = await vocZip(stamp);
  const { requestImportUpload: ticket } = await pageGql<{
    requestImportUpload: { key: string; url: string; headers: Record<string, string> | null };
  }>(
    page,
    `mutation($datasetId: ID!, $bytes: Float!) {
      requestImportUpload(datasetId: $datasetId, bytes: $bytes) { key url headers }
    }`,
    { datasetId, bytes: zip.length },
  );
  await put(ticket.url, ticket.headers, zip);
  const { startImport } = await pageGql<{ startImport: { id: string } }>(
    page,
    `mutation($datasetId: ID!, $source: String!) {
      startImport(datasetId: $datasetId, format: VOC, source: $source, split: TRAIN) { id }
    }`,
    { datasetId, source: ticket.key },
  );
  for (;;) {
    const { importJob } = await pageGql<{
      importJob: { status: string; imagesAdded: number; message: string | null };
    }>(page, `query($id: ID!) { importJob(id: $id) { status imagesAdded message } }`, {
      id: startImport.id,
    });
    if (importJob.status === "FAILED") assert.fail(`fixture import failed: ${importJob.message}`);
    if (importJob.status === "SUCCEEDED") {
      const expected = FIXTURE_CLASSES.reduce((sum, entry) => sum + entry.images, 0);
      assert.equal(importJob.imagesAdded, expected, "fixture images imported");
      return name;
    }
    await page.waitForTimeout(500);
  }
}
