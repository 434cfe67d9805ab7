/**
 * The COCO reader partitions big files on disk; a tiny spill threshold forces that path (and its
 * re-partitioning) on a small file, whose records and errors must equal the in-memory reading.
 */
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { test } from "node:test";
import { readCoco } from "./index.ts";
import type { DatasetRecord, FormatError } from "./index.ts";
import { drain, folderOf, png } from "./test-fixtures.ts";

const IMAGES = 300;

/** Deterministic shuffle, so annotations are listed apart from their images and out of order. */
function shuffled<T>(items: T[]): T[] {
  let seed = 7;
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 48271) % 2147483647;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function dataset(): Promise<string> {
  const images: object[] = [];
  const annotations: object[] = [];
  let annId = 0;
  // Ids spread over several base-64 digits, so that re-partitioning has something to split.
  const imageId = (i: number) => i * 4097 + 3;
  for (let i = 0; i < IMAGES; i++) {
    images.push({ id: imageId(i), file_name: `im${i}.png`, width: 64, height: 48 });
    for (let b = 0; b < (i % 4) + 1; b++) {
      annotations.push({
        id: ++annId,
        image_id: imageId(i),
        category_id: (i + b) % 2 === 0 ? 1 : 2,
        bbox: [b + 0.5, b * 2, 10 + (i % 7), 5.25],
      });
    }
  }
  // Problems, each on one image: a duplicate annotation id on two images far apart, an unknown
  // category, a box outside its image, a bad bbox, a box for an undeclared image, a repeated image id.
  annotations.push({ id: 5, image_id: imageId(250), category_id: 1, bbox: [1, 1, 2, 2] });
  annotations.push({ id: ++annId, image_id: imageId(10), category_id: 9, bbox: [1, 1, 2, 2] });
  annotations.push({ id: ++annId, image_id: imageId(11), category_id: 1, bbox: [60, 1, 20, 2] });
  annotations.push({ id: ++annId, image_id: imageId(12), category_id: 1, bbox: [1, 1] });
  annotations.push({ id: ++annId, image_id: 999_999_999, category_id: 1, bbox: [1, 1, 2, 2] });
  images.push({ id: imageId(13), file_name: "again.png", width: 64, height: 48 });
  const files: Record<string, string | Buffer> = {
    "annotations/instances_train.json": JSON.stringify({
      images: shuffled(images),
      annotations: shuffled(annotations),
      categories: [
        { id: 1, name: "crack" },
        { id: 2, name: "nest" },
      ],
    }),
  };
  for (let i = 0; i < IMAGES; i++) files[`images/im${i}.png`] = png(64, 48);
  files["images/again.png"] = png(64, 48);
  return folderOf(files);
}

const recordKeys = (records: DatasetRecord[]) =>
  records
    .map(
      (r) =>
        `${r.image.relPath} ${r.split ?? "-"} ${r.boxes
          .map((b) => `${b.className}:${b.box.x},${b.box.y},${b.box.width},${b.box.height}`)
          .join(" ")}`,
    )
    .sort();
const errorKeys = (errors: readonly FormatError[]) =>
  errors.map((e) => `${e.code} ${e.file} ${e.message}`).sort();

const spillDirs = async () =>
  (await readdir(tmpdir())).filter((name) => name.startsWith("gridfill-coco-")).length;

test("COCO partitioned on disk reads exactly like COCO in memory, and leaves no files", async () => {
  const root = await dataset();
  const before = await spillDirs();
  const memory = await drain(readCoco(root));
  // 5 rows per partition at most: every partition of the first 64-way split is bigger than that,
  // so each is split again on the next base-64 digit of the image id.
  const spilled = await drain(readCoco(root, { spillAbove: 5 }));
  assert.equal(memory.records.length, IMAGES - 6);
  assert.deepEqual(recordKeys(spilled.records), recordKeys(memory.records));
  assert.deepEqual(errorKeys(spilled.errors), errorKeys(memory.errors));
  const codes = errorKeys(memory.errors).map((e) => e.split(" ")[0]);
  for (const code of [
    "DUPLICATE_ID",
    "UNKNOWN_CATEGORY",
    "BOX_OUT_OF_BOUNDS",
    "MALFORMED_JSON",
    "MISSING_IMAGE",
  ]) {
    assert.ok(codes.includes(code), `${code} in ${codes.join(", ")}`);
  }
  assert.equal(await spillDirs(), before);
});

test("COCO partitioned on disk: malformed JSON found late is still a file error, with no files left", async () => {
  const files: Record<string, string | Buffer> = {
    "annotations/instances.json": JSON.stringify({
      images: Array.from({ length: 40 }, (_, i) => ({
        id: i,
        file_name: `im${i}.png`,
        width: 64,
        height: 48,
      })),
      categories: [{ id: 1, name: "crack" }],
    }).slice(0, -30),
  };
  const root = await folderOf(files);
  const before = await spillDirs();
  const { records, errors } = await drain(readCoco(root, { spillAbove: 5 }));
  assert.equal(records.length, 0);
  assert.deepEqual(
    errors.map((e) => `${e.code} ${e.file}`),
    ["MALFORMED_JSON annotations/instances.json"],
  );
  assert.equal(await spillDirs(), before);
});
