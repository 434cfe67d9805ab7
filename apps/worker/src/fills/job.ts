// The fill job: makes a request's samples in batches. Sample i of a request is fixed by (request
// seed, i), the request's bestOf and its frozen candidates and hosts; its image goes to
// synthetic/<request>/<i>.<ext> and its Image + Annotation + Lineage rows commit together, with
// the request row locked, only if no row for (request, i) exists yet. A retried or resumed job
// therefore overwrites objects it had written and skips samples already committed: no gap, no
// duplicate, whichever worker picks it up.
import { createHash } from "node:crypto";
import type { FillRequest, ModelVersion, Prisma, PrismaClient } from "@gridfill/db";
import type { Config } from "@gridfill/config";
import type { Storage } from "@gridfill/storage";
import {
  composite as c,
  GeneratorError,
  planSample,
  toPng,
  type SessionPool,
} from "@gridfill/generator";
import type { Logger } from "@gridfill/core/log.ts";
import { recordAudit } from "@gridfill/core/audit/record.ts";
import { addNewImagesOfClass, isUnreviewedPredicted } from "@gridfill/core/balance/counters.ts";
import { uuidv7 } from "@gridfill/core/ids.ts";
import { referenceCandidates, seedOf, type ReferenceBox } from "@gridfill/core/fills/service.ts";
import { hostCandidates } from "@gridfill/core/fills/hosts.ts";
import type { ModelCache } from "./models.ts";
import {
  keepBest,
  makeSamples,
  referenceBoxes,
  syntheticBox,
  syntheticKey,
  type KeptSample,
} from "./sampling.ts";
import {
  compositeContext,
  copiedInstance,
  drawPlacement,
  modelInstance,
  renderOnHost,
  type CompositeContext,
  type CompositeSample,
} from "./composite.ts";

export interface FillWorkerDeps {
  prisma: PrismaClient;
  storage: Storage;
  config: Config;
  log: Logger;
  /** Loaded models, shared by the jobs of one worker process. */
  models: ModelCache;
}

export type RequestRow = FillRequest & {
  modelVersion: ModelVersion | null;
  class: { name: string };
};

export async function failFill(prisma: PrismaClient, id: string, message: string): Promise<void> {
  await prisma.fillRequest.updateMany({
    where: { id, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "FAILED", error: message.slice(0, 2000), finishedAt: new Date() },
  });
}

/** Thrown when the request was cancelled between samples. */
class Cancelled extends Error {}

/** The lineage columns a sample fills beside (request, index, seed, method, output, provider). */
type SampleLineage = Omit<
  Prisma.LineageCreateManyInput,
  "imageId" | "requestId" | "sampleIndex" | "seed" | "method" | "output" | "executionProvider"
>;

/** A sample ready to store: its image, every box it carries, and its lineage. */
export interface MadeSample {
  index: number;
  bytes: Buffer;
  mimeType: string;
  width: number;
  height: number;
  annotations: CompositeSample["annotations"];
  lineage: SampleLineage;
}

function planLineage(req: RequestRow, s: KeptSample): SampleLineage {
  return {
    modelVersionId: req.modelVersionId,
    modelSha256: req.modelVersion?.generatorSha256 ?? null,
    baseImageId: s.plan.referenceIds[0]!,
    referenceImageIds: s.plan.referenceIds,
    referenceBoxes: s.boxes as unknown as Prisma.InputJsonValue,
    coefficients: s.plan.coefficients,
    positions: s.plan.positions,
    realism: s.realism,
    classScore: s.classScore,
    nearestReferenceDistance: s.nearestReferenceDistance,
    ...(s.selection ? { selection: s.selection as unknown as Prisma.InputJsonValue } : {}),
  };
}

/** Today's crops: the generator's square output with one box over the object. */
async function cropSamples(req: RequestRow, size: number, samples: readonly KeptSample[]) {
  const box = syntheticBox(size);
  return Promise.all(
    samples.map(async (s): Promise<MadeSample> => ({
      index: s.plan.index,
      bytes: await toPng(s.image, size),
      mimeType: "image/png",
      width: size,
      height: size,
      annotations: [
        {
          classId: req.classId,
          ...box,
          source: "GENERATED",
          authorId: req.requestedById,
        },
      ],
      lineage: planLineage(req, s),
    })),
  );
}

/** The generator's object as it sits in its square output (the reference crop geometry). */
const modelObject = (size: number) => syntheticBox(size);

async function modelComposites(
  req: RequestRow,
  ctx: CompositeContext,
  size: number,
  samples: readonly KeptSample[],
): Promise<MadeSample[]> {
  const made: MadeSample[] = [];
  for (const s of samples) {
    const rng = c.compositeRng(seedOf(req), s.plan.index);
    const placed = await drawPlacement(ctx, rng);
    const transform = c.drawTransform(rng, "MODEL");
    const out = await renderOnHost(
      placed,
      modelInstance(s.image, size),
      transform,
      modelObject(size),
      req.classId,
      req.requestedById,
    );
    made.push({
      index: s.plan.index,
      ...out,
      lineage: { ...planLineage(req, s), ...out.lineage },
    });
  }
  return made;
}

/** Copy-paste: a real TRAIN instance of the class, augmented and blended onto a host. */
async function copyPasteSamples(
  req: RequestRow,
  ctx: CompositeContext,
  candidates: readonly string[],
  boxes: ReadonlyMap<string, ReferenceBox>,
  indices: readonly number[],
): Promise<MadeSample[]> {
  const made: MadeSample[] = [];
  for (const index of indices) {
    const rng = c.compositeRng(seedOf(req), index);
    const box = boxes.get(candidates[rng.uniformInt(candidates.length)]!)!;
    const placed = await drawPlacement(ctx, rng, box.width / box.height);
    const transform = c.drawTransform(rng, "COPY_PASTE");
    const out = await renderOnHost(
      placed,
      await copiedInstance(ctx.hosts, box),
      transform,
      box,
      req.classId,
      req.requestedById,
    );
    made.push({
      index,
      ...out,
      lineage: {
        baseImageId: box.imageId,
        referenceImageIds: [box.imageId],
        referenceBoxes: [box] as unknown as Prisma.InputJsonValue,
        coefficients: [],
        positions: [],
        ...out.lineage,
      },
    });
  }
  return made;
}

const extensionOf = (mimeType: string) => (mimeType === "image/jpeg" ? "jpg" : "png");

/**
 * Per class, how many boxes each new image has of it (and how many of those are unreviewed
 * predicted boxes carried over from a host): the counter rows the batch adds.
 */
function countsByClass(fresh: readonly (MadeSample & { imageId: string })[]) {
  const groups = new Map<
    string,
    { classId: string; boxes: number; unreviewed: number; imageIds: string[] }
  >();
  for (const sample of fresh) {
    const perClass = new Map<string, { boxes: number; unreviewed: number }>();
    for (const a of sample.annotations) {
      const n = perClass.get(a.classId) ?? { boxes: 0, unreviewed: 0 };
      n.boxes += 1;
      if (isUnreviewedPredicted(a)) n.unreviewed += 1;
      perClass.set(a.classId, n);
    }
    for (const [classId, { boxes, unreviewed }] of perClass) {
      const key = `${classId}:${boxes}:${unreviewed}`;
      const group = groups.get(key) ?? { classId, boxes, unreviewed, imageIds: [] };
      group.imageIds.push(sample.imageId);
      groups.set(key, group);
    }
  }
  return [...groups.values()];
}

/**
 * Commits a batch of samples in one transaction: locks the request row, and unless the request was
 * cancelled, inserts Image + Annotation + Lineage for every sample whose (request, index) has no
 * row yet, and moves the counters (of every class the images carry) and the progress. The images
 * are stored first, each under its sample's own key, so a retry overwrites them with the same
 * bytes. Returns how many were new.
 */
async function commitSamples(
  deps: FillWorkerDeps,
  req: RequestRow,
  executionProvider: string,
  samples: readonly MadeSample[],
): Promise<number> {
  const { prisma, storage } = deps;
  const stored = await Promise.all(
    samples.map(async (s) => {
      const key = syntheticKey(req.id, s.index, extensionOf(s.mimeType));
      await storage.put("images", key, s.bytes, { contentType: s.mimeType });
      return { s, key, sha256: createHash("sha256").update(s.bytes).digest("hex") };
    }),
  );
  return prisma.$transaction(
    async (tx) => {
      // The request row, locked, and which of these samples already have their row: one round trip.
      const [locked] = await tx.$queryRaw<
        { cancelledAt: Date | null; status: string; existing: number[] }[]
      >`
        SELECT r."cancelledAt", r.status::text AS status,
               ARRAY(SELECT l."sampleIndex" FROM "Lineage" l
                     WHERE l."requestId" = r.id AND l."sampleIndex" = ANY(${stored.map((x) => x.s.index)}::int[])) AS existing
        FROM "GenerationRequest" r WHERE r.id = ${req.id}::uuid FOR UPDATE OF r`;
      if (!locked || locked.cancelledAt || locked.status === "CANCELLED") throw new Cancelled();
      const existing = new Set(locked.existing);
      const fresh = stored
        .filter((x) => !existing.has(x.s.index))
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
          mimeType: x.s.mimeType,
          width: x.s.width,
          height: x.s.height,
          bytes: x.s.bytes.length,
          filename: `fill-${req.id.slice(0, 8)}-${String(x.s.index).padStart(4, "0")}.${extensionOf(x.s.mimeType)}`,
          split: "TRAIN" as const,
          origin: "SYNTHETIC" as const,
          reviewState: "PENDING" as const,
          tags: ["synthetic"],
          createdById: req.requestedById,
        })),
      });
      await tx.annotation.createMany({
        data: fresh.flatMap((x) => x.s.annotations.map((a) => ({ imageId: x.imageId, ...a }))),
      });
      const samplesWithIds = fresh.map((x) => ({ ...x.s, imageId: x.imageId }));
      for (const group of countsByClass(samplesWithIds))
        await addNewImagesOfClass(
          tx,
          {
            datasetId: req.datasetId,
            classId: group.classId,
            split: "TRAIN",
            origin: "SYNTHETIC",
            reviewState: "PENDING",
          },
          group.imageIds,
          group.boxes,
          group.unreviewed,
        );
      await tx.lineage.createMany({
        data: fresh.map(({ s, imageId }) => ({
          imageId,
          requestId: req.id,
          sampleIndex: s.index,
          seed: req.seed,
          method: req.method,
          output: req.output,
          executionProvider,
          ...s.lineage,
        })),
      });
      await tx.$executeRaw`
        UPDATE "GenerationRequest" SET completed = completed + ${fresh.length}, "heartbeatAt" = now() WHERE id = ${req.id}::uuid`;
      return fresh.length;
    },
    { timeout: 30_000 },
  );
}

/** The model a MODEL fill runs, loaded; a final failure is recorded and answered with null. */
async function loadPool(deps: FillWorkerDeps, req: RequestRow): Promise<SessionPool | null> {
  if (req.method !== "MODEL") return null;
  if (!req.modelVersion) {
    await failFill(deps.prisma, req.id, "a model fill names no model");
    return null;
  }
  try {
    return await deps.models.get(req.modelVersion);
  } catch (error) {
    // sha256 mismatch or a corrupt file is final; storage being down is retried by the queue
    if (error instanceof GeneratorError) {
      await failFill(
        deps.prisma,
        req.id,
        `model ${req.modelVersion.name} ${req.modelVersion.version}: ${error.message}`,
      );
      return null;
    }
    throw error;
  }
}

/** The request's hosts that are still real TRAIN images (the leakage guard, at generation time). */
async function stillHosts(prisma: PrismaClient, req: RequestRow): Promise<string[]> {
  const valid = new Set(await hostCandidates(prisma, req.datasetId, "ANY"));
  return req.hostIds.filter((id) => valid.has(id));
}

/**
 * Makes the samples of given indices, by the request's method and output (fills and previews). A
 * best-of model fill plans candidates 0 … bestOf−1 of every index (candidate 0 is the sample's
 * plan without selection), generates and scores them all in one pass, and composites or crops
 * only the candidate each sample keeps.
 */
export function sampleMaker(
  deps: Pick<FillWorkerDeps, "prisma" | "models">,
  req: RequestRow,
  pool: SessionPool | null,
  ctx: CompositeContext | null,
  candidates: readonly string[],
  boxes: ReadonlyMap<string, ReferenceBox>,
): (indices: number[]) => Promise<MadeSample[]> {
  return async (indices) => {
    if (!pool) return copyPasteSamples(req, ctx!, candidates, boxes, indices);
    const bestOf = req.bestOf;
    const planned = indices.flatMap((index) =>
      Array.from({ length: bestOf }, (_, candidate) => {
        const plan = planSample({
          requestSeed: seedOf(req),
          index,
          candidate,
          candidates,
          shots: pool.meta.shots,
          gridCells: pool.meta.gridSize ** 2,
          fusedPositions: pool.meta.fusedPositions,
        });
        return { plan, boxes: plan.referenceIds.map((id) => boxes.get(id)!) };
      }),
    );
    const made = await makeSamples(
      pool,
      deps.models.shots(deps.prisma, pool.meta.imageSize),
      req.class.name,
      planned,
      deps.models.features(pool),
    );
    const samples = keepBest(made, bestOf);
    return ctx
      ? modelComposites(req, ctx, pool.meta.imageSize, samples)
      : cropSamples(req, pool.meta.imageSize, samples);
  };
}

/** Runs (or resumes) one fill request. Never throws for the request's own failures: it records them. */
export async function runFillJob(
  deps: FillWorkerDeps,
  requestId: string,
  signal?: AbortSignal,
): Promise<void> {
  const { prisma, log } = deps;
  const req = (await prisma.fillRequest.findUnique({
    where: { id: requestId },
    include: { modelVersion: true, class: { select: { name: true } } },
  })) as RequestRow | null;
  if (!req || !["QUEUED", "RUNNING"].includes(req.status)) return;
  if (req.cancelledAt) {
    await prisma.fillRequest.update({
      where: { id: req.id },
      data: { status: "CANCELLED", finishedAt: new Date() },
    });
    return;
  }

  const pool = await loadPool(deps, req);
  if (req.method === "MODEL" && !pool) return;
  const executionProvider = pool?.executionProvider ?? "cpu";
  await prisma.fillRequest.update({
    where: { id: req.id },
    data: {
      status: "RUNNING",
      startedAt: req.startedAt ?? new Date(),
      executionProvider,
      heartbeatAt: new Date(),
      error: null,
    },
  });

  // The leakage guard, again at generation time: only candidates still real TRAIN images count.
  const stillValid = new Set(await referenceCandidates(prisma, req.datasetId, req.classId));
  const candidates = req.candidateIds.filter((id) => stillValid.has(id));
  const shots = pool?.meta.shots ?? req.shots;
  if (candidates.length < shots)
    return failFill(
      prisma,
      req.id,
      `only ${candidates.length} of the request's reference images are still real train images with boxes; the fill needs ${shots}`,
    );
  const boxes = await referenceBoxes(prisma, req.classId, candidates);
  let ctx: CompositeContext | null = null;
  if (req.output === "COMPOSITE") {
    const hostIds = await stillHosts(prisma, req);
    if (hostIds.length === 0)
      return failFill(prisma, req.id, "none of the request's hosts is still a real train image");
    ctx = await compositeContext(prisma, deps.storage, { classId: req.classId, hostIds });
  }

  const done = new Set(
    (
      await prisma.lineage.findMany({ where: { requestId: req.id }, select: { sampleIndex: true } })
    ).map((l) => l.sampleIndex),
  );
  const todo = Array.from({ length: req.count }, (_, i) => i).filter((i) => !done.has(i));
  // Progress counts from the rows (commits add to it from here).
  await prisma.fillRequest.update({ where: { id: req.id }, data: { completed: done.size } });
  const batch = Math.max(1, deps.config.fills.batch);

  const makeBatch = sampleMaker(deps, req, pool, ctx, candidates, boxes);

  // Batch n's samples are stored and committed while batch n + 1 is made (onnxruntime runs on its
  // own threads); at most one batch of commits is in flight.
  let committing: Promise<void> = Promise.resolve();
  const commitAll = async (samples: MadeSample[]) => {
    await commitSamples(deps, req, executionProvider, samples);
  };
  try {
    for (let start = 0; start < todo.length; start += batch) {
      // Shutting down: leave the job to the queue (it is retried and resumes here or elsewhere).
      if (signal?.aborted)
        throw new Error("the worker is shutting down; the fill resumes on the next worker");
      // Checked while the batch is made (the commit checks again, under the request's lock).
      const status = prisma.fillRequest.findUnique({
        where: { id: req.id },
        select: { cancelledAt: true, status: true },
      });
      status.catch(() => undefined);
      const made = makeBatch(todo.slice(start, start + batch));
      made.catch(() => undefined); // observed below; this only keeps an early commit failure from leaving it unhandled
      const [samples, , current] = await Promise.all([made, committing, status]);
      if (!current || current.cancelledAt || current.status !== "RUNNING") throw new Cancelled();
      committing = commitAll(samples);
      committing.catch(() => undefined);
    }
    await committing;
  } catch (error) {
    await committing.catch(() => undefined);
    if (error instanceof Cancelled) {
      await prisma.fillRequest.updateMany({
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
    const updated = await tx.fillRequest.updateMany({
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
        entityType: "FillRequest",
        entityId: req.id,
        datasetId: req.datasetId,
        details: { completed, count: req.count, executionProvider },
      });
  });
}
