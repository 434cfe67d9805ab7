// Metadata-mode import: rows, counters against a full recount, idempotency, partial re-imports.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@gridfill/db";
import { imageKey } from "@gridfill/storage";
import { openFolder, readCoco, type FileTree } from "@gridfill/formats";
import {
  recomputeCounters,
  recomputeImageClasses,
  readCounters,
} from "@gridfill/core/balance/counters.ts";
import {
  importMetadata,
  uuidv7Source,
  type StoredObject,
} from "@gridfill/core/imports/metadata.ts";
import { addMissingBoxes } from "@gridfill/core/imports/boxes.ts";
import { changeBoxes, lockImages } from "@gridfill/core/balance/counters.ts";

let db: TestDatabase;
let dir: string;
before(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), "gridfill-metadata-test-"));
});
after(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

interface CocoImage {
  name: string;
  boxes: [category: number, x: number, y: number, w: number, h: number][];
}

const CATEGORIES = [
  { id: 1, name: "insulator" },
  { id: 2, name: "defect" },
];

/** A COCO file in its own folder, with a tree that lists the images without their bytes. */
async function cocoTree(name: string, images: CocoImage[]): Promise<FileTree> {
  const root = path.join(dir, name);
  const json = {
    images: images.map((im, i) => ({ id: i + 1, file_name: im.name, width: 640, height: 480 })),
    annotations: images
      .flatMap((im, i) =>
        im.boxes.map(([c, x, y, w, h]) => ({
          image_id: i + 1,
          category_id: c,
          bbox: [x, y, w, h],
        })),
      )
      .map((a, k) => ({ id: k + 1, ...a })),
    categories: CATEGORIES,
  };
  const { mkdir } = await import("node:fs/promises");
  await mkdir(root, { recursive: true });
  await writeFile(path.join(root, "instances.json"), JSON.stringify(json));
  const folder = openFolder(root);
  return {
    ...folder,
    listFiles: async () => ["instances.json", ...images.map((im) => `images/${im.name}`)],
  };
}

/** Objects keyed by content: `same-*.jpg` names share one object, to exercise in-file repeats. */
function objects(relPath: string): StoredObject | null {
  const base = path.posix.basename(relPath);
  if (base.startsWith("missing")) return null;
  const sha256 = createHash("sha256")
    .update(base.startsWith("same-") ? "same" : base)
    .digest("hex");
  return {
    key: imageKey(sha256, "jpg"),
    sha256,
    bytes: 1000,
    width: 640,
    height: 480,
    mimeType: "image/jpeg",
  };
}

async function dataset(name: string): Promise<string> {
  return (await db.prisma.dataset.create({ data: { name } })).id;
}

async function checkCounters(datasetId: string): Promise<void> {
  assert.deepEqual(
    await readCounters(db.prisma, datasetId),
    await recomputeCounters(db.prisma, datasetId),
  );
  const { expected, actual } = await recomputeImageClasses(db.prisma, datasetId);
  assert.deepEqual(actual, expected);
}

async function totals(datasetId: string) {
  const images = await db.prisma.image.count({ where: { datasetId } });
  const boxes = await db.prisma.annotation.count({ where: { image: { datasetId } } });
  return { images, boxes };
}

const FULL: CocoImage[] = [
  {
    name: "a.jpg",
    boxes: [
      [1, 10, 10, 50, 50],
      [2, 100, 100, 20.5, 30.25],
    ],
  },
  // Two identical boxes: both stay, and a re-import adds neither.
  {
    name: "b.jpg",
    boxes: [
      [1, 5, 5, 40, 40],
      [1, 5, 5, 40, 40],
      [2, 200, 200, 10, 10],
    ],
  },
  { name: "c.jpg", boxes: [] },
  // Same object twice in one file: one image, boxes merged as a multiset maximum.
  { name: "same-1.jpg", boxes: [[2, 1, 1, 10, 10]] },
  {
    name: "same-2.jpg",
    boxes: [
      [2, 1, 1, 10, 10],
      [1, 300, 300, 100, 100],
    ],
  },
  { name: "missing.jpg", boxes: [[1, 0, 0, 10, 10]] },
  { name: "d.jpg", boxes: [[2, 600, 400, 40, 80]] },
];

test("metadata import writes images, boxes and counters equal to a recount; twice adds nothing", async () => {
  const datasetId = await dataset("metadata-full");
  const batches: number[] = [];
  const first = await importMetadata(
    { pool: db.pool, prisma: db.prisma },
    {
      datasetId,
      source: readCoco(await cocoTree("full", FULL)),
      objects,
      batchSize: 2,
      onProgress: (p) => void batches.push(p.batches),
    },
  );
  assert.equal(first.records, 7);
  assert.equal(first.imagesAdded, 5);
  assert.equal(first.duplicates, 1);
  assert.equal(first.skipped, 1);
  assert.equal(first.errors[0]?.code, "MISSING_IMAGE");
  assert.equal(first.boxesAdded, 2 + 3 + 0 + 2 + 1);
  assert.ok(batches.length >= 3, "several batches");
  assert.deepEqual(await totals(datasetId), { images: 5, boxes: 8 });
  const classes = await db.prisma.defectClass.findMany({
    where: { datasetId },
    orderBy: { name: "asc" },
  });
  assert.deepEqual(
    classes.map((c) => c.name),
    ["defect", "insulator"],
  );
  const a = await db.prisma.image.findFirstOrThrow({ where: { datasetId, filename: "a.jpg" } });
  assert.equal(a.objectKey, objects("images/a.jpg")!.key);
  assert.equal(a.width, 640);
  await checkCounters(datasetId);
  const counters = await readCounters(db.prisma, datasetId);

  const again = await importMetadata(
    { pool: db.pool, prisma: db.prisma },
    { datasetId, source: readCoco(await cocoTree("full", FULL)), objects, batchSize: 3 },
  );
  assert.equal(again.imagesAdded, 0);
  assert.equal(again.boxesAdded, 0);
  assert.equal(again.duplicates, 6);
  assert.deepEqual(await totals(datasetId), { images: 5, boxes: 8 });
  assert.deepEqual(await readCounters(db.prisma, datasetId), counters);
  await checkCounters(datasetId);
});

test("a re-import adds only the missing boxes, keeping the existing images' state", async () => {
  const datasetId = await dataset("metadata-partial");
  const partial: CocoImage[] = [
    { name: "a.jpg", boxes: [[1, 10, 10, 50, 50]] },
    { name: "b.jpg", boxes: [[1, 5, 5, 40, 40]] },
  ];
  await importMetadata(
    { pool: db.pool, prisma: db.prisma },
    { datasetId, source: readCoco(await cocoTree("partial", partial)), objects, split: "VAL" },
  );
  await checkCounters(datasetId);
  const result = await importMetadata(
    { pool: db.pool, prisma: db.prisma },
    { datasetId, source: readCoco(await cocoTree("full2", FULL)), objects, batchSize: 4 },
  );
  assert.equal(result.imagesAdded, 3);
  assert.equal(result.boxesAdded, 1 + 2 + 2 + 1);
  assert.deepEqual(await totals(datasetId), { images: 5, boxes: 8 });
  // The boxes added to a and b count under VAL, the split those images already had.
  const a = await db.prisma.image.findFirstOrThrow({ where: { datasetId, filename: "a.jpg" } });
  assert.equal(a.split, "VAL");
  const rows = await db.prisma.imageClass.findMany({ where: { imageId: a.id } });
  assert.ok(rows.length === 2 && rows.every((r) => r.split === "VAL"));
  await checkCounters(datasetId);
  const audit = await db.prisma.auditEvent.count({
    where: { datasetId, action: "import.metadata" },
  });
  assert.ok(audit >= 2);
});

test("a box outside the stored image skips its record", async () => {
  const datasetId = await dataset("metadata-bounds");
  const small = (rel: string): StoredObject | null => {
    const o = objects(rel);
    return o && { ...o, width: 100, height: 100 };
  };
  const result = await importMetadata(
    { pool: db.pool, prisma: db.prisma },
    {
      datasetId,
      source: readCoco(
        await cocoTree("bounds", [FULL[0]!, { name: "e.jpg", boxes: [[1, 1, 1, 5, 5]] }]),
      ),
      objects: small,
    },
  );
  assert.equal(result.imagesAdded, 1);
  assert.equal(result.skipped, 1);
  assert.equal(result.errors[0]?.code, "BOX_OUT_OF_BOUNDS");
  await checkCounters(datasetId);
});

test("a refused object is reported with its reason; boxes per class are counted by name", async () => {
  const datasetId = await dataset("metadata-refused");
  const result = await importMetadata(
    { pool: db.pool, prisma: db.prisma },
    {
      datasetId,
      source: readCoco(
        await cocoTree("refused", [
          {
            name: "ok.jpg",
            boxes: [
              [1, 1, 1, 5, 5],
              [2, 10, 10, 5, 5],
              [2, 20, 20, 5, 5],
            ],
          },
          { name: "huge.jpg", boxes: [[1, 1, 1, 5, 5]] },
        ]),
      ),
      objects: (rel) =>
        rel.endsWith("huge.jpg") ? { refused: "over the size limit" } : objects(rel),
    },
  );
  assert.equal(result.imagesAdded, 1);
  assert.deepEqual(result.boxesPerClass, { insulator: 1, defect: 2 });
  assert.deepEqual(
    result.errors.map((e) => `${e.code} ${e.file} ${e.message}`),
    ["UNSUPPORTED images/huge.jpg over the size limit"],
  );
  await checkCounters(datasetId);
});

test("import ids are UUID v7, unique and in generation order", () => {
  const next = uuidv7Source();
  const ids = Array.from({ length: 10_000 }, () => next());
  for (const id of ids.slice(0, 50))
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual([...ids].sort(), ids);
  const ms = parseInt(ids[0]!.replace(/-/g, "").slice(0, 12), 16);
  assert.ok(Math.abs(ms - Date.now()) < 60_000);
});

test("batches written at once that share images end as a serial import does", async () => {
  // 60 records, 36 of them on one shared object (same-… names), each with its own boxes.
  const records: CocoImage[] = Array.from({ length: 60 }, (_, i) => ({
    name: i % 10 < 6 ? `same-${i}.jpg` : `own-${i}.jpg`,
    boxes: [
      [1 + (i % 2), 10 + (i % 7) * 20, 10 + (i % 5) * 30, 15, 15],
      [2, 300, 200, 10 + (i % 3), 10],
    ] as CocoImage["boxes"],
  }));
  const serial = await dataset("metadata-serial");
  const parallel = await dataset("metadata-parallel");
  const run = async (datasetId: string, name: string, writers: number) =>
    importMetadata(
      { pool: db.pool, prisma: db.prisma },
      {
        datasetId,
        source: readCoco(await cocoTree(name, records)),
        objects,
        batchSize: 3,
        writers,
      },
    );
  const one = await run(serial, "serial", 1);
  const four = await run(parallel, "parallel", 4);
  assert.equal(four.imagesAdded, one.imagesAdded);
  assert.equal(four.boxesAdded, one.boxesAdded);
  assert.deepEqual(await totals(parallel), await totals(serial));
  await checkCounters(parallel);
  const boxesOf = async (datasetId: string) =>
    (
      await db.pool.query(
        `SELECT i.sha256, c.name, a.x, a.y, a.width, a.height FROM "Annotation" a
         JOIN "Image" i ON i.id = a."imageId" JOIN "DefectClass" c ON c.id = a."classId"
         WHERE i."datasetId" = $1 ORDER BY 1, 2, 3, 4, 5, 6`,
        [datasetId],
      )
    ).rows;
  assert.deepEqual(await boxesOf(parallel), await boxesOf(serial));
});

test("boxes moved by rounding (within 0.5 px) are already present, for the metadata import as for the job", async () => {
  const datasetId = await dataset("metadata-rounding");
  const exact: CocoImage[] = [{ name: "r.jpg", boxes: [[1, 10.4, 20.2, 49.8, 39.9]] }];
  const rounded: CocoImage[] = [{ name: "r.jpg", boxes: [[1, 10, 20, 50, 40]] }];
  await importMetadata(
    { pool: db.pool, prisma: db.prisma },
    { datasetId, source: readCoco(await cocoTree("exact", exact)), objects },
  );
  const again = await importMetadata(
    { pool: db.pool, prisma: db.prisma },
    { datasetId, source: readCoco(await cocoTree("rounded", rounded)), objects },
  );
  assert.equal(again.boxesAdded, 0);
  // The job's rule is the same one: the rounded box is present, a box 1 px away is not.
  const image = await db.prisma.image.findFirstOrThrow({ where: { datasetId } });
  const [crack] = await db.prisma.defectClass.findMany({ where: { datasetId, name: "insulator" } });
  const named = (x: number) => ({
    classId: crack!.id,
    className: "insulator",
    box: { x, y: 20, width: 50, height: 40 },
  });
  const added = await addMissingBoxes(db.prisma, null, image.id, [named(10), named(11.5)]);
  assert.deepEqual(
    added.map((b) => b.box.x),
    [11.5],
  );
  assert.deepEqual(await totals(datasetId), { images: 1, boxes: 2 });
  await checkCounters(datasetId);
});

test("imported boxes on an image whose boxes of the class were all unreviewed predicted ones count it again", async () => {
  const datasetId = await dataset("metadata-prelabelled");
  const first: CocoImage[] = [
    { name: "p.jpg", boxes: [[1, 10, 10, 50, 50]] },
    { name: "q.jpg", boxes: [[1, 10, 10, 50, 50]] },
  ];
  await importMetadata(
    { pool: db.pool, prisma: db.prisma },
    { datasetId, source: readCoco(await cocoTree("prelabelled", first)), objects },
  );
  const defect =
    (await db.prisma.defectClass.findFirst({ where: { datasetId, name: "defect" } })) ??
    (await db.prisma.defectClass.create({ data: { datasetId, name: "defect" } }));
  // A pre-label of `defect` on each image, not reviewed, counted as pre-labelling counts it.
  await db.prisma.$transaction(async (tx) => {
    const images = await lockImages(
      tx,
      (await tx.image.findMany({ where: { datasetId } })).map((i) => i.id),
    );
    for (const image of images) {
      await tx.annotation.create({
        data: {
          imageId: image.id,
          classId: defect.id,
          x: 300,
          y: 300,
          width: 20,
          height: 20,
          source: "PREDICTED",
        },
      });
      const one = new Map([[defect.id, 1]]);
      await changeBoxes(tx, image, one, one);
    }
  });
  await checkCounters(datasetId);
  // p gets an imported `defect` box, q does not: p's unreviewed-only state ends, q's stays.
  const second: CocoImage[] = [
    { name: "p.jpg", boxes: [[2, 100, 100, 20, 20]] },
    { name: "q.jpg", boxes: [[1, 10, 10, 50, 50]] },
  ];
  const result = await importMetadata(
    { pool: db.pool, prisma: db.prisma },
    { datasetId, source: readCoco(await cocoTree("prelabelled-2", second)), objects },
  );
  assert.equal(result.boxesAdded, 1);
  await checkCounters(datasetId);
  const [row] = (await readCounters(db.prisma, datasetId)).filter((r) => r.classId === defect.id);
  assert.deepEqual(
    [row!.images, row!.boxes, row!.unreviewedPredictedImages, row!.unreviewedPredictedBoxes],
    [2, 3, 1, 2],
  );
});
