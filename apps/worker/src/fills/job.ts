// The fill job: makes a request's samples in batches. Sample i of a request is fixed by (request
// seed, i) and the request's frozen candidates; its PNG goes to synthetic/<request>/<i>.png and its
// Image + Annotation + Lineage rows commit together, with the request row locked, only if no row
// for (request, i) exists yet. A retried or resumed job therefore overwrites objects it had written
// and skips samples already committed: no gap, no duplicate, whichever worker picks it up.
import { createHash } from "node:crypto";
import type { GenerationRequest, ModelVersion, Prisma, PrismaClient } from "@gridfill/db";
import type { Config } from "@gridfill/config";
import type { Storage } from "@gridfill/storage";
import { GeneratorError, planSample, toPng, type SessionPool } from "@gridfill/generator";
import type { Logger } from "@gridfill/core/log.ts";
import { recordAudit } from "@gridfill/core/audit/record.ts";
import { addNewImagesOfClass } from "@gridfill/core/balance/counters.ts";
import { uuidv7 } from "@gridfill/core/ids.ts";
import { referenceCandidates, seedOf } from "@gridfill/core/fills/service.ts";
import type { ModelCache } from "./models.ts";
import {
  makeSamples,
  referenceBoxes,
  syntheticBox,
  syntheticKey,
  type SampleResult,
} from "./sampling.ts";

export interface FillWorkerDeps {
  prisma: PrismaClient;
  storage: Storage;
  config: Config;
  log: Logger;
  /** Loaded models, shared by the jobs of one worker process. */
  models: ModelCache;
}

type RequestRow = GenerationRequest & { modelVersion: ModelVersion; class: { name: string } };

export async function failFill(prisma: PrismaClient, id: string, message: string): Promise<void> {
  await prisma.generationRequest.updateMany({
    where: { id, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "FAILED", error: message.slice(0, 2000), finishedAt: new Date() },
  });
}

/** Thrown when the request was cancelled between samples. */
class Cancelled extends Error {}

/**
 * Commits a batch of samples in one transaction: locks the request row, and unless the request was
 * cancelled, inserts Image + Annotation + Lineage for every sample whose (request, index) has no
 * row yet, and moves the counters and the progress. The PNGs are stored first, each under its
 * sample's own key, so a retry overwrites them with the same bytes. Returns how many were new.
 */
async function commitSamples(
  deps: FillWorkerDeps,
  req: RequestRow,
  executionProvider: string,
  samples: readonly SampleResult[],
): Promise<number> {
  const { prisma, storage } = deps;
  const size = req.modelVersion.imageSize;
  const stored = await Promise.all(
    samples.map(async (s) => {
      const key = syntheticKey(req.id, s.plan.index);
      const png = await toPng(s.image, size);
      await storage.put("images", key, png, { contentType: "image/png" });
      return { s, png, key, sha256: createHash("sha256").update(png).digest("hex") };
    }),
  );
  const box = syntheticBox(size);
  return prisma.$transaction(
    async (tx) => {
      // The request row, locked, and which of these samples already have their row: one round trip.
      const [locked] = await tx.$queryRaw<
        { cancelledAt: Date | null; status: string; existing: number[] }[]
      >`
        SELECT r."cancelledAt", r.status::text AS status,
               ARRAY(SELECT l."sampleIndex" FROM "Lineage" l
                     WHERE l."requestId" = r.id AND l."sampleIndex" = ANY(${stored.map((x) => x.s.plan.index)}::int[])) AS existing
        FROM "GenerationRequest" r WHERE r.id = ${req.id}::uuid FOR UPDATE OF r`;
      if (!locked || locked.cancelledAt || locked.status === "CANCELLED") throw new Cancelled();
      const existing = new Set(locked.existing);
      const fresh = stored
        .filter((x) => !existing.has(x.s.plan.index))
        .map((x) => ({ ...x, imageId: uuidv7() }));
      if (fresh.length === 0) return 0;
      if (new Set(fresh.map((x) => x.sha256)).size !== fresh.length)
        throw new Error(`two samples of request ${req.id} came out byte-identical`);
      // (datasetId, sha256) is unique: a sample identical to an image already there fails the insert.
      await tx.image.createMany({
        data: fresh.map((x) => ({
          id: x.imageId,
          datasetId: req.datasetId,
          sha256: x.sha256,
          objectKey: x.key,
          mimeType: "image/png",
          width: size,
          height: size,
          bytes: x.png.length,
          filename: `fill-${req.id.slice(0, 8)}-${String(x.s.plan.index).padStart(4, "0")}.png`,
          split: "TRAIN" as const,
          origin: "SYNTHETIC" as const,
          reviewState: "PENDING" as const,
          tags: ["synthetic"],
          createdById: req.requestedById,
        })),
      });
      await tx.annotation.createMany({
        data: fresh.map((x) => ({
          imageId: x.imageId,
          classId: req.classId,
          ...box,
          source: "GENERATED" as const,
          authorId: req.requestedById,
        })),
      });
      await addNewImagesOfClass(
        tx,
        {
          datasetId: req.datasetId,
          classId: req.classId,
          split: "TRAIN",
          origin: "SYNTHETIC",
          reviewState: "PENDING",
        },
        fresh.map((x) => x.imageId),
        1,
      );
      await tx.lineage.createMany({
        data: fresh.map(({ s, imageId }) => ({
          imageId,
          requestId: req.id,
          sampleIndex: s.plan.index,
          modelVersionId: req.modelVersionId,
          modelSha256: req.modelVersion.generatorSha256,
          seed: req.seed,
          baseImageId: s.plan.referenceIds[0]!,
          referenceImageIds: s.plan.referenceIds,
          referenceBoxes: s.boxes as unknown as Prisma.InputJsonValue,
          coefficients: s.plan.coefficients,
          positions: s.plan.positions,
          realism: s.realism,
          classScore: s.classScore,
          nearestReferenceDistance: s.nearestReferenceDistance,
          executionProvider,
        })),
      });
      await tx.$executeRaw`
        UPDATE "GenerationRequest" SET completed = completed + ${fresh.length}, "heartbeatAt" = now() WHERE id = ${req.id}::uuid`;
      return fresh.length;
    },
    { timeout: 30_000 },
  );
}

/** Runs (or resumes) one fill request. Never throws for the request's own failures: it records them. */
export async function runFillJob(
  deps: FillWorkerDeps,
  requestId: string,
  signal?: AbortSignal,
): Promise<void> {
  const { prisma, log } = deps;
  const req = (await prisma.generationRequest.findUnique({
    where: { id: requestId },
    include: { modelVersion: true, class: { select: { name: true } } },
  })) as RequestRow | null;
  if (!req || !["QUEUED", "RUNNING"].includes(req.status)) return;
  if (req.cancelledAt) {
    await prisma.generationRequest.update({
      where: { id: req.id },
      data: { status: "CANCELLED", finishedAt: new Date() },
    });
    return;
  }

  let pool: SessionPool;
  try {
    pool = await deps.models.get(req.modelVersion);
  } catch (error) {
    // sha256 mismatch or a corrupt file is final; storage being down is retried by the queue
    if (error instanceof GeneratorError)
      return failFill(
        prisma,
        req.id,
        `model ${req.modelVersion.name} ${req.modelVersion.version}: ${error.message}`,
      );
    throw error;
  }
  await prisma.generationRequest.update({
    where: { id: req.id },
    data: {
      status: "RUNNING",
      startedAt: req.startedAt ?? new Date(),
      executionProvider: pool.executionProvider,
      heartbeatAt: new Date(),
      error: null,
    },
  });

  // The leakage guard, again at generation time: only candidates still real TRAIN images count.
  const stillValid = new Set(await referenceCandidates(prisma, req.datasetId, req.classId));
  const candidates = req.candidateIds.filter((id) => stillValid.has(id));
  if (candidates.length < pool.meta.shots)
    return failFill(
      prisma,
      req.id,
      `only ${candidates.length} of the request's reference images are still real train images with boxes; the model needs ${pool.meta.shots}`,
    );
  const boxes = await referenceBoxes(prisma, req.classId, candidates);
  const shots = deps.models.shots(prisma, pool.meta.imageSize);

  const done = new Set(
    (
      await prisma.lineage.findMany({ where: { requestId: req.id }, select: { sampleIndex: true } })
    ).map((l) => l.sampleIndex),
  );
  const todo = Array.from({ length: req.count }, (_, i) => i).filter((i) => !done.has(i));
  // Progress counts from the rows (commits add to it from here).
  await prisma.generationRequest.update({ where: { id: req.id }, data: { completed: done.size } });
  const batch = Math.max(1, deps.config.fills.batch);
  const features = deps.models.features(pool);
  // Batch n's samples are stored and committed while batch n + 1 is generated (onnxruntime runs
  // on its own threads); at most one batch of commits is in flight.
  let committing: Promise<void> = Promise.resolve();
  const commitAll = async (samples: SampleResult[]) => {
    await commitSamples(deps, req, pool.executionProvider, samples);
  };
  try {
    for (let start = 0; start < todo.length; start += batch) {
      // Shutting down: leave the job to the queue (it is retried and resumes here or elsewhere).
      if (signal?.aborted)
        throw new Error("the worker is shutting down; the fill resumes on the next worker");
      // Checked while the batch is generated (the commit checks again, under the request's lock).
      const status = prisma.generationRequest.findUnique({
        where: { id: req.id },
        select: { cancelledAt: true, status: true },
      });
      status.catch(() => undefined);
      const planned = todo.slice(start, start + batch).map((index) => {
        const plan = planSample({
          requestSeed: seedOf(req),
          index,
          candidates,
          shots: pool.meta.shots,
          gridCells: pool.meta.gridSize ** 2,
          fusedPositions: pool.meta.fusedPositions,
        });
        return { plan, boxes: plan.referenceIds.map((id) => boxes.get(id)!) };
      });
      const generated = makeSamples(pool, shots, req.class.name, planned, features);
      generated.catch(() => undefined); // observed below; this only keeps an early commit failure from leaving it unhandled
      const [samples, , current] = await Promise.all([generated, committing, status]);
      if (!current || current.cancelledAt || current.status !== "RUNNING") throw new Cancelled();
      committing = commitAll(samples);
      committing.catch(() => undefined);
    }
    await committing;
  } catch (error) {
    await committing.catch(() => undefined);
    if (error instanceof Cancelled) {
      await prisma.generationRequest.updateMany({
        where: { id: req.id, status: { in: ["QUEUED", "RUNNING"] } },
        data: { status: "CANCELLED", finishedAt: new Date() },
      });
      log.info("fill cancelled", { requestId: req.id });
      return;
    }
    if (error instanceof GeneratorError) return failFill(prisma, req.id, error.message);
    throw error; // infrastructure (database, storage): the queue retries and the job resumes
  }
  await prisma.$transaction(async (tx) => {
    const completed = await tx.lineage.count({ where: { requestId: req.id } });
    const updated = await tx.generationRequest.updateMany({
      where: { id: req.id, status: "RUNNING" },
      data: {
        status: completed >= req.count ? "SUCCEEDED" : "FAILED",
        completed,
        finishedAt: new Date(),
        ...(completed >= req.count
          ? {}
          : { error: `${completed} of ${req.count} samples were made` }),
      },
    });
    if (updated.count)
      await recordAudit(tx, {
        actor: null,
        action: "fill.finish",
        entityType: "GenerationRequest",
        entityId: req.id,
        datasetId: req.datasetId,
        details: { completed, count: req.count, executionProvider: pool.executionProvider },
      });
  });
}
