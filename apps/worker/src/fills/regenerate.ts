// Regenerate, a worker job: feeds a lineage row's stored plan (references and their boxes,
// coefficients, positions) back through the same model version, or crops its copy-paste source
// again, blends a composite's instance onto the same host with the recorded placement and blend,
// and compares the bytes with the stored image. A best-of sample's lineage holds its kept
// candidate's plan, so it replays the same way (the other candidates are not needed). The API
// waits for the job's output, a Result: expected refusals are values, so a bad request is answered
// at once instead of being retried.
import { createHash } from "node:crypto";
import type { Image, Lineage, ModelVersion, PrismaClient } from "@gridfill/db";
import type { Config } from "@gridfill/config";
import type { Storage } from "@gridfill/storage";
import {
  composite as c,
  GeneratorError,
  PLAN_ALGORITHM,
  toPng,
  type SamplePlan,
} from "@gridfill/generator";
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
import {
  blendSpec,
  copiedInstance,
  HostCache,
  modelInstance,
  type RecordedBlend,
} from "./composite.ts";

type RegenerateDeps = { prisma: PrismaClient; storage: Storage; config: Config };

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

type LineageRow = Lineage & {
  image: Image;
  modelVersion: ModelVersion | null;
  request: { class: { name: string } };
};

interface Replayed {
  bytes: Buffer;
  mimeType: string;
  executionProvider: string;
}

/** The generator's output for the lineage's stored plan, through the same model version. */
async function replayPlan(deps: RegenerateDeps, lineage: LineageRow) {
  const model = lineage.modelVersion;
  if (!model) throw badInput("the lineage names no model");
  if (model.generatorSha256 !== lineage.modelSha256)
    throw badInput(
      `the lineage names generator sha256 ${lineage.modelSha256}, model ${model.name} ${model.version} now pins ${model.generatorSha256}`,
    );
  let pool;
  try {
    pool = await processModelCache(deps.storage, deps.config).get(model);
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
  const [sample] = await makeSamples(
    pool,
    createShotCache(deps.prisma, deps.storage, model.imageSize),
    lineage.request.class.name,
    [{ plan, boxes }],
  );
  return { image: sample!.image, size: model.imageSize, executionProvider: pool.executionProvider };
}

/** The composite again: the same instance on the same host, with the recorded placement and blend. */
async function replayComposite(
  deps: RegenerateDeps,
  lineage: LineageRow,
  instance: c.Raster,
  hosts: HostCache,
): Promise<{ bytes: Buffer; mimeType: string }> {
  if (!lineage.hostImageId || !lineage.placement || !lineage.blend)
    throw badInput("the lineage of this composite has no host, placement or blend");
  const host = await hosts.get(lineage.hostImageId);
  if (host.sha256 !== lineage.hostSha256)
    throw badInput(`host image ${host.id} is no longer the image the composite was made on`);
  const blend = lineage.blend as unknown as RecordedBlend;
  const out = await c.renderComposite(host.raster, instance, {
    placement: lineage.placement as unknown as c.PixelBox,
    transform: blend.transform,
    ...blendSpec(blend),
  });
  return { bytes: out.bytes, mimeType: out.mimeType };
}

async function replay(deps: RegenerateDeps, lineage: LineageRow): Promise<Replayed> {
  const hosts = new HostCache(deps.prisma, deps.storage);
  if (lineage.method === "COPY_PASTE") {
    const [box] = lineage.referenceBoxes as unknown as ReferenceBox[];
    if (!box) throw badInput("the lineage of this copy-paste sample has no source box");
    const instance = await copiedInstance(hosts, box);
    return {
      ...(await replayComposite(deps, lineage, instance, hosts)),
      executionProvider: "cpu",
    };
  }
  const generated = await replayPlan(deps, lineage);
  if (lineage.output === "CROP")
    return {
      bytes: await toPng(generated.image, generated.size),
      mimeType: "image/png",
      executionProvider: generated.executionProvider,
    };
  const instance = modelInstance(generated.image, generated.size);
  return {
    ...(await replayComposite(deps, lineage, instance, hosts)),
    executionProvider: generated.executionProvider,
  };
}

export async function regenerate(
  deps: RegenerateDeps,
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
  let replayed: Replayed;
  try {
    replayed = await replay(deps, lineage);
  } catch (error) {
    if (error instanceof GeneratorError || (error as Error).message?.includes("no longer exists"))
      throw badInput(`cannot regenerate: ${(error as Error).message}`);
    throw error;
  }
  const { bytes, executionProvider } = replayed;
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const key = `regenerated/${lineage.id}.${replayed.mimeType === "image/jpeg" ? "jpg" : "png"}`;
  await storage.put("exports", key, bytes, { contentType: replayed.mimeType });
  const url = await storage.presignGet("exports", key, { ttl: REGENERATED_TTL_SECONDS });
  const identical = sha256 === lineage.image.sha256;
  await prisma.$transaction((tx) =>
    recordAudit(tx, {
      actor,
      action: "fill.regenerate",
      entityType: "Image",
      entityId: lineage.imageId,
      datasetId: lineage.image.datasetId,
      details: { identical, sha256, executionProvider },
    }),
  );
  return {
    originalSha256: lineage.image.sha256,
    sha256,
    identical,
    executionProvider,
    url: url.url,
  };
}
