// Regenerate, a worker job: feeds a lineage row's stored plan (references and their boxes,
// coefficients, positions) back through the same model version and compares the bytes with the
// stored image. The API waits for the job's output, a Result: expected refusals are values, so a
// bad request is answered at once instead of being retried.
import { createHash } from "node:crypto";
import type { PrismaClient } from "@gridfill/db";
import type { Config } from "@gridfill/config";
import type { Storage } from "@gridfill/storage";
import { GeneratorError, PLAN_ALGORITHM, toPng, type SamplePlan } from "@gridfill/generator";
import type { Actor } from "@gridfill/core/context.ts";
import {
  badInput,
  DomainError,
  notFound,
  requireUuid,
  type Result,
} from "@gridfill/core/errors.ts";
import { recordAudit } from "@gridfill/core/audit/record.ts";
import { seedOf, type RegenerateResult } from "@gridfill/core/fills/service.ts";
import type { JobData } from "@gridfill/core/jobs/queues.ts";
import { createShotCache, processModelCache } from "./models.ts";
import { makeSamples, type ReferenceBox } from "./sampling.ts";

const REGENERATED_TTL_SECONDS = 3600;

/** The regenerate job's handler: its return value is the job's output. */
export async function runRegenerateJob(
  deps: { prisma: PrismaClient; storage: Storage; config: Config },
  data: JobData,
): Promise<Result<RegenerateResult>> {
  try {
    return { ok: true, value: await regenerate(deps, data.actor ?? null, data.id) };
  } catch (error) {
    if (error instanceof DomainError)
      return { ok: false, code: error.code, message: error.message, extensions: error.extensions };
    throw error;
  }
}

export async function regenerate(
  deps: { prisma: PrismaClient; storage: Storage; config: Config },
  actor: Actor,
  imageId: string,
): Promise<RegenerateResult> {
  const { prisma, storage } = deps;
  const lineage = await prisma.lineage.findUnique({
    where: { imageId: requireUuid(imageId, "image") },
    include: {
      image: true,
      modelVersion: true,
      request: { include: { class: { select: { name: true } } } },
    },
  });
  if (!lineage) throw notFound("lineage of image", imageId);
  const model = lineage.modelVersion;
  if (model.generatorSha256 !== lineage.modelSha256)
    throw badInput(
      `the lineage names generator sha256 ${lineage.modelSha256}, model ${model.name} ${model.version} now pins ${model.generatorSha256}`,
    );
  let pool;
  try {
    pool = await processModelCache(storage, deps.config).get(model);
  } catch (error) {
    if (error instanceof GeneratorError)
      throw badInput(`model ${model.name} ${model.version}: ${error.message}`, {
        reason: error.code,
      });
    throw error;
  }
  const boxes = lineage.referenceBoxes as unknown as ReferenceBox[];
  const plan: SamplePlan = {
    algorithm: PLAN_ALGORITHM,
    requestSeed: seedOf(lineage),
    index: lineage.sampleIndex,
    shots: lineage.referenceImageIds.length,
    gridCells: model.gridSize ** 2,
    fusedPositions: lineage.positions.length,
    referenceIds: lineage.referenceImageIds,
    baseIndex: 0,
    coefficients: lineage.coefficients,
    positions: lineage.positions,
  };
  let sample;
  try {
    [sample] = await makeSamples(
      pool,
      createShotCache(prisma, storage, model.imageSize),
      lineage.request.class.name,
      [{ plan, boxes }],
    );
  } catch (error) {
    if (error instanceof GeneratorError || (error as Error).message?.includes("no longer exists"))
      throw badInput(`cannot regenerate: ${(error as Error).message}`);
    throw error;
  }
  const png = await toPng(sample!.image, model.imageSize);
  const sha256 = createHash("sha256").update(png).digest("hex");
  const key = `regenerated/${lineage.id}.png`;
  await storage.put("exports", key, png, { contentType: "image/png" });
  const url = await storage.presignGet("exports", key, { ttl: REGENERATED_TTL_SECONDS });
  const identical = sha256 === lineage.image.sha256;
  await prisma.$transaction((tx) =>
    recordAudit(tx, {
      actor,
      action: "fill.regenerate",
      entityType: "Image",
      entityId: lineage.imageId,
      datasetId: lineage.image.datasetId,
      details: { identical, sha256, executionProvider: pool.executionProvider },
    }),
  );
  return {
    originalSha256: lineage.image.sha256,
    sha256,
    identical,
    executionProvider: pool.executionProvider,
    url: url.url,
  };
}
