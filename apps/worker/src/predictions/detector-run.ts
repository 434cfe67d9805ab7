// A detector run on the worker: the stored detector (its sha256 checked again) runs over the real
// images of the run's split in id order, a batch at a time; each batch's predictions and the run's
// progress commit in one transaction, so a retried or taken-over job resumes after the last
// committed batch without a gap or a duplicate.
import { createHash } from "node:crypto";
import type { Pool, PrismaClient, PredictionRun } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import type { Config } from "@gridfill/config";
import { Detector } from "@gridfill/generator/detector";
import { uuidv7 } from "@gridfill/core/ids.ts";
import { runPredictionImport } from "@gridfill/core/predictions/import.ts";
import type { Logger } from "@gridfill/core/log.ts";

export interface PredictionJobDeps {
  prisma: PrismaClient;
  pool?: Pool;
  storage: Storage;
  config: Config;
  log: Logger;
  databaseUrl?: string;
}

const BATCH_IMAGES = 16;
const MAX_IMAGE_BYTES = 100 * 1024 * 1024;

/** The predictions queue: an import reads a file, a model run runs a detector. */
export async function runPredictionJob(deps: PredictionJobDeps, runId: string): Promise<void> {
  const run = await deps.prisma.predictionRun.findUnique({ where: { id: runId } });
  if (!run || run.status === "SUCCEEDED" || run.status === "FAILED") return;
  if (run.source === "IMPORT") return runPredictionImport(deps, runId);
  return runDetectorJob(deps, run);
}

async function refuse(prisma: PrismaClient, runId: string, message: string) {
  await prisma.predictionRun.update({
    where: { id: runId },
    data: {
      status: "FAILED",
      message,
      errors: [{ file: "detector", code: "UNSUPPORTED", message }],
      finishedAt: new Date(),
    },
  });
}

async function runDetectorJob(deps: PredictionJobDeps, run: PredictionRun): Promise<void> {
  const bytes = await deps.storage.getBuffer("models", run.objectKey!, { maxBytes: 1024 ** 3 });
  if (createHash("sha256").update(bytes).digest("hex") !== run.modelSha256) {
    return refuse(deps.prisma, run.id, "the stored detector no longer matches its sha256");
  }
  const detector = await Detector.load(bytes, {
    executionProvider: deps.config.fills.executionProvider,
  });
  try {
    const classes = await deps.prisma.defectClass.findMany({
      where: { datasetId: run.datasetId },
      select: { id: true, name: true },
    });
    const classIdOf = new Map(classes.map((c) => [c.name, c.id]));
    const classIds = detector.description.classNames.map((name) => classIdOf.get(name) ?? null);
    const images = await deps.prisma.image.findMany({
      where: { datasetId: run.datasetId, split: run.split, origin: "REAL" },
      orderBy: { id: "asc" },
      select: { id: true, objectKey: true },
    });
    const minScore = (run.parameters as { minScore?: number }).minScore ?? 0.001;
    await deps.prisma.predictionRun.update({
      where: { id: run.id },
      data: {
        status: "RUNNING",
        total: images.length,
        message: `running on ${detector.executionProvider}`,
      },
    });
    deps.log.info("detector run", {
      runId: run.id,
      images: images.length,
      executionProvider: detector.executionProvider,
    });
    for (let start = run.done; start < images.length; start += BATCH_IMAGES) {
      const batch = images.slice(start, start + BATCH_IMAGES);
      const rows: {
        imageId: string;
        classId: string;
        x: number;
        y: number;
        width: number;
        height: number;
        score: number;
      }[] = [];
      for (const image of batch) {
        const encoded = await deps.storage.getBuffer("images", image.objectKey, {
          maxBytes: MAX_IMAGE_BYTES,
        });
        for (const d of await detector.detect(encoded, { minScore })) {
          const classId = classIds[d.classIndex];
          if (classId)
            rows.push({
              imageId: image.id,
              classId,
              x: d.x,
              y: d.y,
              width: d.width,
              height: d.height,
              score: d.score,
            });
        }
      }
      await commitBatch(deps.prisma, run.id, start, start + batch.length, rows);
    }
    await deps.prisma.predictionRun.update({
      where: { id: run.id },
      data: { status: "SUCCEEDED", message: null, finishedAt: new Date() },
    });
  } finally {
    await detector.release();
  }
}

/** One batch's predictions and the run's progress, only if no other attempt committed it first. */
async function commitBatch(
  prisma: PrismaClient,
  runId: string,
  from: number,
  to: number,
  rows: {
    imageId: string;
    classId: string;
    x: number;
    y: number;
    width: number;
    height: number;
    score: number;
  }[],
) {
  await prisma.$transaction(async (tx) => {
    const moved = await tx.predictionRun.updateMany({
      where: { id: runId, done: from },
      data: { done: to, predictions: { increment: rows.length } },
    });
    if (moved.count === 0) return; // another attempt already committed this batch
    if (rows.length)
      await tx.prediction.createMany({ data: rows.map((r) => ({ id: uuidv7(), runId, ...r })) });
  });
}
