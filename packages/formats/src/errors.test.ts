/**
 * The malformed-input corpus: one test per error code. Each input also holds valid files, which
 * must still come through whole.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { readCoco, readVoc, readYolo } from "./index.ts";
import type { FormatError } from "./index.ts";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  declareSize,
  drain,
  folderOf,
  png,
  tempDir,
  vocXmlOf,
  zipFileOf,
  zipOf,
} from "./test-fixtures.ts";
import { openZip } from "./zip-tree.ts";

const size = { width: 64, height: 48 };
const goodVoc = {
  "JPEGImages/good.png": png(64, 48),
  "Annotations/good.xml": vocXmlOf("good.png", size, [["crack", 1, 1, 10, 10]]),
};

const codes = (errors: readonly FormatError[]) => errors.map((e) => `${e.code} ${e.file}`);

function coco(parts: { images?: unknown[]; annotations?: unknown[]; categories?: unknown[] }) {
  return JSON.stringify({
    images: parts.images ?? [],
    annotations: parts.annotations ?? [],
    categories: parts.categories ?? [{ id: 1, name: "crack" }],
  });
}

test("MALFORMED_XML: an unclosed tag is reported; the other annotation is read", async () => {
  const root = await folderOf({
    ...goodVoc,
    "JPEGImages/bad.png": png(64, 48),
    "Annotations/bad.xml": "<annotation><filename>bad.png</filename><object></annotation>",
  });
  const { paths, errors } = await drain(readVoc(root));
  assert.deepEqual(paths, ["JPEGImages/good.png"]);
  assert.deepEqual(codes(errors), ["MALFORMED_XML Annotations/bad.xml"]);
});

test("MALFORMED_XML: the image of a broken label is not read, unless another valid label names it", async () => {
  // CPLID keeps one image's boxes in two label folders: here one of the two files is broken.
  const root = await folderOf({
    "set/images/000.png": png(40, 30),
    "set/images/001.png": png(40, 30),
    "set/labels/insulator/000.xml": vocXmlOf("000", { width: 40, height: 30 }, [
      ["insulator", 1, 1, 20, 30],
    ]),
    "set/labels/defect/000.xml": "<annotation><filename>000</filename><object><name>defect",
    "set/labels/defect/001.xml": "<annotation><filename>001</filename><object>",
  });
  const { records, errors } = await drain(readVoc(root));
  assert.deepEqual(
    records.map((r) => `${r.image.relPath} ${r.boxes.map((b) => b.className).join(",")}`),
    ["set/images/000.png insulator"],
  );
  assert.deepEqual(codes(errors).sort(), [
    "MALFORMED_XML set/labels/defect/000.xml",
    "MALFORMED_XML set/labels/defect/001.xml",
  ]);
});

test("MALFORMED_JSON: a truncated annotation file is reported; the other split is read", async () => {
  const root = await folderOf({
    "images/train/a.png": png(64, 48),
    "annotations/instances_train.json": coco({
      images: [{ id: 1, file_name: "a.png", width: 64, height: 48 }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [2, 3, 10, 12] }],
    }),
    "annotations/instances_val.json": '{"images": [{"id": 1, "file_name": "b.png"',
  });
  const { records, errors } = await drain(readCoco(root));
  assert.equal(records.length, 1);
  assert.equal(records[0]?.split, "train");
  assert.deepEqual(records[0]?.boxes, [
    { className: "crack", box: { x: 2, y: 3, width: 10, height: 12 } },
  ]);
  assert.deepEqual(codes(errors), ["MALFORMED_JSON annotations/instances_val.json"]);
});

test("BOX_OUT_OF_BOUNDS: a box past the image edge skips its image only", async () => {
  const root = await folderOf({
    ...goodVoc,
    "JPEGImages/wide.png": png(64, 48),
    "Annotations/wide.xml": vocXmlOf("wide.png", size, [
      ["crack", 1, 1, 10, 10],
      ["crack", 50, 1, 80, 10],
    ]),
  });
  const { paths, errors } = await drain(readVoc(root));
  assert.deepEqual(paths, ["JPEGImages/good.png"]);
  assert.deepEqual(codes(errors), ["BOX_OUT_OF_BOUNDS Annotations/wide.xml"]);
  // Clamping instead keeps the image, with the box clipped at the edge.
  const clamped = await drain(readVoc(root, { outOfBounds: "clamp" }));
  assert.equal(clamped.records.length, 2);
  assert.deepEqual(clamped.records[1]?.boxes[1]?.box, { x: 49, y: 0, width: 15, height: 10 });
});

test("BOX_ZERO_AREA: a COCO box of zero width skips its image only", async () => {
  const root = await folderOf({
    "images/a.png": png(64, 48),
    "images/b.png": png(64, 48),
    "annotations/instances.json": coco({
      images: [
        { id: 1, file_name: "a.png", width: 64, height: 48 },
        { id: 2, file_name: "b.png", width: 64, height: 48 },
      ],
      annotations: [
        { id: 1, image_id: 1, category_id: 1, bbox: [2, 3, 10, 12] },
        { id: 2, image_id: 2, category_id: 1, bbox: [5, 5, 0, 12] },
      ],
    }),
  });
  const { paths, errors, records } = await drain(readCoco(root));
  assert.deepEqual(paths, ["images/a.png"]);
  assert.equal(records[0]?.split, undefined);
  assert.deepEqual(codes(errors), ["BOX_ZERO_AREA annotations/instances.json"]);
  assert.match(errors[0]?.message ?? "", /image 2 \(b\.png\)/);
});

test("MISSING_IMAGE: a YOLO label without its image is reported; paired labels are read", async () => {
  const root = await folderOf({
    "data.yaml": "names: [insulator, crack]\n",
    "images/train/a.png": png(100, 50),
    "labels/train/a.txt": "1 0.5 0.5 0.2 0.4\n",
    "labels/train/ghost.txt": "0 0.5 0.5 0.2 0.2\n",
  });
  const { records, errors } = await drain(readYolo(root));
  assert.equal(records.length, 1);
  assert.deepEqual(records[0]?.boxes, [
    { className: "crack", box: { x: 40, y: 15, width: 20, height: 20 } },
  ]);
  assert.deepEqual(codes(errors), ["MISSING_IMAGE labels/train/ghost.txt"]);
  // The same for VOC: an annotation naming an image that is not there.
  const voc = await folderOf({
    ...goodVoc,
    "Annotations/lost.xml": vocXmlOf("lost.png", size, []),
  });
  const read = await drain(readVoc(voc));
  assert.deepEqual(read.paths, ["JPEGImages/good.png"]);
  assert.deepEqual(codes(read.errors), ["MISSING_IMAGE Annotations/lost.xml"]);
});

test("DUPLICATE_ID: repeated COCO image, annotation and category ids skip the images they touch", async () => {
  const root = await folderOf({
    "images/a.png": png(64, 48),
    "images/b.png": png(64, 48),
    "images/c.png": png(64, 48),
    "images/d.png": png(64, 48),
    "annotations/instances.json": coco({
      images: [
        { id: 1, file_name: "a.png", width: 64, height: 48 },
        { id: 2, file_name: "b.png", width: 64, height: 48 },
        { id: 2, file_name: "c.png", width: 64, height: 48 },
        { id: 3, file_name: "d.png", width: 64, height: 48 },
      ],
      annotations: [
        { id: 1, image_id: 1, category_id: 1, bbox: [2, 3, 10, 12] },
        { id: 2, image_id: 2, category_id: 1, bbox: [2, 3, 10, 12] },
        { id: 3, image_id: 3, category_id: 2, bbox: [2, 3, 10, 12] },
      ],
      categories: [
        { id: 1, name: "crack" },
        { id: 2, name: "corrosion" },
        { id: 2, name: "bird_nest" },
      ],
    }),
  });
  const { paths, errors } = await drain(readCoco(root));
  assert.deepEqual(paths, ["images/a.png"]);
  assert.deepEqual(
    errors.map((e) => e.code),
    ["DUPLICATE_ID", "DUPLICATE_ID"],
  );
  assert.match(errors[0]?.message ?? "", /image id 2/);
  assert.match(errors[1]?.message ?? "", /category id 2/);

  const annotationIds = await folderOf({
    "images/a.png": png(64, 48),
    "images/b.png": png(64, 48),
    "images/c.png": png(64, 48),
    "annotations/instances.json": coco({
      images: ["a", "b", "c"].map((n, i) => ({
        id: i + 1,
        file_name: `${n}.png`,
        width: 64,
        height: 48,
      })),
      annotations: [
        { id: 7, image_id: 1, category_id: 1, bbox: [2, 3, 10, 12] },
        { id: 8, image_id: 2, category_id: 1, bbox: [2, 3, 10, 12] },
        { id: 8, image_id: 3, category_id: 1, bbox: [2, 3, 10, 12] },
      ],
    }),
  });
  const read = await drain(readCoco(annotationIds));
  assert.deepEqual(read.paths, ["images/a.png"]);
  assert.deepEqual(
    read.errors.map((e) => e.code),
    ["DUPLICATE_ID", "DUPLICATE_ID"],
  );
});

test("UNKNOWN_CATEGORY: an undeclared COCO category_id or YOLO class index skips its image", async () => {
  const cocoRoot = await folderOf({
    "images/a.png": png(64, 48),
    "images/b.png": png(64, 48),
    "annotations/instances.json": coco({
      images: [
        { id: 1, file_name: "a.png", width: 64, height: 48 },
        { id: 2, file_name: "b.png", width: 64, height: 48 },
      ],
      annotations: [
        { id: 1, image_id: 1, category_id: 1, bbox: [2, 3, 10, 12] },
        { id: 2, image_id: 2, category_id: 99, bbox: [2, 3, 10, 12] },
      ],
    }),
  });
  const coco_ = await drain(readCoco(cocoRoot));
  assert.deepEqual(coco_.paths, ["images/a.png"]);
  assert.deepEqual(codes(coco_.errors), ["UNKNOWN_CATEGORY annotations/instances.json"]);

  const yoloRoot = await folderOf({
    "classes.txt": "insulator\ncrack\n",
    "images/a.png": png(64, 48),
    "labels/a.txt": "1 0.5 0.5 0.25 0.25\n",
    "images/b.png": png(64, 48),
    "labels/b.txt": "0 0.5 0.5 0.25 0.25\n2 0.5 0.5 0.25 0.25\n",
  });
  const yolo = await drain(readYolo(yoloRoot));
  assert.deepEqual(yolo.paths, ["images/a.png"]);
  assert.deepEqual(codes(yolo.errors), ["UNKNOWN_CATEGORY labels/b.txt"]);
});

test("NOT_UTF8: Latin-1 bytes in an XML or JSON file are reported; UTF-8 files are read", async () => {
  const latin1Xml = Buffer.from(vocXmlOf("bad.png", size, [["défaut", 1, 1, 10, 10]]), "latin1");
  const root = await folderOf({
    ...goodVoc,
    "JPEGImages/bad.png": png(64, 48),
    "Annotations/bad.xml": latin1Xml,
    "Annotations/utf8.xml": vocXmlOf("utf8.png", size, [["défaut", 1, 1, 10, 10]]),
    "JPEGImages/utf8.png": png(64, 48),
  });
  const { records, errors } = await drain(readVoc(root));
  assert.deepEqual(
    records.map((r) => r.boxes[0]?.className),
    ["crack", "défaut"],
  );
  assert.deepEqual(codes(errors), ["NOT_UTF8 Annotations/bad.xml"]);

  const json = await folderOf({
    "images/a.png": png(64, 48),
    "annotations/instances_train.json": coco({
      images: [{ id: 1, file_name: "a.png", width: 64, height: 48 }],
    }),
    "annotations/instances_val.json": Buffer.from(
      coco({ categories: [{ id: 1, name: "défaut" }] }),
      "latin1",
    ),
  });
  const read = await drain(readCoco(json));
  assert.deepEqual(read.paths, ["images/a.png"]);
  assert.deepEqual(codes(read.errors), ["NOT_UTF8 annotations/instances_val.json"]);
});

test("ZIP_SLIP: absolute and ../ entries are refused; the rest of the archive is read", async () => {
  const zip = await zipFileOf(
    {
      ...goodVoc,
      "AAAAAAAAAAAAAAAAAAA.xml": vocXmlOf("good.png", size, [["crack", 1, 1, 5, 5]]),
      "BBBBBBBBBBBBBBBBBBB.xml": vocXmlOf("good.png", size, [["crack", 1, 1, 5, 5]]),
    },
    { AAAAAAAAAAAAAAAAAAA: "/etc/gridfill-evil1", BBBBBBBBBBBBBBBBBBB: "../../gridfill-evil" },
  );
  const { records, errors } = await drain(readVoc(zip));
  assert.deepEqual(codes(errors), [
    "ZIP_SLIP /etc/gridfill-evil1.xml",
    "ZIP_SLIP ../../gridfill-evil.xml",
  ]);
  assert.deepEqual(
    records.map((r) => [r.image.relPath, r.boxes.length]),
    [["JPEGImages/good.png", 1]],
  );
});

test("ZIP_BOMB: entries that inflate past the limit are refused, by header and while inflating", async () => {
  // 50 MB of zeros deflate to about 50 KB.
  const bytes = await zipOf({ ...goodVoc, "Annotations/bomb.xml": Buffer.alloc(50 * 1024 * 1024) });
  const dir = await tempDir();
  const honest = join(dir, "honest.zip");
  await writeFile(honest, bytes);
  const limits = { maxEntryBytes: 1024 * 1024 };
  const tree = await openZip(honest, limits);
  const read = await drain(readVoc(tree));
  await tree.close();
  assert.deepEqual(read.paths, ["JPEGImages/good.png"]);
  assert.deepEqual(codes(read.errors), ["ZIP_BOMB Annotations/bomb.xml"]);

  // A header that understates the size passes the listing; inflating stops at the declared size.
  const lying = join(dir, "lying.zip");
  await writeFile(lying, declareSize(bytes, "Annotations/bomb.xml", 1000));
  const liar = await openZip(lying, limits);
  assert.deepEqual(liar.errors, []);
  const inflated = await drain(readVoc(liar));
  await liar.close();
  assert.deepEqual(inflated.paths, ["JPEGImages/good.png"]);
  assert.deepEqual(codes(inflated.errors), ["ZIP_BOMB Annotations/bomb.xml"]);
  assert.match(inflated.errors[0]?.message ?? "", /declared size/);
});

test("UNSUPPORTED: a YOLO line that is not five numbers is reported; other labels are read", async () => {
  const root = await folderOf({
    "data.yaml": "names:\n  0: insulator\n  1: crack\n",
    "images/a.png": png(64, 48),
    "labels/a.txt": "1 0.5 0.5 0.25 0.25\n",
    "images/b.png": png(64, 48),
    "labels/b.txt": "0 0.5 0.5\n",
  });
  const { paths, errors } = await drain(readYolo(root));
  assert.deepEqual(paths, ["images/a.png"]);
  assert.deepEqual(codes(errors), ["UNSUPPORTED labels/b.txt"]);
  assert.match(errors[0]?.message ?? "", /line 1/);
});

test("TOO_MANY_BOXES: an image past the per-image box limit is skipped, in memory or spilled to disk, in every format", async () => {
  const boxes = (n: number) =>
    Array.from({ length: n }, (_, k) => ({
      id: k + 10,
      image_id: 2,
      category_id: 1,
      bbox: [k % 50, 2, 5, 5],
    }));
  const cocoFiles = (n: number) => ({
    "images/a.png": png(64, 48),
    "images/b.png": png(64, 48),
    "annotations/instances.json": coco({
      images: [
        { id: 1, file_name: "a.png", width: 64, height: 48 },
        { id: 2, file_name: "b.png", width: 64, height: 48 },
      ],
      annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [2, 3, 10, 12] }, ...boxes(n)],
    }),
  });
  // Within the limit, the image is read; one box over, it is refused and named.
  const within = await drain(readCoco(await folderOf(cocoFiles(20)), { maxBoxesPerImage: 20 }));
  assert.deepEqual(within.paths, ["images/a.png", "images/b.png"]);
  const over = await drain(readCoco(await folderOf(cocoFiles(21)), { maxBoxesPerImage: 20 }));
  assert.deepEqual(over.paths, ["images/a.png"]);
  assert.deepEqual(codes(over.errors), ["TOO_MANY_BOXES annotations/instances.json"]);
  assert.match(over.errors[0]!.message, /image 2 \(b\.png\): 21 boxes, over the limit of 20/);
  // Spilled to disk (partitions), the boxes past the limit are counted, not kept.
  const spilled = await drain(
    readCoco(await folderOf(cocoFiles(5000)), { maxBoxesPerImage: 20, spillAbove: 100 }),
  );
  assert.deepEqual(spilled.paths, ["images/a.png"]);
  assert.match(spilled.errors[0]!.message, /image 2 \(b\.png\): 5000 boxes, over the limit of 20/);
  // VOC and YOLO: the same limit on one label file.
  const many = Array.from(
    { length: 6 },
    (_, k) => ["crack", k + 1, 1, k + 5, 5] as [string, number, number, number, number],
  );
  const voc = await drain(
    readVoc(
      await folderOf({
        ...goodVoc,
        "JPEGImages/b.png": png(64, 48),
        "Annotations/b.xml": vocXmlOf("b.png", size, many),
      }),
      { maxBoxesPerImage: 5 },
    ),
  );
  assert.deepEqual(voc.paths, ["JPEGImages/good.png"]);
  assert.deepEqual(codes(voc.errors), ["TOO_MANY_BOXES Annotations/b.xml"]);
  const yolo = await drain(
    readYolo(
      await folderOf({
        "data.yaml": "names: [crack]\n",
        "images/train/a.png": png(100, 50),
        "labels/train/a.txt": "0 0.5 0.5 0.2 0.4\n".repeat(6),
      }),
      { maxBoxesPerImage: 5 },
    ),
  );
  assert.deepEqual(yolo.paths, []);
  assert.deepEqual(codes(yolo.errors), ["TOO_MANY_BOXES labels/train/a.txt"]);
});
