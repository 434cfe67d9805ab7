import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { openFolder } from "./file-tree.ts";
import { readPredictions, type PredictionFormat } from "./prediction-reader.ts";

async function readFiles(format: PredictionFormat, files: Record<string, string>) {
  const root = await mkdtemp(join(tmpdir(), "predictions-"));
  try {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    }
    return await readPredictions(openFolder(root), format);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const cocoDataset = JSON.stringify({
  images: [
    { id: 1, file_name: "a.jpg", width: 100, height: 80 },
    { id: 2, file_name: "b.jpg", width: 100, height: 80 },
  ],
  categories: [
    { id: 7, name: "insulator" },
    { id: 9, name: "nest" },
  ],
  annotations: [],
});

test("COCO results resolve image and category ids through the dataset JSON beside them", async () => {
  const { table, errors } = await readFiles("COCO", {
    "instances_test.json": cocoDataset,
    "results.json": JSON.stringify([
      { image_id: 1, category_id: 7, bbox: [10, 20, 30, 40], score: 0.9 },
      { image_id: 2, category_id: 9, bbox: [1, 2, 3, 4], score: 0.25 },
      { image_id: "b.jpg", category_name: "nest", bbox: [5, 5, 5, 5], score: 1 },
    ]),
  });
  assert.deepEqual(errors, []);
  assert.equal(table.normalized, false);
  assert.deepEqual(table.image, ["a.jpg", "b.jpg", "b.jpg"]);
  assert.deepEqual(table.className, ["insulator", "nest", "nest"]);
  assert.deepEqual([table.x[0], table.y[0], table.width[0], table.height[0]], [10, 20, 30, 40]);
  assert.deepEqual(table.score, [0.9, 0.25, 1]);
});

test("YOLO predictions keep the normalised box and take names from data.yaml", async () => {
  const { table, errors } = await readFiles("YOLO", {
    "data.yaml": "names: [insulator, nest]\n",
    "labels/test/a.txt": "1 0.5 0.5 0.2 0.4 0.75\n0 0.1 0.1 0.1 0.1 0.5\n",
  });
  assert.deepEqual(errors, []);
  assert.equal(table.normalized, true);
  assert.deepEqual(table.image, ["a", "a"]);
  assert.deepEqual(table.className, ["nest", "insulator"]);
  assert.ok(Math.abs(table.x[0]! - 0.4) < 1e-12 && Math.abs(table.y[0]! - 0.3) < 1e-12);
  assert.deepEqual(table.score, [0.75, 0.5]);
});

const vocXml = (filename: string, objects: string) =>
  `<annotation><filename>${filename}</filename><size><width>100</width><height>80</height></size>${objects}</annotation>`;
const vocObject = (name: string, score: string) =>
  `<object><name>${name}</name><score>${score}</score><bndbox><xmin>11</xmin><ymin>21</ymin><xmax>40</xmax><ymax>60</ymax></bndbox></object>`;

test("VOC predictions read <score> per object, corners as VOC writes them", async () => {
  const { table, errors } = await readFiles("VOC", {
    "a.xml": vocXml("a.jpg", vocObject("nest", "0.6")),
  });
  assert.deepEqual(errors, []);
  assert.deepEqual(
    [table.image[0], table.className[0], table.x[0], table.y[0], table.width[0], table.height[0]],
    ["a.jpg", "nest", 10, 20, 30, 40],
  );
  assert.deepEqual(table.score, [0.6]);
});

test("malformed prediction files are each reported with their file and a stable code", async () => {
  const coco = await readFiles("COCO", {
    "instances.json": cocoDataset,
    "results.json": JSON.stringify([
      { id: 1, image_id: 1, category_id: 7, bbox: [0, 0, 5, 5], score: 1.5 },
      { id: 1, image_id: 1, category_id: 7, bbox: [0, 0, 5, 5], score: 0.5 },
      { id: 2, image_id: 1, category_id: 3, bbox: [0, 0, 5, 5], score: 0.5 },
      { id: 3, image_id: 99, category_id: 7, bbox: [0, 0, 5, 5], score: 0.5 },
      { id: 4, image_id: 1, category_id: 7, bbox: [0, 0, 0, 5], score: 0.5 },
    ]),
  });
  assert.deepEqual(
    coco.errors.map((e) => [e.file, e.code]),
    [
      ["results.json", "BAD_SCORE"],
      ["results.json", "DUPLICATE_ID"],
      ["results.json", "UNKNOWN_CATEGORY"],
      ["results.json", "MISSING_IMAGE"],
      ["results.json", "BOX_ZERO_AREA"],
    ],
  );
  assert.equal(coco.table.image.length, 0);

  const yolo = await readFiles("YOLO", {
    "classes.txt": "insulator\n",
    "labels/a.txt": "0 0.5 0.5 0.1 0.1 high\n3 0.5 0.5 0.1 0.1 0.4\n0 0.5 0.5 0.1 0.1\n",
    "labels/train/a.txt": "0 0.5 0.5 0.1 0.1 0.4\n",
  });
  assert.deepEqual(
    yolo.errors.map((e) => e.code),
    ["BAD_SCORE", "UNKNOWN_CATEGORY", "UNSUPPORTED", "DUPLICATE_ID"],
  );

  const voc = await readFiles("VOC", {
    "a.xml": vocXml("a.jpg", vocObject("nest", "")),
    "b.xml": vocXml("a.jpg", vocObject("nest", "0.5")),
    "c.xml": "<annotation><object>",
  });
  assert.deepEqual(
    voc.errors.map((e) => [e.file, e.code]),
    [
      ["a.xml", "BAD_SCORE"],
      ["b.xml", "DUPLICATE_ID"],
      ["c.xml", "MALFORMED_XML"],
    ],
  );

  const none = await readFiles("COCO", { "notes.md": "nothing here" });
  assert.equal(none.errors[0]!.code, "UNSUPPORTED");
});

test("a run past the prediction limit is refused once, not per row", async () => {
  const root = await mkdtemp(join(tmpdir(), "predictions-"));
  try {
    await writeFile(
      join(root, "results.json"),
      JSON.stringify(
        Array.from({ length: 5 }, () => ({
          image_id: "a.jpg",
          category_name: "nest",
          bbox: [0, 0, 2, 2],
          score: 0.5,
        })),
      ),
    );
    const { errors, table } = await readPredictions(openFolder(root), "COCO", {
      maxPredictions: 3,
    });
    assert.deepEqual(
      errors.map((e) => e.code),
      ["TOO_MANY_PREDICTIONS"],
    );
    assert.equal(table.image.length, 3);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
