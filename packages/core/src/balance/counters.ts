// The one place that maintains the denormalised class tables, in the caller's transaction:
//   ImageClass   — one row per (image, class) with the image's boxes of that class, and the image's
//                  split / origin / review state copied in (so class-filtered pages are index scans);
//   ClassCounter — per (dataset, class, split, origin, review state): images = number of ImageClass
//                  rows, boxes = sum of their boxes.
// Both keep the unreviewed predicted part beside the totals (boxes of source PREDICTED that no human
// has confirmed or corrected): ImageClass.unreviewedPredicted counts them on the image, and
// ClassCounter sums them (unreviewedPredictedBoxes) and counts the rows whose boxes are all of them
// (unreviewedPredictedImages), so the balance can leave them out without scanning anything.
// Every writer (annotations, split or review changes, deletes, uploads with boxes, imports, fills)
// goes through these functions (bulk metadata imports through the SQL of `addedBoxesCounted`), and every function expects the touched Image rows to be locked
// (`lockImages`) so that the state copied into ImageClass is the committed one.
import type { Origin, ReviewState, Split } from "@gridfill/balance";
import type { Tx } from "../audit/record.ts";

export interface ImageState {
  id: string;
  datasetId: string;
  split: Split;
  origin: Origin;
  reviewState: ReviewState;
}

export interface CounterKey {
  datasetId: string;
  classId: string;
  split: Split;
  origin: Origin;
  reviewState: ReviewState;
}

export interface CounterDelta extends CounterKey {
  images: number;
  boxes: number;
  /** Change of the images whose boxes of the class are all unreviewed predicted ones; 0 if absent. */
  unreviewedPredictedImages?: number;
  /** Change of the unreviewed predicted boxes; 0 if absent. */
  unreviewedPredictedBoxes?: number;
}

/** A box that came from a prediction and that no human has confirmed or corrected yet. */
export function isUnreviewedPredicted(box: { source: string; review?: string | null }): boolean {
  return box.source === "PREDICTED" && (box.review ?? "UNREVIEWED") === "UNREVIEWED";
}

/** Counted as an image of the class only while one of its boxes is not unreviewed predicted. */
const allUnreviewed = (boxes: number, unreviewed: number) =>
  boxes > 0 && unreviewed === boxes ? 1 : 0;

const keyString = (k: CounterKey) =>
  `${k.datasetId}|${k.classId}|${k.split}|${k.origin}|${k.reviewState}`;

/** Locks the images (in id order, so concurrent bulk writers cannot deadlock) and returns their state. */
export async function lockImages(tx: Tx, imageIds: readonly string[]): Promise<ImageState[]> {
  if (imageIds.length === 0) return [];
  return tx.$queryRaw<ImageState[]>`
    SELECT id::text AS id, "datasetId"::text AS "datasetId", split::text AS split, origin::text AS origin,
           "reviewState"::text AS "reviewState"
    FROM "Image" WHERE id = ANY(${[...imageIds]}::uuid[])
    ORDER BY id FOR UPDATE`;
}

/** Adds deltas to ClassCounter with one upsert (`images = images + n`), after summing equal keys. */
export async function applyCounterDeltas(tx: Tx, deltas: readonly CounterDelta[]): Promise<void> {
  const summed = new Map<string, Required<CounterDelta>>();
  for (const d of deltas) {
    const key = keyString(d);
    const acc = summed.get(key);
    const upImages = d.unreviewedPredictedImages ?? 0;
    const upBoxes = d.unreviewedPredictedBoxes ?? 0;
    if (acc) {
      acc.images += d.images;
      acc.boxes += d.boxes;
      acc.unreviewedPredictedImages += upImages;
      acc.unreviewedPredictedBoxes += upBoxes;
    } else
      summed.set(key, {
        ...d,
        unreviewedPredictedImages: upImages,
        unreviewedPredictedBoxes: upBoxes,
      });
  }
  const rows = [...summed.values()].filter(
    (d) =>
      d.images !== 0 ||
      d.boxes !== 0 ||
      d.unreviewedPredictedImages !== 0 ||
      d.unreviewedPredictedBoxes !== 0,
  );
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "ClassCounter" ("datasetId", "classId", split, origin, "reviewState", images, boxes,
                                "unreviewedPredictedImages", "unreviewedPredictedBoxes")
    SELECT * FROM unnest(
      ${rows.map((r) => r.datasetId)}::uuid[], ${rows.map((r) => r.classId)}::uuid[],
      ${rows.map((r) => r.split)}::text[]::"Split"[], ${rows.map((r) => r.origin)}::text[]::"Origin"[],
      ${rows.map((r) => r.reviewState)}::text[]::"ReviewState"[],
      ${rows.map((r) => r.images)}::int[], ${rows.map((r) => r.boxes)}::int[],
      ${rows.map((r) => r.unreviewedPredictedImages)}::int[], ${rows.map((r) => r.unreviewedPredictedBoxes)}::int[])
    ON CONFLICT ("datasetId", "classId", split, origin, "reviewState") DO UPDATE
      SET images = "ClassCounter".images + EXCLUDED.images, boxes = "ClassCounter".boxes + EXCLUDED.boxes,
          "unreviewedPredictedImages" = "ClassCounter"."unreviewedPredictedImages" + EXCLUDED."unreviewedPredictedImages",
          "unreviewedPredictedBoxes" = "ClassCounter"."unreviewedPredictedBoxes" + EXCLUDED."unreviewedPredictedBoxes"`;
}

/**
 * Records box changes on one (locked) image: `boxesByClass` maps a class id to the number of boxes
 * added (positive) or removed (negative), and `unreviewedByClass` how many of those are unreviewed
 * predicted boxes; a review alone (a predicted box confirmed or corrected) is 0 boxes and −1
 * unreviewed. An ImageClass row appears with its first box and goes away with its last.
 */
export async function changeBoxes(
  tx: Tx,
  image: ImageState,
  boxesByClass: ReadonlyMap<string, number>,
  unreviewedByClass: ReadonlyMap<string, number> = new Map(),
): Promise<void> {
  const classIds = [...new Set([...boxesByClass.keys(), ...unreviewedByClass.keys()])].filter(
    (c) => (boxesByClass.get(c) ?? 0) !== 0 || (unreviewedByClass.get(c) ?? 0) !== 0,
  );
  if (classIds.length === 0) return;
  const amounts = classIds.map((c) => boxesByClass.get(c) ?? 0);
  const unreviewed = classIds.map((c) => unreviewedByClass.get(c) ?? 0);
  const rows = await tx.$queryRaw<
    { classId: string; boxes: number; unreviewedPredicted: number; inserted: boolean }[]
  >`
    INSERT INTO "ImageClass" ("imageId", "classId", "datasetId", split, origin, "reviewState", boxes,
                              "unreviewedPredicted")
    SELECT ${image.id}::uuid, c.id, ${image.datasetId}::uuid, ${image.split}::text::"Split",
           ${image.origin}::text::"Origin", ${image.reviewState}::text::"ReviewState", c.n, c.u
    FROM unnest(${classIds}::uuid[], ${amounts}::int[], ${unreviewed}::int[]) AS c(id, n, u)
    ON CONFLICT ("imageId", "classId") DO UPDATE
      SET boxes = "ImageClass".boxes + EXCLUDED.boxes,
          "unreviewedPredicted" = "ImageClass"."unreviewedPredicted" + EXCLUDED."unreviewedPredicted"
    RETURNING "classId"::text AS "classId", boxes, "unreviewedPredicted", (xmax = 0) AS inserted`;

  const deltas: CounterDelta[] = [];
  const emptied: string[] = [];
  for (const row of rows) {
    const added = boxesByClass.get(row.classId) ?? 0;
    const addedUnreviewed = unreviewedByClass.get(row.classId) ?? 0;
    if (
      row.boxes < 0 ||
      (row.inserted && row.boxes === 0) ||
      row.unreviewedPredicted < 0 ||
      row.unreviewedPredicted > row.boxes
    ) {
      throw new Error(
        `box count of class ${row.classId} on image ${image.id} would become ${row.boxes} (${row.unreviewedPredicted} unreviewed predicted)`,
      );
    }
    let images = 0;
    if (row.inserted) images = 1;
    else if (row.boxes === 0) {
      images = -1;
      emptied.push(row.classId);
    }
    const before = row.inserted
      ? 0
      : allUnreviewed(row.boxes - added, row.unreviewedPredicted - addedUnreviewed);
    deltas.push({
      datasetId: image.datasetId,
      classId: row.classId,
      split: image.split,
      origin: image.origin,
      reviewState: image.reviewState,
      images,
      boxes: added,
      unreviewedPredictedImages: allUnreviewed(row.boxes, row.unreviewedPredicted) - before,
      unreviewedPredictedBoxes: addedUnreviewed,
    });
  }
  if (emptied.length) {
    await tx.$executeRaw`DELETE FROM "ImageClass" WHERE "imageId" = ${image.id}::uuid AND "classId" = ANY(${emptied}::uuid[]) AND boxes = 0`;
  }
  await applyCounterDeltas(tx, deltas);
}

/**
 * New images (not yet counted) with `boxes` boxes of one class each, `unreviewed` of them
 * unreviewed predicted ones, all in the same counter key: their ImageClass rows and one counter
 * delta, set-based. The batched form of `changeBoxes` for writers that add many fresh images at
 * once (fills).
 */
export async function addNewImagesOfClass(
  tx: Tx,
  key: CounterKey,
  imageIds: readonly string[],
  boxes: number,
  unreviewed = 0,
): Promise<void> {
  if (imageIds.length === 0) return;
  if (!Number.isInteger(boxes) || boxes < 1)
    throw new Error(`boxes must be a positive integer, got ${boxes}`);
  if (!Number.isInteger(unreviewed) || unreviewed < 0 || unreviewed > boxes)
    throw new Error(`unreviewed must be a whole number from 0 to ${boxes}, got ${unreviewed}`);
  await tx.$executeRaw`
    INSERT INTO "ImageClass" ("imageId", "classId", "datasetId", split, origin, "reviewState", boxes,
                              "unreviewedPredicted")
    SELECT id, ${key.classId}::uuid, ${key.datasetId}::uuid, ${key.split}::text::"Split",
           ${key.origin}::text::"Origin", ${key.reviewState}::text::"ReviewState", ${boxes}, ${unreviewed}
    FROM unnest(${[...imageIds]}::uuid[]) AS id`;
  await applyCounterDeltas(tx, [
    {
      ...key,
      images: imageIds.length,
      boxes: boxes * imageIds.length,
      unreviewedPredictedImages: allUnreviewed(boxes, unreviewed) * imageIds.length,
      unreviewedPredictedBoxes: unreviewed * imageIds.length,
    },
  ]);
}

/**
 * The set-based form of `changeBoxes` for bulk writers that add boxes to many locked images in one
 * statement (metadata imports): CTEs to put after the writer's own, ending in `counted`. `added` is
 * a relation ("imageId", "classId", n: boxes added), `images` one (id, split, origin,
 * "reviewState") of the images' committed state, and `datasetId` the SQL for the dataset's id.
 */
export function addedBoxesCounted(added: string, images: string, datasetId: string): string {
  return `
  -- The rows whose boxes were all unreviewed predicted ones, read before the insert below (one
  -- snapshot for the statement): an added box (never a predicted one) ends that. Looked up only
  -- when the dataset has such rows at all (the EXISTS is a one-time filter).
  was_unreviewed AS (
    SELECT c."classId", s.split, s.origin, s."reviewState"
    FROM ${added} a JOIN "ImageClass" c ON c."imageId" = a."imageId" AND c."classId" = a."classId"
    JOIN ${images} s ON s.id = a."imageId"
    WHERE c."unreviewedPredicted" > 0 AND c."unreviewedPredicted" = c.boxes
      AND EXISTS (SELECT 1 FROM "ClassCounter" WHERE "datasetId" = ${datasetId}::uuid
                  AND "unreviewedPredictedImages" > 0)),
  ic AS (
    INSERT INTO "ImageClass" ("imageId", "classId", "datasetId", split, origin, "reviewState", boxes)
    SELECT a."imageId", a."classId", ${datasetId}::uuid, s.split, s.origin, s."reviewState", a.n
    FROM ${added} a JOIN ${images} s ON s.id = a."imageId"
    ORDER BY 1, 2
    ON CONFLICT ("imageId", "classId") DO UPDATE SET boxes = "ImageClass".boxes + EXCLUDED.boxes
    RETURNING "classId", split, origin, "reviewState", (xmax = 0) AS inserted),
  -- Images from the rows ImageClass gained, boxes from what went in: no join between CTEs (their
  -- row counts are unknown to the planner, which then picks nested loops).
  deltas AS (
    SELECT "classId", split, origin, "reviewState", count(*) FILTER (WHERE inserted)::int AS images,
           0 AS boxes, 0 AS unreviewed
    FROM ic GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT a."classId", s.split, s.origin, s."reviewState", 0, sum(a.n)::int, 0
    FROM ${added} a JOIN ${images} s ON s.id = a."imageId" GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT "classId", split, origin, "reviewState", 0, 0, -count(*)::int
    FROM was_unreviewed GROUP BY 1, 2, 3, 4),
  counted AS (
    INSERT INTO "ClassCounter" ("datasetId", "classId", split, origin, "reviewState", images, boxes,
                                "unreviewedPredictedImages")
    SELECT ${datasetId}::uuid, "classId", split, origin, "reviewState", sum(images)::int, sum(boxes)::int,
           sum(unreviewed)::int
    FROM deltas GROUP BY 2, 3, 4, 5
    ORDER BY 2, 3, 4, 5
    ON CONFLICT ("datasetId", "classId", split, origin, "reviewState") DO UPDATE
      SET images = "ClassCounter".images + EXCLUDED.images,
          boxes = "ClassCounter".boxes + EXCLUDED.boxes,
          "unreviewedPredictedImages" = "ClassCounter"."unreviewedPredictedImages" + EXCLUDED."unreviewedPredictedImages"
    RETURNING boxes)`;
}

interface ImageClassRow {
  imageId: string;
  classId: string;
  datasetId: string;
  split: Split;
  origin: Origin;
  reviewState: ReviewState;
  boxes: number;
  unreviewedPredicted: number;
}

function imageClassRows(tx: Tx, imageIds: readonly string[]): Promise<ImageClassRow[]> {
  return tx.$queryRaw<ImageClassRow[]>`
    SELECT "imageId"::text AS "imageId", "classId"::text AS "classId", "datasetId"::text AS "datasetId",
           split::text AS split, origin::text AS origin, "reviewState"::text AS "reviewState", boxes,
           "unreviewedPredicted"
    FROM "ImageClass" WHERE "imageId" = ANY(${[...imageIds]}::uuid[])`;
}

/** What one ImageClass row adds to its counter (negated with `sign` −1). */
function rowCounts(row: ImageClassRow, sign: 1 | -1) {
  return {
    images: sign,
    boxes: sign * row.boxes,
    unreviewedPredictedImages: sign * allUnreviewed(row.boxes, row.unreviewedPredicted),
    unreviewedPredictedBoxes: sign * row.unreviewedPredicted,
  };
}

export interface ImageStateChange {
  split?: Split;
  origin?: Origin;
  reviewState?: ReviewState;
}

/**
 * Moves (locked) images to a new split / origin / review state, moving their counts between
 * counter keys. Returns the ids of images that actually changed.
 */
export async function changeImageState(
  tx: Tx,
  images: readonly ImageState[],
  change: ImageStateChange,
): Promise<string[]> {
  const moved = images.filter(
    (i) =>
      (change.split !== undefined && change.split !== i.split) ||
      (change.origin !== undefined && change.origin !== i.origin) ||
      (change.reviewState !== undefined && change.reviewState !== i.reviewState),
  );
  if (moved.length === 0) return [];
  const ids = moved.map((i) => i.id);
  const deltas: CounterDelta[] = [];
  for (const row of await imageClassRows(tx, ids)) {
    deltas.push({ ...row, ...rowCounts(row, -1) });
    deltas.push({
      ...row,
      split: change.split ?? row.split,
      origin: change.origin ?? row.origin,
      reviewState: change.reviewState ?? row.reviewState,
      ...rowCounts(row, 1),
    });
  }
  const split = change.split ?? null;
  const origin = change.origin ?? null;
  const review = change.reviewState ?? null;
  await tx.$executeRaw`
    UPDATE "ImageClass" SET split = COALESCE(${split}::text::"Split", split),
      origin = COALESCE(${origin}::text::"Origin", origin),
      "reviewState" = COALESCE(${review}::text::"ReviewState", "reviewState")
    WHERE "imageId" = ANY(${ids}::uuid[])`;
  await tx.$executeRaw`
    UPDATE "Image" SET split = COALESCE(${split}::text::"Split", split),
      origin = COALESCE(${origin}::text::"Origin", origin),
      "reviewState" = COALESCE(${review}::text::"ReviewState", "reviewState"),
      "updatedAt" = now()
    WHERE id = ANY(${ids}::uuid[])`;
  await applyCounterDeltas(tx, deltas);
  return ids;
}

/** Deletes (locked) images with their boxes, taking their counts off the counters. */
export async function deleteImagesCounted(tx: Tx, images: readonly ImageState[]): Promise<void> {
  if (images.length === 0) return;
  const ids = images.map((i) => i.id);
  const deltas = (await imageClassRows(tx, ids)).map((row) => ({ ...row, ...rowCounts(row, -1) }));
  // ImageClass rows and annotations go with the image (ON DELETE CASCADE).
  await tx.$executeRaw`DELETE FROM "Image" WHERE id = ANY(${ids}::uuid[])`;
  await applyCounterDeltas(tx, deltas);
}

export interface CounterRowValue extends CounterKey {
  images: number;
  boxes: number;
  unreviewedPredictedImages: number;
  unreviewedPredictedBoxes: number;
}

/** The maintained counters of a dataset (non-zero rows), in a stable order. */
export async function readCounters(db: Tx, datasetId: string): Promise<CounterRowValue[]> {
  return db.$queryRaw<CounterRowValue[]>`
    SELECT "datasetId"::text AS "datasetId", "classId"::text AS "classId", split::text AS split,
           origin::text AS origin, "reviewState"::text AS "reviewState", images, boxes,
           "unreviewedPredictedImages", "unreviewedPredictedBoxes"
    FROM "ClassCounter" WHERE "datasetId" = ${datasetId}::uuid AND (images <> 0 OR boxes <> 0)
    ORDER BY "classId", split, origin, "reviewState"`;
}

// Per (image, class) from the boxes themselves: what ImageClass should hold.
const IMAGE_CLASSES_FROM_ANNOTATIONS = `
  SELECT a."imageId", a."classId", i."datasetId", i.split, i.origin, i."reviewState", count(*)::int AS boxes,
         (count(*) FILTER (WHERE a.source = 'PREDICTED' AND a.review = 'UNREVIEWED'))::int AS "unreviewedPredicted"
  FROM "Annotation" a JOIN "Image" i ON i.id = a."imageId" WHERE i."datasetId" = $1::uuid
  GROUP BY 1, 2, 3, 4, 5, 6`;

/**
 * The counters recounted from scratch from Image and Annotation (no writes). Only the test that
 * proves the incremental maintenance right, and `rebuildCounters`, use it.
 */
export async function recomputeCounters(db: Tx, datasetId: string): Promise<CounterRowValue[]> {
  return db.$queryRawUnsafe<CounterRowValue[]>(
    `SELECT "datasetId"::text AS "datasetId", "classId"::text AS "classId", split::text AS split,
            origin::text AS origin, "reviewState"::text AS "reviewState",
            count(*)::int AS images, sum(boxes)::int AS boxes,
            (count(*) FILTER (WHERE boxes = "unreviewedPredicted"))::int AS "unreviewedPredictedImages",
            sum("unreviewedPredicted")::int AS "unreviewedPredictedBoxes"
     FROM (${IMAGE_CLASSES_FROM_ANNOTATIONS}) ic
     GROUP BY "datasetId", "classId", split, origin, "reviewState"
     ORDER BY "classId", split, origin, "reviewState"`,
    datasetId,
  );
}

/** ImageClass recounted from annotations, for the same check. */
export async function recomputeImageClasses(db: Tx, datasetId: string) {
  const expected = await db.$queryRawUnsafe<ImageClassRow[]>(
    `SELECT "imageId"::text AS "imageId", "classId"::text AS "classId", "datasetId"::text AS "datasetId",
            split::text AS split, origin::text AS origin, "reviewState"::text AS "reviewState", boxes,
            "unreviewedPredicted"
     FROM (${IMAGE_CLASSES_FROM_ANNOTATIONS}) ic ORDER BY 1, 2`,
    datasetId,
  );
  const actual = await db.$queryRaw<ImageClassRow[]>`
    SELECT "imageId"::text AS "imageId", "classId"::text AS "classId", "datasetId"::text AS "datasetId",
           split::text AS split, origin::text AS origin, "reviewState"::text AS "reviewState", boxes,
           "unreviewedPredicted"
    FROM "ImageClass" WHERE "datasetId" = ${datasetId}::uuid ORDER BY 1, 2`;
  return { expected, actual };
}

/** Rewrites a dataset's ImageClass and ClassCounter rows from its annotations (repair tool). */
export async function rebuildCounters(tx: Tx, datasetId: string): Promise<void> {
  await tx.$executeRaw`DELETE FROM "ImageClass" WHERE "datasetId" = ${datasetId}::uuid`;
  await tx.$executeRaw`DELETE FROM "ClassCounter" WHERE "datasetId" = ${datasetId}::uuid`;
  await tx.$executeRawUnsafe(
    `INSERT INTO "ImageClass" ("imageId", "classId", "datasetId", split, origin, "reviewState", boxes,
                               "unreviewedPredicted")
     ${IMAGE_CLASSES_FROM_ANNOTATIONS}`,
    datasetId,
  );
  await tx.$executeRaw`
    INSERT INTO "ClassCounter" ("datasetId", "classId", split, origin, "reviewState", images, boxes,
                                "unreviewedPredictedImages", "unreviewedPredictedBoxes")
    SELECT "datasetId", "classId", split, origin, "reviewState", count(*)::int, sum(boxes)::int,
           (count(*) FILTER (WHERE boxes = "unreviewedPredicted"))::int, sum("unreviewedPredicted")::int
    FROM "ImageClass" WHERE "datasetId" = ${datasetId}::uuid GROUP BY 1, 2, 3, 4, 5`;
}
