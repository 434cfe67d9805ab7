// Prediction runs made by a detector: the curator uploads the detector's ONNX file (presigned PUT),
// runDetector checks it like a generator model (declared sha256, the detector contract, a corrupt
// file refused), stores it content-addressed, and writes the run, its audit event and its job in one
// transaction; a worker runs it over the split (apps/worker/src/predictions). Pre-labelling accepts
// a run's boxes above a score in bulk, as model-made boxes awaiting review.
import { createHash } from "node:crypto";
import type { Prisma, PrismaClient, PredictionRun } from "@gridfill/db";
import type { Split } from "@gridfill/balance";
import type { Storage } from "@gridfill/storage";
import { describeDetector } from "@gridfill/generator/detector-contract";
import type { Actor } from "../context.ts";
import { badInput, conflict, notFound, requireUuid } from "../errors.ts";
import { recordAudit } from "../audit/record.ts";
import { uuidv7 } from "../ids.ts";
import { datasetUploadTicket, type TicketDeps } from "../upload-tickets.ts";
import { QUEUES, type JobQueue } from "../jobs/queues.ts";
import { changeBoxes, lockImages } from "../balance/counters.ts";

const STAGING_KEY = /^staging\/detectors\/[0-9a-f-]{36}\.onnx$/;
const MAX_DETECTOR_BYTES = 512 * 1024 * 1024;
const UPLOAD_TTL_SECONDS = 30 * 60;
const SPLITS: readonly Split[] = ["TRAIN", "VAL", "TEST", "UNASSIGNED"];

export const detectorKey = (sha256: string) => `detectors/${sha256}.onnx`;

export interface DetectorDeps {
  prisma: PrismaClient;
  storage: Storage;
  jobs?: JobQueue;
}

/** A presigned PUT for a detector's ONNX file of exactly `bytes` bytes. */
export function requestDetectorUpload(
  deps: TicketDeps,
  actor: Actor,
  datasetId: string,
  bytes: number,
) {
  return datasetUploadTicket(deps, actor, {
    datasetId,
    kind: "model",
    bytes,
    bucket: "models",
    key: () => `staging/detectors/${uuidv7()}.onnx`,
    contentType: "application/octet-stream",
    ttlSeconds: UPLOAD_TTL_SECONDS,
    action: "detector.requestUpload",
  });
}

export interface RunDetectorInput {
  datasetId: string;
  version: number;
  split: string;
  /** The key requestDetectorUpload returned. */
  source: string;
  /** The file's sha256 as the client computed it. */
  sha256: string;
  name?: string | null;
  /** Detections below this score are not kept; default 0.001. */
  minScore?: number | null;
}

/** Checks the uploaded detector and starts a run of it over the version's split. */
export async function runDetector(
  deps: DetectorDeps,
  actor: Actor,
  input: RunDetectorInput,
): Promise<PredictionRun> {
  const datasetId = requireUuid(input.datasetId, "dataset");
  if (!SPLITS.includes(input.split as Split))
    throw badInput(`split must be one of ${SPLITS.join(", ")}`);
  const minScore = input.minScore ?? 0.001;
  if (!(minScore >= 0 && minScore <= 1)) throw badInput("minScore must be in [0, 1]");
  if (!STAGING_KEY.test(input.source))
    throw badInput("source must be the key returned by requestDetectorUpload");
  const version = await deps.prisma.datasetVersion.findUnique({
    where: { datasetId_number: { datasetId, number: input.version } },
    select: { id: true },
  });
  if (!version) throw notFound("version", `${input.version} of dataset ${datasetId}`);
  const stat = await deps.storage.stat("models", input.source);
  if (!stat) throw badInput(`nothing was uploaded to ${input.source}`);
  if (stat.size > MAX_DETECTOR_BYTES)
    throw badInput(`the detector is larger than ${MAX_DETECTOR_BYTES} bytes`);
  const bytes = await deps.storage.getBuffer("models", input.source, {
    maxBytes: MAX_DETECTOR_BYTES,
  });
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== input.sha256.toLowerCase())
    throw badInput(`the uploaded file's sha256 is ${sha256}, not ${input.sha256}`, {
      reason: "SHA256_MISMATCH",
    });
  let description;
  try {
    description = describeDetector(bytes);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw badInput(`not a detector: ${(error as Error).message}`, {
      reason: code ?? "CONTRACT_MISMATCH",
    });
  }
  const classes = await deps.prisma.defectClass.findMany({
    where: { datasetId },
    select: { name: true },
  });
  const known = new Set(classes.map((c) => c.name));
  const unknown = description.classNames.filter((n) => !known.has(n));
  if (unknown.length === description.classNames.length)
    throw badInput(
      `none of the detector's classes (${description.classNames.slice(0, 5).join(", ")}) is a class of the dataset`,
    );
  await deps.storage.put("models", detectorKey(sha256), bytes, {
    contentType: "application/octet-stream",
  });
  await deps.storage.remove("models", input.source).catch(() => undefined);
  const jobs = deps.jobs;
  if (!jobs) throw conflict("the job runner is not running; detector runs cannot start");
  return deps.prisma.$transaction(async (tx) => {
    const run = await tx.predictionRun.create({
      data: {
        datasetId,
        versionId: version.id,
        split: input.split as Split,
        name: (input.name ?? "").trim().slice(0, 200),
        source: "MODEL",
        objectKey: detectorKey(sha256),
        modelSha256: sha256,
        parameters: {
          minScore,
          head: description.head,
          inputSize: [description.height, description.width],
          classNames: description.classNames,
          ignoredClasses: unknown,
        } as Prisma.InputJsonValue,
        createdById: actor?.id ?? null,
      },
    });
    await recordAudit(tx, {
      actor,
      action: "predictions.runDetector",
      entityType: "PredictionRun",
      entityId: run.id,
      datasetId,
      details: { sha256, version: input.version, split: input.split, minScore },
    });
    await jobs.send(QUEUES.predictions, { id: run.id, actor }, { tx });
    return run;
  });
}

/**
 * Pre-labelling: the run's predictions from `minScore` on images that have no box yet become boxes
 * (source PREDICTED, UNREVIEWED until a human touches them), counted in one transaction. Done once
 * per run: a second call is refused.
 */
export async function acceptPredictionsAbove(
  prisma: PrismaClient,
  actor: Actor,
  runId: string,
  minScore: number,
): Promise<{ boxes: number; images: number }> {
  if (!(minScore >= 0 && minScore <= 1)) throw badInput("minScore must be in [0, 1]");
  const id = requireUuid(runId, "run");
  return prisma.$transaction(
    async (tx) => {
      const run = await tx.predictionRun.findUnique({ where: { id } });
      if (!run) throw notFound("prediction run", runId);
      if (run.status !== "SUCCEEDED")
        throw badInput(`run ${run.id} is ${run.status.toLowerCase()}`);
      const { count } = await tx.labelErrorDismissal.createMany({
        data: [{ runId: id, candidate: "PRELABEL", dismissedById: actor?.id ?? null }],
        skipDuplicates: true,
      });
      if (count === 0) throw conflict(`run ${id} was already accepted as pre-labels`);
      const targets = await tx.$queryRaw<{ imageId: string }[]>`
        SELECT DISTINCT p."imageId"::text AS "imageId" FROM "Prediction" p
        WHERE p."runId" = ${id}::uuid AND p.score >= ${minScore}
          AND NOT EXISTS (SELECT 1 FROM "Annotation" a WHERE a."imageId" = p."imageId")`;
      const images = await lockImages(
        tx,
        targets.map((t) => t.imageId),
      );
      // Ids made here (UUID v7, like every annotation's) so that keyset pages keep insertion order.
      const picked = await tx.$queryRaw<{ id: string }[]>`
        SELECT p.id::text AS id FROM "Prediction" p
        WHERE p."runId" = ${id}::uuid AND p.score >= ${minScore}
          AND p."imageId" = ANY(${images.map((i) => i.id)}::uuid[])
        ORDER BY p.id`;
      const inserted = await tx.$queryRaw<{ imageId: string; classId: string; n: number }[]>`
        WITH ins AS (
          INSERT INTO "Annotation" (id, "imageId", "classId", x, y, width, height, source, "authorId",
                                   "predictionRunId", review, "updatedAt")
          SELECT n.id, p."imageId", p."classId", p.x, p.y, p.width, p.height, 'PREDICTED',
                 ${actor?.id ?? null}::uuid, p."runId", 'UNREVIEWED', now()
          FROM unnest(${picked.map((r) => r.id)}::uuid[], ${picked.map(() => uuidv7())}::uuid[]) AS n(prediction, id)
          JOIN "Prediction" p ON p.id = n.prediction
          RETURNING "imageId", "classId")
        SELECT "imageId"::text AS "imageId", "classId"::text AS "classId", count(*)::int AS n
        FROM ins GROUP BY 1, 2`;
      const byImage = new Map(images.map((i) => [i.id, new Map<string, number>()]));
      for (const row of inserted) byImage.get(row.imageId)!.set(row.classId, row.n);
      // Every box made here is an unreviewed predicted one.
      for (const image of images) {
        const added = byImage.get(image.id)!;
        await changeBoxes(tx, image, added, added);
      }
      const boxes = inserted.reduce((n, r) => n + r.n, 0);
      await recordAudit(tx, {
        actor,
        action: "predictions.acceptAbove",
        entityType: "PredictionRun",
        entityId: id,
        datasetId: run.datasetId,
        details: { minScore, boxes, images: images.length },
      });
      return { boxes, images: images.length };
    },
    { timeout: 120_000 },
  );
}
