/** Reader conventions, shown on small datasets and, when it is present, the CPLID sample. */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { Readable } from "node:stream";
import { test } from "node:test";
import { readCoco, readVoc, readYolo, sniffImageSize } from "./index.ts";
import { drain, folderOf, png, vocXmlOf, zipFileOf } from "./test-fixtures.ts";

const CPLID = "/work/shared/datasets/cplid-sample";

test(
  "CPLID sample: 220 images, 283 insulator and 160 defect boxes",
  { skip: !existsSync(CPLID) && "CPLID sample not present" },
  async () => {
    const { records, errors } = await drain(readVoc(CPLID));
    assert.deepEqual(errors, []);
    assert.equal(records.length, 220);
    const perClass: Record<string, number> = {};
    for (const r of records)
      for (const b of r.boxes) perClass[b.className] = (perClass[b.className] ?? 0) + 1;
    assert.deepEqual(perClass, { defect: 160, insulator: 283 });
    const first = records[0];
    assert.equal(first?.image.relPath, "Defective_Insulators/images/000.jpg");
    assert.equal(first?.image.filenameHint, "000");
    assert.deepEqual(
      first?.boxes.map((b) => b.className),
      ["defect", "insulator"],
    );
  },
);

test("VOC: boxes of one image split across label folders merge; <filename> lacks its extension", async () => {
  const files = {
    "set/images/000.png": png(40, 30),
    "set/images/001.png": png(40, 30),
    "set/labels/defect/000.xml": vocXmlOf("000", { width: 40, height: 30 }, [
      ["defect", 2, 2, 5, 5],
    ]),
    "set/labels/insulator/000.xml": vocXmlOf("000", { width: 40, height: 30 }, [
      ["insulator", 1, 1, 20, 30],
    ]),
    "set/labels/insulator/001.xml": vocXmlOf("001", null, [["insulator", 1, 1, 40, 30]]),
  };
  for (const root of [await folderOf(files), await zipFileOf(files)]) {
    const { records, errors } = await drain(readVoc(root));
    assert.deepEqual(errors, []);
    assert.deepEqual(
      records.map((r) => [r.image.relPath, r.image.width, r.image.height, r.boxes]),
      [
        [
          "set/images/000.png",
          40,
          30,
          [
            { className: "defect", box: { x: 1, y: 1, width: 4, height: 4 } },
            { className: "insulator", box: { x: 0, y: 0, width: 20, height: 30 } },
          ],
        ],
        // No <size>: read from the PNG header.
        [
          "set/images/001.png",
          40,
          30,
          [{ className: "insulator", box: { x: 0, y: 0, width: 40, height: 30 } }],
        ],
      ],
    );
  }
});

test("classMap renames, merges and drops classes", async () => {
  const root = await folderOf({
    "JPEGImages/a.png": png(40, 30),
    "Annotations/a.xml": vocXmlOf("a.png", { width: 40, height: 30 }, [
      ["Insulator", 1, 1, 10, 10],
      ["insulator_string", 1, 1, 10, 10],
      ["tower", 1, 1, 10, 10],
      ["crack", 1, 1, 10, 10],
    ]),
  });
  const { records } = await drain(
    readVoc(root, {
      classMap: { Insulator: "insulator", insulator_string: "insulator", tower: null },
    }),
  );
  assert.deepEqual(
    records[0]?.boxes.map((b) => b.className),
    ["insulator", "insulator", "crack"],
  );
});

test("VOC splits come from ImageSets/Main lists", async () => {
  const root = await folderOf({
    "VOC/JPEGImages/a.png": png(40, 30),
    "VOC/JPEGImages/b.png": png(40, 30),
    "VOC/Annotations/a.xml": vocXmlOf("a.png", { width: 40, height: 30 }, []),
    "VOC/Annotations/b.xml": vocXmlOf("b.png", { width: 40, height: 30 }, []),
    "VOC/ImageSets/Main/train.txt": "a\n",
    "VOC/ImageSets/Main/val.txt": "b\n",
    "VOC/ImageSets/Main/trainval.txt": "a\nb\n",
  });
  const { records } = await drain(readVoc(root));
  assert.deepEqual(
    records.map((r) => r.split),
    ["train", "val"],
  );
});

test("YOLO: Roboflow layout, names list, background images, splits from folders", async () => {
  const root = await folderOf({
    "data.yaml":
      "train: ../train/images\nval: ../valid/images\nnc: 2\nnames: ['insulator', 'bird_nest']\n",
    "train/images/a.png": png(200, 100),
    "train/labels/a.txt": "1 0.25 0.5 0.1 0.2\n\n0 0.75 0.5 0.5 1.0\n",
    "valid/images/b.png": png(200, 100),
  });
  const { records, errors } = await drain(readYolo(root));
  assert.deepEqual(errors, []);
  assert.deepEqual(
    records.map((r) => [r.image.relPath, r.split, r.boxes]),
    [
      [
        "train/images/a.png",
        "train",
        [
          { className: "bird_nest", box: { x: 40, y: 40, width: 20, height: 20 } },
          { className: "insulator", box: { x: 100, y: 0, width: 100, height: 100 } },
        ],
      ],
      ["valid/images/b.png", "val", []],
    ],
  );
});

test("COCO: annotationsFile picks one file; images are found under images/<split>", async () => {
  const json = (name: string) =>
    JSON.stringify({
      categories: [{ id: 3, name: "crack" }],
      annotations: [
        {
          id: 1,
          image_id: 5,
          category_id: 3,
          bbox: [1.5, 2.25, 10, 5],
          segmentation: [[1, 2, 3, 4]],
        },
      ],
      images: [{ id: 5, file_name: name, width: 40, height: 30 }],
    });
  const root = await folderOf({
    "images/train/a.png": png(40, 30),
    "images/val/b.png": png(40, 30),
    "annotations/instances_train.json": json("a.png"),
    "annotations/instances_val.json": json("b.png"),
  });
  const all = await drain(readCoco(root));
  assert.deepEqual(
    all.records.map((r) => [r.image.relPath, r.split]),
    [
      ["images/train/a.png", "train"],
      ["images/val/b.png", "val"],
    ],
  );
  const one = await drain(readCoco(root, { annotationsFile: "annotations/instances_val.json" }));
  assert.deepEqual(
    one.records.map((r) => [r.image.relPath, r.boxes]),
    [
      [
        "images/val/b.png",
        [{ className: "crack", box: { x: 1.5, y: 2.25, width: 10, height: 5 } }],
      ],
    ],
  );
});

test("image sizes are read from PNG and JPEG headers", async () => {
  assert.deepEqual(await sniffImageSize(Readable.from([png(123, 45)])), { width: 123, height: 45 });
  // SOI, an APP0 segment, then a baseline frame header of 640×480.
  const jpeg = Buffer.from([
    0xff,
    0xd8,
    0xff,
    0xe0,
    0x00,
    0x04,
    0x00,
    0x00,
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    0x01,
    0xe0,
    0x02,
    0x80,
    0x03,
    ...Array(12).fill(0),
  ]);
  assert.deepEqual(await sniffImageSize(Readable.from([jpeg.subarray(0, 9), jpeg.subarray(9)])), {
    width: 640,
    height: 480,
  });
  assert.equal(await sniffImageSize(Readable.from([Buffer.from("not an image at all")])), null);
});
