// The one place that maintains the denormalised class tables, in the caller's transaction:
//   ImageClass   — one row per (image, class) with the image's boxes of that class, and the image's
//                  split / origin / review state copied in (so class-filtered pages are index scans);
//   ClassCounter — per (dataset, class, split, origin, review state): images = number of ImageClass
//                  rows, boxes = sum of their boxes.
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
}

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
  const summed = new Map<string, CounterDelta>();
  for (const d of deltas) {
    const key = keyString(d);
    const acc = summed.get(key);
    if (acc) {
      acc.images += d.images;
      acc.boxes += d.boxes;
    } else summed.set(key, { ...d });
  }
  const rows = [...summed.values()].filter((d) => d.images !== 0 || d.boxes !== 0);
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "ClassCounter" ("datasetId", "classId", split, origin, "reviewState", images, boxes)
    SELECT * FROM unnest(
      ${rows.map((r) => r.datasetId)}::uuid[], ${rows.map((r) => r.classId)}::uuid[],
      ${rows.map((r) => r.split)}::text[]::"Split"[], ${rows.map((r) => r.origin)}::text[]::"Origin"[],
      ${rows.map((r) => r.reviewState)}::text[]::"ReviewState"[],
      ${rows.map((r) => r.images)}::int[], ${rows.map((r) => r.boxes)}::int[])
    ON CONFLICT ("datasetId", "classId", split, origin, "reviewState") DO UPDATE
      SET images = "ClassCounter".images + EXCLUDED.images, boxes = "ClassCounter".boxes + EXCLUDED.boxes`;
}

/**
 * Records box changes on one (locked) image: `boxesByClass` maps a class id to the number of boxes
 * added (positive) or removed (negative). An ImageClass row appears with its first box and goes
 * away with its last.
 */
export async function changeBoxes(
  tx: Tx,
  image: ImageState,
  boxesByClass: ReadonlyMap<string, number>,
): Promise<void> {
  const changes = [...boxesByClass].filter(([, n]) => n !== 0);
  if (changes.length === 0) return;
  const classIds = changes.map(([c]) => c);
  const amounts = changes.map(([, n]) => n);
  const rows = await tx.$queryRaw<{ classId: string; boxes: number; inserted: boolean }[]>`
    INSERT INTO "ImageClass" ("imageId", "classId", "datasetId", split, origin, "reviewState", boxes)
    SELECT ${image.id}::uuid, c.id, ${image.datasetId}::uuid, ${image.split}::text::"Split",
           ${image.origin}::text::"Origin", ${image.reviewState}::text::"ReviewState", c.n
    FROM unnest(${classIds}::uuid[], ${amounts}::int[]) AS c(id, n)
    ON CONFLICT ("imageId", "classId") DO UPDATE SET boxes = "ImageClass".boxes + EXCLUDED.boxes
    RETURNING "classId"::text AS "classId", boxes, (xmax = 0) AS inserted`;

  const deltas: CounterDelta[] = [];
  const emptied: string[] = [];
  for (const row of rows) {
    const added = boxesByClass.get(row.classId) ?? 0;
    if (row.boxes < 0 || (row.inserted && row.boxes === 0)) {
      throw new Error(
        `box count of class ${row.classId} on image ${image.id} would become ${row.boxes}`,
      );
    }
    let images = 0;
    if (row.inserted) images = 1;
    else if (row.boxes === 0) {
      images = -1;
      emptied.push(row.classId);
    }
    deltas.push({
      datasetId: image.datasetId,
      classId: row.classId,
      split: image.split,
      origin: image.origin,
      reviewState: image.reviewState,
      images,
      boxes: added,
    });
  }
  if (emptied.length) {
    await tx.$executeRaw`DELETE FROM "ImageClass" WHERE "imageId" = ${image.id}::uuid AND "classId" = ANY(${emptied}::uuid[]) AND boxes = 0`;
  }
  await applyCounterDeltas(tx, deltas);
}

/**
 * New images (not yet counted) with `boxes` boxes of one class each, all in the same counter key:
 * their ImageClass rows and one counter delta, set-based. The batched form of `changeBoxes` for
 * writers that add many fresh images at once (fills).
 */
export async function addNewImagesOfClass(
  tx: Tx,
  key: CounterKey,
  imageIds: readonly string[],
  boxes: number,
): Promise<void> {
  if (imageIds.length === 0) return;
  if (!Number.isInteger(boxes) || boxes < 1)
    throw new Error(`boxes must be a positive integer, got ${boxes}`);
  await tx.$executeRaw`
    INSERT INTO "ImageClass" ("imageId", "classId", "datasetId", split, origin, "reviewState", boxes)
    SELECT id, ${key.classId}::uuid, ${key.datasetId}::uuid, ${key.split}::text::"Split",
           ${key.origin}::text::"Origin", ${key.reviewState}::text::"ReviewState", ${boxes}
    FROM unnest(${[...imageIds]}::uuid[]) AS id`;
  await applyCounterDeltas(tx, [
    { ...key, images: imageIds.length, boxes: boxes * imageIds.length },
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
    SELECT "classId", split, origin, "reviewState", count(*) FILTER (WHERE inserted)::int AS images, 0 AS boxes
    FROM ic GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT a."classId", s.split, s.origin, s."reviewState", 0, sum(a.n)::int
    FROM ${added} a JOIN ${images} s ON s.id = a."imageId" GROUP BY 1, 2, 3, 4),
  counted AS (
    INSERT INTO "ClassCounter" ("datasetId", "classId", split, origin, "reviewState", images, boxes)
    SELECT ${datasetId}::uuid, "classId", split, origin, "reviewState", sum(images)::int, sum(boxes)::int
    FROM deltas GROUP BY 2, 3, 4, 5
    ORDER BY 2, 3, 4, 5
    ON CONFLICT ("datasetId", "classId", split, origin, "reviewState") DO UPDATE
      SET images = "ClassCounter".images + EXCLUDED.images,
          boxes = "ClassCounter".boxes + EXCLUDED.boxes
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
}

function imageClassRows(tx: Tx, imageIds: readonly string[]): Promise<ImageClassRow[]> {
  return tx.$queryRaw<ImageClassRow[]>`
    SELECT "imageId"::text AS "imageId", "classId"::text AS "classId", "datasetId"::text AS "datasetId",
           split::text AS split, origin::text AS origin, "reviewState"::text AS "reviewState", boxes
    FROM "ImageClass" WHERE "imageId" = ANY(${[...imageIds]}::uuid[])`;
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
    deltas.push({ ...row, images: -1, boxes: -row.boxes });
    deltas.push({
      ...row,
      split: change.split ?? row.split,
      origin: change.origin ?? row.origin,
      reviewState: change.reviewState ?? row.reviewState,
      images: 1,
      boxes: row.boxes,
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
  const deltas = (await imageClassRows(tx, ids)).map((row) => ({
    ...row,
    images: -1,
    boxes: -row.boxes,
  }));
  // ImageClass rows and annotations go with the image (ON DELETE CASCADE).
  await tx.$executeRaw`DELETE FROM "Image" WHERE id = ANY(${ids}::uuid[])`;
  await applyCounterDeltas(tx, deltas);
}

export interface CounterRowValue extends CounterKey {
  images: number;
  boxes: number;
}

/** The maintained counters of a dataset (non-zero rows), in a stable order. */
export async function readCounters(db: Tx, datasetId: string): Promise<CounterRowValue[]> {
  return db.$queryRaw<CounterRowValue[]>`
    SELECT "datasetId"::text AS "datasetId", "classId"::text AS "classId", split::text AS split,
           origin::text AS origin, "reviewState"::text AS "reviewState", images, boxes
    FROM "ClassCounter" WHERE "datasetId" = ${datasetId}::uuid AND (images <> 0 OR boxes <> 0)
    ORDER BY "classId", split, origin, "reviewState"`;
}

/**
 * The counters recounted from scratch from Image and Annotation (no writes). Only the test that
 * proves the incremental maintenance right, and `rebuildCounters`, use it.
 */
export async function recomputeCounters(db: Tx, datasetId: string): Promise<CounterRowValue[]> {
  return db.$queryRaw<CounterRowValue[]>`
    SELECT i."datasetId"::text AS "datasetId", a."classId"::text AS "classId", i.split::text AS split,
           i.origin::text AS origin, i."reviewState"::text AS "reviewState",
           count(DISTINCT i.id)::int AS images, count(*)::int AS boxes
    FROM "Annotation" a JOIN "Image" i ON i.id = a."imageId"
    WHERE i."datasetId" = ${datasetId}::uuid
    GROUP BY i."datasetId", a."classId", i.split, i.origin, i."reviewState"
    ORDER BY "classId", split, origin, "reviewState"`;
}

/** ImageClass recounted from annotations, for the same check. */
export async function recomputeImageClasses(db: Tx, datasetId: string) {
  const expected = await db.$queryRaw<ImageClassRow[]>`
    SELECT a."imageId"::text AS "imageId", a."classId"::text AS "classId", i."datasetId"::text AS "datasetId",
           i.split::text AS split, i.origin::text AS origin, i."reviewState"::text AS "reviewState", count(*)::int AS boxes
    FROM "Annotation" a JOIN "Image" i ON i.id = a."imageId" WHERE i."datasetId" = ${datasetId}::uuid
    GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2`;
  const actual = await db.$queryRaw<ImageClassRow[]>`
    SELECT "imageId"::text AS "imageId", "classId"::text AS "classId", "datasetId"::text AS "datasetId",
           split::text AS split, origin::text AS origin, "reviewState"::text AS "reviewState", boxes
    FROM "ImageClass" WHERE "datasetId" = ${datasetId}::uuid ORDER BY 1, 2`;
  return { expected, actual };
}

/** Rewrites a dataset's ImageClass and ClassCounter rows from its annotations (repair tool). */
export async function rebuildCounters(tx: Tx, datasetId: string): Promise<void> {
  await tx.$executeRaw`DELETE FROM "ImageClass" WHERE "datasetId" = ${datasetId}::uuid`;
  await tx.$executeRaw`DELETE FROM "ClassCounter" WHERE "datasetId" = ${datasetId}::uuid`;
  await tx.$executeRaw`
    INSERT INTO "ImageClass" ("imageId", "classId", "datasetId", split, origin, "reviewState", boxes)
    SELECT a."imageId", a."classId", i."datasetId", i.split, i.origin, i."reviewState", count(*)::int
    FROM "Annotation" a JOIN "Image" i ON i.id = a."imageId" WHERE i."datasetId" = ${datasetId}::uuid
    GROUP BY 1, 2, 3, 4, 5, 6`;
  await tx.$executeRaw`
    INSERT INTO "ClassCounter" ("datasetId", "classId", split, origin, "reviewState", images, boxes)
    SELECT "datasetId", "classId", split, origin, "reviewState", count(*)::int, sum(boxes)::int
    FROM "ImageClass" WHERE "datasetId" = ${datasetId}::uuid GROUP BY 1, 2, 3, 4, 5`;
}
