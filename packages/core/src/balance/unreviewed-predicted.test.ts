// Unreviewed predicted boxes (pre-labels) in the counters and the balance, against a real
// PostgreSQL: the counters equal a recount after every writer that makes, reviews, moves or
// deletes such boxes, the balance counts them or leaves them out as the dataset says, and switching
// the setting writes no counter.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createTestDatabase, type TestDatabase } from "@gridfill/db";
import { deleteAnnotation, updateAnnotation, createAnnotation } from "../annotations/service.ts";
import { updateDataset } from "../datasets/service.ts";
import { setImageSplit } from "../images/service.ts";
import { decideCandidate } from "../predictions/decisions.ts";
import { acceptPredictionsAbove } from "../predictions/detectors.ts";
import { uuidv7 } from "../ids.ts";
import { datasetBalance, datasetFillPlan } from "./service.ts";
import { referenceBoxes, referenceCandidates } from "../fills/service.ts";
import {
  deleteImagesCounted,
  lockImages,
  readCounters,
  recomputeCounters,
  recomputeImageClasses,
} from "./counters.ts";

let db: TestDatabase;
let datasetId: string;
const classes: Record<string, string> = {};
const images: string[] = [];
const curator = { id: "00000000-0000-7000-8000-000000000001", email: "curator@example.com" };

before(async () => {
  db = await createTestDatabase();
  datasetId = (await db.prisma.dataset.create({ data: { name: "prelabelled" } })).id;
  for (const name of ["A", "B", "C"])
    classes[name] = (await db.prisma.defectClass.create({ data: { datasetId, name } })).id;
  for (let i = 0; i < 5; i++) {
    const image = await db.prisma.image.create({
      data: {
        datasetId,
        sha256: `${i}`.padStart(64, "0"),
        objectKey: `images/${i}.png`,
        mimeType: "image/png",
        width: 200,
        height: 100,
        bytes: 10,
        filename: `scene-${i}.png`,
        split: "TRAIN",
      },
    });
    images.push(image.id);
  }
  // Image 0 has a human box of A; the others have none, so pre-labelling reaches them only.
  await createAnnotation(db.prisma, curator, images[0]!, {
    classId: classes.A!,
    box: { x: 10, y: 10, width: 20, height: 20 },
  });
});

after(async () => {
  await db?.drop();
});

async function checkCounters(step: string): Promise<void> {
  assert.deepEqual(
    await readCounters(db.prisma, datasetId),
    await recomputeCounters(db.prisma, datasetId),
    `counters after ${step}`,
  );
  const { expected, actual } = await recomputeImageClasses(db.prisma, datasetId);
  assert.deepEqual(actual, expected, `image classes after ${step}`);
}

/** Per class name: [images, boxes] of the balance under the dataset's current setting. */
async function balance(): Promise<Record<string, [number, number]>> {
  const dataset = await db.prisma.dataset.findUniqueOrThrow({ where: { id: datasetId } });
  const { stats } = await datasetBalance(db.prisma, dataset);
  return Object.fromEntries(stats.classes.map((c) => [c.name, [c.images, c.boxes]]));
}

async function setCounted(value: boolean): Promise<void> {
  await updateDataset(db.prisma, curator, datasetId, { countUnreviewedPredicted: value });
}

async function boxOf(image: number, className: string) {
  return db.prisma.annotation.findFirstOrThrow({
    where: { imageId: images[image]!, classId: classes[className]! },
    orderBy: { id: "asc" },
  });
}

test("pre-labels, reviews, edits and deletes keep the counters exact; the setting decides what the balance counts", async () => {
  const version = await db.prisma.datasetVersion.create({
    data: { datasetId, number: 1, manifestKey: "m", manifestSha256: "0", images: 5, boxes: 1 },
  });
  const run = await db.prisma.predictionRun.create({
    data: {
      datasetId,
      versionId: version.id,
      split: "TRAIN",
      source: "IMPORT",
      format: "COCO",
      status: "SUCCEEDED",
    },
  });
  const predictions: [number, string, number][] = [
    [0, "A", 0.99], // image 0 has a box already: not pre-labelled
    [1, "A", 0.9],
    [1, "A", 0.8],
    [2, "A", 0.9],
    [2, "B", 0.7],
    [3, "B", 0.95],
    [4, "C", 0.6],
    [4, "C", 0.2], // below the score
  ];
  await db.prisma.prediction.createMany({
    data: predictions.map(([image, className, score], k) => ({
      id: uuidv7(),
      runId: run.id,
      imageId: images[image]!,
      classId: classes[className]!,
      x: 10 + k * 20,
      y: 10,
      width: 15,
      height: 15,
      score,
    })),
  });

  assert.deepEqual(await acceptPredictionsAbove(db.prisma, curator, run.id, 0.5), {
    boxes: 6,
    images: 4,
  });
  await checkCounters("pre-labelling");
  // Counted by default, as every box was before the setting existed.
  assert.deepEqual(await balance(), { A: [3, 4], B: [2, 2], C: [1, 1] });
  await setCounted(false);
  // Only image 0's human box is left.
  assert.deepEqual(await balance(), { A: [1, 1], B: [0, 0], C: [0, 0] });

  // Confirmed: image 3's B box counts like any box.
  const b3 = await boxOf(3, "B");
  await decideCandidate(db.prisma, curator, run.id, `SPURIOUS_LABEL:${b3.id}`, {
    action: "CONFIRM",
  });
  await checkCounters("a confirmation");
  // Edited by a human in the annotator: one of image 1's two A boxes, now corrected.
  const a1 = await boxOf(1, "A");
  const edited = await updateAnnotation(db.prisma, curator, a1.id, {
    box: { x: 12, y: 12, width: 30, height: 30 },
  });
  assert.equal(edited.review, "CORRECTED");
  await checkCounters("an edit");
  // Fixed from the label-error queue with a new class: image 2's B box becomes a corrected C.
  const b2 = await boxOf(2, "B");
  const fixed = await decideCandidate(db.prisma, curator, run.id, `SPURIOUS_LABEL:${b2.id}`, {
    action: "FIX",
    classId: classes.C!,
  });
  assert.equal(fixed.annotation?.review, "CORRECTED");
  await checkCounters("a class fix");
  // Deleted while unreviewed: image 4's C box.
  await deleteAnnotation(db.prisma, curator, (await boxOf(4, "C")).id);
  await checkCounters("a delete");

  // Left out: image 1 counts for A by its corrected box only, image 2's A box not at all.
  assert.deepEqual(await balance(), { A: [2, 2], B: [1, 1], C: [1, 1] });
  await setCounted(true);
  assert.deepEqual(await balance(), { A: [3, 4], B: [1, 1], C: [1, 1] });

  // The fill plan reads the same counts: A's real train images with and without image 2.
  const plan = async () => {
    const dataset = await db.prisma.dataset.findUniqueOrThrow({ where: { id: datasetId } });
    const { plan } = await datasetFillPlan(db.prisma, dataset, { kind: "TO_MAX" }, 1);
    return plan.classes.map((c) => c.realTrainImages);
  };
  assert.deepEqual(await plan(), [3, 1, 1]);
  await setCounted(false);
  assert.deepEqual(await plan(), [2, 1, 1]);

  // So do a fill's references: image 2's only A box is an unreviewed pre-label, and image 1 gives
  // its corrected box, never the pre-label beside it.
  const references = async () => {
    const ids = await referenceCandidates(db.prisma, datasetId, classes.A!);
    const boxes = await referenceBoxes(db.prisma, classes.A!, images.slice(0, 3));
    return { ids, boxes: [...boxes.values()].map((b) => b.annotationId).sort() };
  };
  const human = [(await boxOf(0, "A")).id, edited.id].sort();
  assert.deepEqual(await references(), {
    ids: [images[0]!, images[1]!].sort(),
    boxes: human,
  });
  await setCounted(true);
  const counted = await references();
  assert.deepEqual(counted.ids, images.slice(0, 3).sort());
  assert.equal(counted.boxes.length, 3);
  await setCounted(false);
});

test("switching the setting writes no counter, and is audited", async () => {
  const snapshot = () =>
    db.pool
      .query(
        `SELECT xmin::text AS version, "classId"::text, split::text, images, boxes,
                "unreviewedPredictedImages", "unreviewedPredictedBoxes"
         FROM "ClassCounter" WHERE "datasetId" = $1 ORDER BY 2, 3`,
        [datasetId],
      )
      .then((r) => r.rows);
  const before = await snapshot();
  assert.ok(before.some((r) => r.unreviewedPredictedBoxes > 0));
  await setCounted(true);
  const counted = await balance();
  await setCounted(false);
  assert.notDeepEqual(await balance(), counted);
  assert.deepEqual(await snapshot(), before, "no counter row was written");
  const events = await db.prisma.auditEvent.findMany({
    where: { datasetId, action: "dataset.update" },
    orderBy: { id: "desc" },
    take: 1,
  });
  assert.deepEqual(events[0]?.details, { countUnreviewedPredicted: false });
});

test("moving and deleting images with unreviewed predicted boxes keep the counters exact", async () => {
  await setImageSplit(db.prisma, curator, [images[1]!, images[2]!], "VAL");
  await checkCounters("a split change");
  await db.prisma.$transaction(async (tx) => {
    await deleteImagesCounted(tx, await lockImages(tx, [images[2]!]));
  });
  await checkCounters("an image delete");
  // Image 1's unreviewed A box, now in VAL, is the one left out.
  const dataset = await db.prisma.dataset.findUniqueOrThrow({ where: { id: datasetId } });
  const { stats } = await datasetBalance(db.prisma, dataset, { splits: ["VAL"] });
  const a = stats.classes.find((c) => c.name === "A")!;
  assert.deepEqual([a.images, a.boxes], [1, 1]);
  assert.deepEqual(a.unreviewedPredicted, { images: 0, boxes: 1 });
});
