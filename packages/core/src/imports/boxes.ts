// Box-level idempotency for imports: an image the dataset already holds gains only the boxes it
// lacks. One rule, in SQL, for the import job and the metadata import alike: two boxes are the same
// when their class matches and every edge is within 0.5 px; a record's k-th copy of a box goes in
// only when the image holds fewer than k boxes the same as it (so an image with two identical
// boxes keeps both, and a re-import adds neither).
import type { PrismaClient } from "@gridfill/db";
import { validateBox, type Box } from "@gridfill/balance";
import type { Actor } from "../context.ts";
import { badInput } from "../errors.ts";
import { recordAudit } from "../audit/record.ts";
import { changeBoxes, lockImages } from "../balance/counters.ts";
import { uuidv7 } from "../ids.ts";

export interface NamedBox {
  classId: string;
  className: string;
  box: Box;
}

export const SAME_BOX_TOLERANCE_PX = 0.5;

/**
 * SQL: how many boxes of image `imageId` are the same as the incoming box `b` (columns "classId",
 * x, y, width, height), under the rule above.
 */
export function sameBoxesSql(imageId: string, b: string): string {
  const t = SAME_BOX_TOLERANCE_PX;
  return `(SELECT count(*) FROM "Annotation" a
    WHERE a."imageId" = ${imageId} AND a."classId" = ${b}."classId"
      AND abs(a.x - ${b}.x) <= ${t} AND abs(a.y - ${b}.y) <= ${t}
      AND abs(a.x + a.width - ${b}.x - ${b}.width) <= ${t}
      AND abs(a.y + a.height - ${b}.y - ${b}.height) <= ${t})`;
}

/** Each box's ordinal among the identical boxes before it in the same record (1 for the first). */
export function copyOrdinals(boxes: readonly { classId: string; box: Box }[]): number[] {
  const seen = new Map<string, number>();
  return boxes.map(({ classId, box }) => {
    const key = `${classId}|${box.x}|${box.y}|${box.width}|${box.height}`;
    const k = (seen.get(key) ?? 0) + 1;
    seen.set(key, k);
    return k;
  });
}

/** Adds the boxes the image lacks, in one transaction with its counters and audit event. */
export async function addMissingBoxes(
  prisma: PrismaClient,
  actor: Actor,
  imageId: string,
  boxes: readonly NamedBox[],
): Promise<NamedBox[]> {
  if (boxes.length === 0) return [];
  return prisma.$transaction(async (tx) => {
    const [state] = await lockImages(tx, [imageId]);
    if (!state) return [];
    const image = await tx.image.findUniqueOrThrow({
      where: { id: imageId },
      select: { width: true, height: true },
    });
    const checked = boxes.map((b, index) => {
      const valid = validateBox(b.box, image);
      if (!valid.ok)
        throw badInput(`annotation ${index}: ${valid.message}`, {
          reason: "INVALID_BOX",
          boxError: valid.code,
          index,
        });
      return { ...b, box: valid.box };
    });
    const ids = checked.map(() => uuidv7());
    const inserted = await tx.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO "Annotation" (id, "imageId", "classId", x, y, width, height, source, "authorId", "updatedAt")
       SELECT b.id, $1::uuid, b."classId", b.x, b.y, b.width, b.height, 'IMPORTED', $2::uuid, now()
       FROM unnest($3::uuid[], $4::uuid[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::int[])
         AS b(id, "classId", x, y, width, height, k)
       WHERE b.k > ${sameBoxesSql("$1::uuid", "b")}
       RETURNING id::text AS id`,
      imageId,
      actor?.id ?? null,
      ids,
      checked.map((b) => b.classId),
      checked.map((b) => b.box.x),
      checked.map((b) => b.box.y),
      checked.map((b) => b.box.width),
      checked.map((b) => b.box.height),
      copyOrdinals(checked),
    );
    if (inserted.length === 0) return [];
    const added = new Set(inserted.map((r) => r.id));
    const missing = checked.filter((_, i) => added.has(ids[i]!));
    const perClass = new Map<string, number>();
    for (const b of missing) perClass.set(b.classId, (perClass.get(b.classId) ?? 0) + 1);
    await changeBoxes(tx, state, perClass);
    await recordAudit(tx, {
      actor,
      action: "annotation.import",
      entityType: "Image",
      entityId: imageId,
      datasetId: state.datasetId,
      details: { annotations: missing.length },
    });
    return missing;
  });
}
