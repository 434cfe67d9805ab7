// The boxes an image is given when it comes in (upload with boxes, import, re-import): rows written
// set-based in one statement, and the counters moved in the same transaction. One statement with
// array parameters costs the same few milliseconds for one box or five thousand, where building a
// many-row insert in the client holds the event loop for about a second at that size.
import type { Box } from "@gridfill/balance";
import type { Tx } from "../audit/record.ts";
import { changeBoxes, type ImageState } from "../balance/counters.ts";
import { uuidv7 } from "../ids.ts";

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
