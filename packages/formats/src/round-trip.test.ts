/**
 * Format round trips on rendered scenes: VOC folder → read → write each format as a zip → read
 * the zip back. Images, splits and boxes survive exactly through VOC and COCO, and within a
 * pixel through YOLO's normalised numbers.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { Writable } from "node:stream";
import { before, test } from "node:test";
import { writeVocDataset } from "@gridfill/scenes";
import {
  openZip,
  readCoco,
  readVoc,
  readYolo,
  toExportRecords,
  writeCoco,
  writeVoc,
  writeYolo,
} from "./index.ts";
import type { DatasetRecord, DatasetSource, ExportRecord, FileTree, LabeledBox } from "./index.ts";
import { baseName } from "./file-tree.ts";
import { drain, png, tempDir } from "./test-fixtures.ts";

interface Snapshot {
  split: string | undefined;
  size: string;
  bytes: string;
  boxes: LabeledBox[];
}

async function snapshot(records: DatasetRecord[]): Promise<Map<string, Snapshot>> {
  const out = new Map<string, Snapshot>();
  for (const r of records) {
    const hash = createHash("sha256");
    for await (const chunk of r.image.file()) hash.update(chunk as Buffer);
    out.set(baseName(r.image.relPath), {
      split: r.split,
      size: `${r.image.width}×${r.image.height}`,
      bytes: hash.digest("hex"),
      boxes: r.boxes,
    });
  }
  return out;
}

let dir = "";
let original: Map<string, Snapshot>;
let boxCount = 0;

before(async () => {
  dir = await tempDir();
  await writeVocDataset({
    out: join(dir, "scenes"),
    images: 10,
    seed: 11,
    width: 256,
    height: 192,
  });
  const { records, errors } = await drain(readVoc(join(dir, "scenes")));
  assert.deepEqual(errors, []);
  original = await snapshot(records);
  boxCount = records.reduce((n, r) => n + r.boxes.length, 0);
});

async function roundTrip(
  write: (records: AsyncIterable<ExportRecord>, out: Writable) => Promise<unknown>,
  read: (tree: FileTree) => DatasetSource,
  name: string,
): Promise<Map<string, Snapshot>> {
  const zip = join(dir, `${name}.zip`);
  const source = readVoc(join(dir, "scenes"));
  await write(toExportRecords(source), createWriteStream(zip));
  const tree = await openZip(zip);
  try {
    const { records, errors } = await drain(read(tree));
    assert.deepEqual(errors, []);
    return await snapshot(records);
  } finally {
    await tree.close();
  }
}

test("the scenes dataset reads with splits, sizes and boxes", () => {
  assert.equal(original.size, 10);
  assert.ok(boxCount >= 20);
  const splits = [...original.values()].map((s) => s.split);
  assert.ok(splits.includes("train") && splits.includes("val") && splits.includes("test"));
  for (const s of original.values()) assert.equal(s.size, "256×192");
});

test("VOC → VOC zip → VOC is exact", async () => {
  assert.deepEqual(await roundTrip(writeVoc, readVoc, "voc"), original);
});

test("VOC → COCO zip → COCO is exact", async () => {
  assert.deepEqual(await roundTrip(writeCoco, readCoco, "coco"), original);
});

test("VOC → YOLO zip → YOLO is within one pixel", async () => {
  const back = await roundTrip(writeYolo, readYolo, "yolo");
  assert.deepEqual([...back.keys()].sort(), [...original.keys()].sort());
  for (const [name, want] of original) {
    const got = back.get(name);
    assert.ok(got, name);
    assert.deepEqual({ ...got, boxes: [] }, { ...want, boxes: [] });
    assert.deepEqual(
      got.boxes.map((b) => b.className),
      want.boxes.map((b) => b.className),
    );
    got.boxes.forEach(({ box }, i) => {
      const w = want.boxes[i]!.box;
      for (const key of ["x", "y", "width", "height"] as const) {
        assert.ok(
          Math.abs(box[key] - w[key]) <= 1,
          `${name} box ${i} ${key}: ${box[key]} vs ${w[key]}`,
        );
      }
    });
  }
});

test("writers keep names unique, write lineage sidecars, and take a class order", async () => {
  const image = png(32, 32);
  const records: ExportRecord[] = [
    {
      image: { name: "a.png", width: 32, height: 32, stream: () => Readable.from([image]) },
      boxes: [{ className: "crack", box: { x: 1, y: 1, width: 4, height: 4 } }],
      split: "train",
      sidecar: { seed: 7, parents: ["x.png"] },
    },
    {
      image: { name: "sub/A.png", width: 32, height: 32, stream: () => Readable.from([image]) },
      boxes: [],
      split: "val",
    },
  ];
  const zip = join(dir, "names.zip");
  const summary = await writeYolo(records, createWriteStream(zip), {
    classes: ["insulator", "crack"],
  });
  assert.deepEqual(summary, {
    images: 2,
    boxes: 1,
    classes: ["insulator", "crack"],
    splits: { train: 1, val: 1 },
    renamed: 1,
  });
  const tree = await openZip(zip);
  try {
    assert.deepEqual(await tree.listFiles(), [
      "data.yaml",
      "images/train/a.png",
      "images/val/A_2.png",
      "labels/train/a.txt",
      "labels/val/A_2.txt",
      "lineage/a.json",
    ]);
    const text = async (path: string) => {
      let s = "";
      for await (const chunk of tree.open(path)) s += chunk;
      return s;
    };
    assert.deepEqual(JSON.parse(await text("lineage/a.json")), { seed: 7, parents: ["x.png"] });
    assert.equal(await text("labels/train/a.txt"), "1 0.09375 0.09375 0.125 0.125\n");
    const { records: back } = await drain(readYolo(tree));
    assert.deepEqual(
      back.map((r) => [r.image.relPath, r.split, r.boxes.length]),
      [
        ["images/train/a.png", "train", 1],
        ["images/val/A_2.png", "val", 0],
      ],
    );
  } finally {
    await tree.close();
  }
});
