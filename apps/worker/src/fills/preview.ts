// The preview job: renders a few samples of a fill from the checked request the API left under
// previews/<id>/, through the same sampling core as a fill (sampleMaker), stores them beside it and
// answers presigned URLs. No row is written; old previews are swept first.
import type { PrismaClient } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import { GeneratorError } from "@gridfill/generator";
import { badInput, DomainError, type Result } from "@gridfill/core/errors.ts";
import type { JobData } from "@gridfill/core/jobs/queues.ts";
import {
  previewKey,
  PREVIEW_TTL_SECONDS,
  readPreviewSpec,
  sweepPreviews,
  type FillPreview,
} from "@gridfill/core/fills/preview.ts";
import type { ModelCache } from "./models.ts";
import { referenceBoxes } from "./sampling.ts";
import { compositeContext } from "./composite.ts";
import { sampleMaker, type RequestRow } from "./job.ts";

type PreviewDeps = { prisma: PrismaClient; storage: Storage; models: ModelCache };

export async function runPreviewJob(
  deps: PreviewDeps,
  data: JobData,
): Promise<Result<FillPreview>> {
  try {
    return { ok: true, value: await renderPreview(deps, data.id) };
  } catch (error) {
    const refusal =
      error instanceof GeneratorError ? badInput(`cannot preview: ${error.message}`) : error;
    if (refusal instanceof DomainError)
      return {
        ok: false,
        code: refusal.code,
        message: refusal.message,
        extensions: refusal.extensions,
      };
    throw error;
  }
}

async function renderPreview(deps: PreviewDeps, id: string): Promise<FillPreview> {
  const { prisma, storage } = deps;
  await sweepPreviews(storage);
  const spec = await readPreviewSpec(storage, id);
  const model = spec.modelVersionId
    ? await prisma.modelVersion.findUniqueOrThrow({ where: { id: spec.modelVersionId } })
    : null;
  const pool = model ? await deps.models.get(model) : null;
  // The request as requestFill would have written it, never stored.
  const req = {
    id,
    datasetId: spec.datasetId,
    classId: spec.classId,
    seed: BigInt.asIntN(64, BigInt(spec.seed)),
    method: spec.method,
    output: spec.output,
    hostIds: spec.hostIds,
    candidateIds: spec.candidates,
    bestOf: spec.bestOf ?? 1,
    modelVersionId: model?.id ?? null,
    modelVersion: model,
    requestedById: null,
    class: { name: spec.className },
  } as unknown as RequestRow;
  const boxes = await referenceBoxes(prisma, spec.classId, spec.candidates);
  const ctx =
    spec.output === "COMPOSITE"
      ? await compositeContext(prisma, storage, { classId: spec.classId, hostIds: spec.hostIds })
      : null;
  const made = await sampleMaker(
    deps,
    req,
    pool,
    ctx,
    spec.candidates,
    boxes,
  )(Array.from({ length: spec.samples }, (_, i) => i));
  const samples = await Promise.all(
    made.map(async (s) => {
      const key = previewKey(id, `${s.index}.${s.mimeType === "image/jpeg" ? "jpg" : "png"}`);
      await storage.put("exports", key, s.bytes, { contentType: s.mimeType });
      const placement = (s.lineage.placement ??
        null) as FillPreview["samples"][number]["placement"];
      return {
        index: s.index,
        url: (await storage.presignGet("exports", key, { ttl: PREVIEW_TTL_SECONDS })).url,
        mimeType: s.mimeType,
        width: s.width,
        height: s.height,
        placement,
        hostImageId: (s.lineage.hostImageId as string | undefined) ?? null,
        boxes: s.annotations.length,
      };
    }),
  );
  return { id, seed: spec.seed, samples };
}
