// Bounding boxes on images. Each write checks the box against the image size and the class
// against the image's dataset, and updates ImageClass / ClassCounter in the same transaction. A
// human's edit of a predicted box no one had reviewed marks it corrected.
import type { Annotation, PrismaClient } from "@gridfill/db";
import { validateBox, type Box } from "@gridfill/balance";
import type { Actor } from "../context.ts";
import { badInput, notFound, requireUuid } from "../errors.ts";
import { recordAudit, type Tx } from "../audit/record.ts";
import {
  changeBoxes,
  isUnreviewedPredicted,
  lockImages,
  type ImageState,
} from "../balance/counters.ts";

async function lockedImage(
  tx: Tx,
  imageId: string,
): Promise<ImageState & { width: number; height: number }> {
  const [state] = await lockImages(tx, [imageId]);
  if (!state) throw notFound("image", imageId);
  const size = await tx.image.findUniqueOrThrow({
    where: { id: imageId },
    select: { width: true, height: true },
  });
  return { ...state, ...size };
}

async function classOfDataset(tx: Tx, classId: string, datasetId: string): Promise<string> {
  const id = requireUuid(classId, "class");
  const found = await tx.defectClass.findUnique({ where: { id }, select: { datasetId: true } });
  if (!found) throw notFound("class", classId);
  if (found.datasetId !== datasetId) throw badInput(`class ${classId} belongs to another dataset`);
  return id;
}

function checkedBox(box: Box, image: { width: number; height: number }): Box {
  const result = validateBox(box, image);
  if (!result.ok) throw badInput(result.message, { reason: "INVALID_BOX", boxError: result.code });
  return result.box;
}

export async function createAnnotation(
  prisma: PrismaClient,
  actor: Actor,
  imageId: string,
  input: { classId: string; box: Box; source?: "HUMAN" | "IMPORTED" | "GENERATED" },
): Promise<Annotation> {
  const id = requireUuid(imageId, "image");
  return prisma.$transaction(async (tx) => {
    const image = await lockedImage(tx, id);
    const classId = await classOfDataset(tx, input.classId, image.datasetId);
    const box = checkedBox(input.box, image);
    const annotation = await tx.annotation.create({
      data: {
        imageId: id,
        classId,
        ...box,
        source: input.source ?? "HUMAN",
        authorId: actor?.id ?? null,
      },
    });
    await changeBoxes(tx, image, new Map([[classId, 1]]));
    await recordAudit(tx, {
      actor,
      action: "annotation.create",
      entityType: "Annotation",
      entityId: annotation.id,
      datasetId: image.datasetId,
      details: { imageId: id, classId, box: { ...box } },
    });
    return annotation;
  });
}

export async function updateAnnotation(
  prisma: PrismaClient,
  actor: Actor,
  annotationId: string,
  input: { classId?: string | null; box?: Box | null },
): Promise<Annotation> {
  const id = requireUuid(annotationId, "annotation");
  return prisma.$transaction(async (tx) => {
    const before = await tx.annotation.findUnique({ where: { id } });
    if (!before) throw notFound("annotation", annotationId);
    const image = await lockedImage(tx, before.imageId);
    // Re-read under the image lock: a concurrent delete may have won.
    const current = await tx.annotation.findUnique({ where: { id } });
    if (!current) throw notFound("annotation", annotationId);
    const classId = input.classId
      ? await classOfDataset(tx, input.classId, image.datasetId)
      : current.classId;
    const box = input.box ? checkedBox(input.box, image) : null;
    const corrected = isUnreviewedPredicted(current);
    const updated = await tx.annotation.update({
      where: { id },
      data: {
        classId,
        ...(box ?? {}),
        ...(corrected
          ? { review: "CORRECTED", reviewedById: actor?.id ?? null, reviewedAt: new Date() }
          : {}),
      },
    });
    await changeBoxes(
      tx,
      image,
      classId !== current.classId
        ? new Map([
            [current.classId, -1],
            [classId, 1],
          ])
        : new Map(),
      new Map<string, number>(corrected ? [[current.classId, -1]] : []),
    );
    await recordAudit(tx, {
      actor,
      action: "annotation.update",
      entityType: "Annotation",
      entityId: id,
      datasetId: image.datasetId,
      details: {
        imageId: image.id,
        classId: { from: current.classId, to: classId },
        ...(box ? { box: { ...box } } : {}),
        ...(corrected ? { review: "CORRECTED" } : {}),
      },
    });
    return updated;
  });
}

export async function deleteAnnotation(
  prisma: PrismaClient,
  actor: Actor,
  annotationId: string,
): Promise<boolean> {
  const id = requireUuid(annotationId, "annotation");
  return prisma.$transaction(async (tx) => {
    const before = await tx.annotation.findUnique({ where: { id }, select: { imageId: true } });
    if (!before) throw notFound("annotation", annotationId);
    const image = await lockedImage(tx, before.imageId);
    const [gone] = await tx.$queryRaw<{ classId: string; source: string; review: string }[]>`
      DELETE FROM "Annotation" WHERE id = ${id}::uuid
      RETURNING "classId"::text AS "classId", source::text AS source, review::text AS review`;
    if (!gone) throw notFound("annotation", annotationId);
    await changeBoxes(
      tx,
      image,
      new Map([[gone.classId, -1]]),
      new Map<string, number>(isUnreviewedPredicted(gone) ? [[gone.classId, -1]] : []),
    );
    await recordAudit(tx, {
      actor,
      action: "annotation.delete",
      entityType: "Annotation",
      entityId: id,
      datasetId: image.datasetId,
      details: { imageId: image.id, classId: gone.classId },
    });
    return true;
  });
}
