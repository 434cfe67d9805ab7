// Box-level idempotency for imports: an image the dataset already holds gains only the boxes it
// lacks. Two boxes are the same when their class matches and every edge is within 0.5 px.
import type { PrismaClient } from "@gridfill/db";
import { validateBox, type Box } from "@gridfill/balance";
import type { Actor } from "../context.ts";
import { badInput } from "../errors.ts";
import { recordAudit } from "../audit/record.ts";
import { lockImages } from "../balance/counters.ts";
import { addBoxesCounted } from "../images/rows.ts";

export interface NamedBox {
  classId: string;
  className: string;
  box: Box;
}

export const SAME_BOX_TOLERANCE_PX = 0.5;

export function sameBox(a: Box, b: Box, tolerance = SAME_BOX_TOLERANCE_PX): boolean {
  return (
    Math.abs(a.x - b.x) <= tolerance &&
    Math.abs(a.y - b.y) <= tolerance &&
    Math.abs(a.x + a.width - (b.x + b.width)) <= tolerance &&
    Math.abs(a.y + a.height - (b.y + b.height)) <= tolerance
  );
}

/**
 * Boxes of `incoming` not matched by an existing box (each existing box matches at most one), so
 * that an image with two identical boxes keeps both and a re-import adds neither.
 */
export function unmatchedBoxes<T extends { classId: string; box: Box }>(
  existing: readonly { classId: string; box: Box }[],
  incoming: readonly T[],
): T[] {
  const used = new Set<number>();
  return incoming.filter((b) => {
    const i = existing.findIndex(
      (e, k) => !used.has(k) && e.classId === b.classId && sameBox(e.box, b.box),
    );
    if (i < 0) return true;
    used.add(i);
    return false;
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
    const existing = await tx.annotation.findMany({
      where: { imageId },
      select: { classId: true, x: true, y: true, width: true, height: true },
    });
    const missing = unmatchedBoxes(
      existing.map((e) => ({ classId: e.classId, box: e })),
      boxes,
    );
    if (missing.length === 0) return [];
    const checked = missing.map((b, index) => {
      const valid = validateBox(b.box, image);
      if (!valid.ok)
        throw badInput(`annotation ${index}: ${valid.message}`, {
          reason: "INVALID_BOX",
          boxError: valid.code,
          index,
        });
      return { ...b, box: valid.box };
    });
    await addBoxesCounted(tx, state, checked, "IMPORTED", actor?.id ?? null);
    await recordAudit(tx, {
      actor,
      action: "annotation.import",
      entityType: "Image",
      entityId: imageId,
      datasetId: state.datasetId,
      details: { annotations: checked.length },
    });
    return checked;
  });
}
