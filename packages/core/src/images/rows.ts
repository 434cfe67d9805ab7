// Image rows and the boxes an image comes in with: the one module that inserts them, for uploads,
// imports and metadata imports alike. An Image row goes in only if the dataset does not hold the
// same bytes (its sha256), so two writers racing on one file make one row. Boxes are written
// set-based in one statement with the counters moved in the same transaction: one statement with
// array parameters costs the same few milliseconds for one box or five thousand, where building a
// many-row insert in the client holds the event loop for about a second at that size.
import type { Box, Origin, ReviewState, Split } from "@gridfill/balance";
import type { Tx } from "../audit/record.ts";
import { changeBoxes, type ImageState } from "../balance/counters.ts";
import { uuidv7 } from "../ids.ts";

export interface ImageRow {
  id: string;
  datasetId: string;
  sha256: string;
  objectKey: string;
  mimeType: string;
  width: number;
  height: number;
  bytes: number;
  filename: string;
  split: Split;
  origin: Origin;
  reviewState: ReviewState;
  tags: string[];
  capturedAt: Date | null;
  latitude: number | null;
  longitude: number | null;
  towerId: string | null;
  createdById: string | null;
}

/** Inserts one Image row unless the dataset already holds its bytes; true when it went in. */
export async function insertImageRow(tx: Tx, image: ImageRow): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Image" (id, "datasetId", sha256, "objectKey", "mimeType", width, height, bytes, filename,
                         split, origin, "reviewState", tags, "capturedAt", latitude, longitude, "towerId",
                         "createdById", "updatedAt")
    VALUES (${image.id}::uuid, ${image.datasetId}::uuid, ${image.sha256}, ${image.objectKey}, ${image.mimeType},
            ${image.width}, ${image.height}, ${image.bytes}, ${image.filename},
            ${image.split}::text::"Split", ${image.origin}::text::"Origin", ${image.reviewState}::text::"ReviewState",
            ${image.tags}::text[], ${image.capturedAt}, ${image.latitude}::float8, ${image.longitude}::float8,
            ${image.towerId}::uuid, ${image.createdById}::uuid, now())
    ON CONFLICT ("datasetId", sha256) DO NOTHING
    RETURNING id::text AS id`;
  return rows.length > 0;
}

/**
 * The bulk form, for writers on a pg connection (metadata imports): SQL that inserts the rows of
 * the relation `staged` (id, sha256, "objectKey", "mimeType", width, height, bytes, filename, split,
 * origin, "reviewState"), in SHA-256 order so that two batches sharing images wait on each other
 * instead of deadlocking, and returns the ids that went in. `$1` is the dataset, `$2` the author.
 */
export function insertStagedImagesSql(staged: string): string {
  return `
    INSERT INTO "Image" (id, "datasetId", sha256, "objectKey", "mimeType", width, height, bytes,
                         filename, split, origin, "reviewState", "createdById", "updatedAt")
    SELECT id, $1::uuid, sha256, "objectKey", "mimeType", width, height, bytes, filename, split,
           origin, "reviewState", $2::uuid, now()
    FROM ${staged} ORDER BY sha256
    ON CONFLICT ("datasetId", sha256) DO NOTHING
    RETURNING id`;
}

export type BoxSource = "HUMAN" | "IMPORTED" | "GENERATED";

export interface ClassBox {
  classId: string;
  box: Box;
}

/** Inserts boxes (already checked against the image) on one locked image, with its counters. */
export async function addBoxesCounted(
  tx: Tx,
  image: ImageState,
  boxes: readonly ClassBox[],
  source: BoxSource,
  authorId: string | null,
): Promise<void> {
  if (boxes.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "Annotation" (id, "imageId", "classId", x, y, width, height, source, "authorId", "updatedAt")
    SELECT b.id, ${image.id}::uuid, b."classId", b.x, b.y, b.width, b.height,
           ${source}::text::"AnnotationSource", ${authorId}::uuid, now()
    FROM unnest(${boxes.map(() => uuidv7())}::uuid[], ${boxes.map((b) => b.classId)}::uuid[],
                ${boxes.map((b) => b.box.x)}::float8[], ${boxes.map((b) => b.box.y)}::float8[],
                ${boxes.map((b) => b.box.width)}::float8[], ${boxes.map((b) => b.box.height)}::float8[])
      AS b(id, "classId", x, y, width, height)`;
  const perClass = new Map<string, number>();
  for (const b of boxes) perClass.set(b.classId, (perClass.get(b.classId) ?? 0) + 1);
  await changeBoxes(tx, image, perClass);
}
