// What a curator decides on a label-error candidate: accept the prediction as a box, confirm the
// label, fix it (class or box), delete it, or dismiss the candidate. Each decision is one
// transaction: the annotation change, the per-class counters (counters.ts), the decision row that
// takes the candidate out of the queue (a second decision on it is refused), the annotation's
// review state and the audit event.
import type { Annotation, PrismaClient } from "@gridfill/db";
import { validateBox, type Box } from "@gridfill/balance";
import type { Actor } from "../context.ts";
import { badInput, conflict, notFound, requireUuid } from "../errors.ts";
import { recordAudit, type Tx } from "../audit/record.ts";
import {
  changeBoxes,
  isUnreviewedPredicted,
  lockImages,
  type ImageState,
} from "../balance/counters.ts";
import type { LabelErrorKind } from "./label-errors.ts";

const KINDS: readonly LabelErrorKind[] = ["MISSING_LABEL", "SPURIOUS_LABEL", "CLASS_CONFUSION"];

export interface CandidateKey {
  kind: LabelErrorKind;
  predictionId: string | null;
  annotationId: string | null;
}

/** `MISSING_LABEL:<prediction>`, `SPURIOUS_LABEL:<annotation>`, `CLASS_CONFUSION:<annotation>:<prediction>`. */
export function parseCandidateKey(key: string): CandidateKey {
  const [kind, first, second, ...rest] = key.split(":");
  const bad = () => badInput(`candidate ${key.slice(0, 120)} is not a label-error candidate key`);
  if (!KINDS.includes(kind as LabelErrorKind) || rest.length || !first) throw bad();
  const id = (v: string | undefined) => {
    if (!v) throw bad();
    return requireUuid(v, "candidate");
  };
  if (kind === "MISSING_LABEL" && !second)
    return { kind, predictionId: id(first), annotationId: null };
  if (kind === "SPURIOUS_LABEL" && !second)
    return { kind, predictionId: null, annotationId: id(first) };
  if (kind === "CLASS_CONFUSION")
    return { kind, annotationId: id(first), predictionId: id(second) };
  throw bad();
}

async function recordDecision(tx: Tx, actor: Actor, runId: string, key: string) {
  const { count } = await tx.labelErrorDismissal.createMany({
    data: [{ runId, candidate: key, dismissedById: actor?.id ?? null }],
    skipDuplicates: true,
  });
  if (count === 0) throw conflict(`candidate ${key} was already decided`);
}

async function lockedImage(tx: Tx, imageId: string): Promise<ImageState> {
  const [image] = await lockImages(tx, [imageId]);
  if (!image) throw notFound("image", imageId);
  return image;
}

async function runOf(tx: Tx, runId: string) {
  const run = await tx.predictionRun.findUnique({
    where: { id: requireUuid(runId, "run") },
    select: { id: true, datasetId: true },
  });
  if (!run) throw notFound("prediction run", runId);
  return run;
}

async function annotationOfRun(tx: Tx, datasetId: string, annotationId: string) {
  const annotation = await tx.annotation.findUnique({
    where: { id: annotationId },
    include: { image: { select: { datasetId: true, width: true, height: true } } },
  });
  if (!annotation || annotation.image.datasetId !== datasetId)
    throw notFound("annotation", annotationId);
  return annotation;
}

/** Makes a box (source PREDICTED, the run recorded, confirmed by the curator) from a prediction. */
export async function acceptPrediction(
  prisma: PrismaClient,
  actor: Actor,
  runId: string,
  predictionId: string,
): Promise<Annotation> {
  const id = requireUuid(predictionId, "prediction");
  return prisma.$transaction(async (tx) => {
    const run = await runOf(tx, runId);
    const prediction = await tx.prediction.findUnique({ where: { id } });
    if (!prediction || prediction.runId !== run.id) throw notFound("prediction", predictionId);
    await recordDecision(tx, actor, run.id, `MISSING_LABEL:${id}`);
    const image = await lockedImage(tx, prediction.imageId);
    const now = new Date();
    const annotation = await tx.annotation.create({
      data: {
        imageId: prediction.imageId,
        classId: prediction.classId,
        x: prediction.x,
        y: prediction.y,
        width: prediction.width,
        height: prediction.height,
        source: "PREDICTED",
        predictionRunId: run.id,
        authorId: actor?.id ?? null,
        review: "CONFIRMED",
        reviewedById: actor?.id ?? null,
        reviewedAt: now,
      },
    });
    await changeBoxes(tx, image, new Map([[prediction.classId, 1]]));
    await recordAudit(tx, {
      actor,
      action: "prediction.accept",
      entityType: "Annotation",
      entityId: annotation.id,
      datasetId: run.datasetId,
      details: {
        runId: run.id,
        predictionId: id,
        imageId: prediction.imageId,
        score: prediction.score,
      },
    });
    return annotation;
  });
}

export type LabelDecision =
  | { action: "CONFIRM" }
  | { action: "FIX"; classId?: string | null; box?: Box | null }
  | { action: "DELETE" }
  | { action: "DISMISS" };

/** Decides a SPURIOUS_LABEL or CLASS_CONFUSION candidate about a box, or dismisses any candidate. */
export async function decideCandidate(
  prisma: PrismaClient,
  actor: Actor,
  runId: string,
  key: string,
  decision: LabelDecision,
): Promise<{ key: string; annotation: Annotation | null }> {
  const candidate = parseCandidateKey(key);
  return prisma.$transaction(async (tx) => {
    const run = await runOf(tx, runId);
    await recordDecision(tx, actor, run.id, key);
    let annotation: Annotation | null = null;
    if (decision.action !== "DISMISS") {
      if (!candidate.annotationId)
        throw badInput(
          `a ${candidate.kind} candidate has no box to ${decision.action.toLowerCase()}`,
        );
      annotation = await decideOnBox(tx, actor, run.datasetId, candidate.annotationId, decision);
    }
    await recordAudit(tx, {
      actor,
      action: `labelError.${decision.action.toLowerCase()}`,
      entityType: "PredictionRun",
      entityId: run.id,
      datasetId: run.datasetId,
      details: { candidate: key, annotationId: candidate.annotationId },
    });
    return { key, annotation };
  });
}

async function decideOnBox(
  tx: Tx,
  actor: Actor,
  datasetId: string,
  annotationId: string,
  decision: Exclude<LabelDecision, { action: "DISMISS" }>,
): Promise<Annotation | null> {
  const found = await annotationOfRun(tx, datasetId, annotationId);
  const image = await lockedImage(tx, found.imageId);
  // Re-read under the image lock: a concurrent edit, review or delete may have won.
  const before = await annotationOfRun(tx, datasetId, annotationId);
  const reviewed = { reviewedById: actor?.id ?? null, reviewedAt: new Date() };
  // An unreviewed predicted box leaves that part of the counters whatever the decision.
  const unreviewed = new Map<string, number>(
    isUnreviewedPredicted(before) ? [[before.classId, -1]] : [],
  );
  if (decision.action === "DELETE") {
    await tx.annotation.delete({ where: { id: before.id } });
    await changeBoxes(tx, image, new Map([[before.classId, -1]]), unreviewed);
    return null;
  }
  if (decision.action === "CONFIRM") {
    const confirmed = await tx.annotation.update({
      where: { id: before.id },
      data: { review: "CONFIRMED", ...reviewed },
    });
    await changeBoxes(tx, image, new Map(), unreviewed);
    return confirmed;
  }
  const classId = decision.classId
    ? await classOfDataset(tx, decision.classId, datasetId)
    : before.classId;
  let box: Box | null = null;
  if (decision.box) {
    const checked = validateBox(decision.box, before.image);
    if (!checked.ok)
      throw badInput(checked.message, { reason: "INVALID_BOX", boxError: checked.code });
    box = checked.box;
  }
  if (classId === before.classId && !box) throw badInput("a fix needs a new class or a new box");
  const updated = await tx.annotation.update({
    where: { id: before.id },
    data: { classId, ...(box ?? {}), review: "CORRECTED", ...reviewed },
  });
  await changeBoxes(
    tx,
    image,
    classId !== before.classId
      ? new Map([
          [before.classId, -1],
          [classId, 1],
        ])
      : new Map(),
    unreviewed,
  );
  return updated;
}

async function classOfDataset(tx: Tx, classId: string, datasetId: string): Promise<string> {
  const id = requireUuid(classId, "class");
  const found = await tx.defectClass.findUnique({ where: { id }, select: { datasetId: true } });
  if (!found || found.datasetId !== datasetId) throw notFound("class", classId);
  return id;
}
