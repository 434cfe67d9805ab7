// Fill requests: the API side of synthetic fills. requestFill checks everything a worker will need
// (class, count, model bytes and contract, enough real TRAIN references, the synthetic share cap)
// and, in one transaction, writes the request and enqueues its job: a refused request writes
// nothing. Cancel, review and lineage reads live here too; generation is in the worker (apps/worker/src/fills).
import { randomBytes } from "node:crypto";
import type { FillRequest, ModelVersion, Prisma, PrismaClient } from "@gridfill/db";
import { shareCapAllowance } from "@gridfill/balance";
import { canonicalSeed, MAX_BEST_OF } from "@gridfill/generator/contract";
import type { Config } from "@gridfill/config";
import type { Storage } from "@gridfill/storage";
import type { Actor } from "../context.ts";
import { badInput, conflict, notFound, requireUuid } from "../errors.ts";
import { recordAudit, type Tx } from "../audit/record.ts";
import { changeImageState, lockImages } from "../balance/counters.ts";
import { datasetFillPlan, type FillStrategyInput } from "../balance/service.ts";
import { QUEUES, type JobQueue } from "../jobs/queues.ts";
import { verifyStoredModel } from "../models/service.ts";
import { requestHosts, type HostChoice } from "./hosts.ts";

/** What `regenerate` answers: the replayed image's sha256 against the stored one. */
export interface RegenerateResult {
  originalSha256: string;
  sha256: string;
  identical: boolean;
  executionProvider: string;
  /** Presigned GET of the regenerated PNG. */
  url: string;
}

/** A reference image's box of the class, as the lineage stores it (`Lineage.referenceBoxes`). */
export interface ReferenceBox {
  imageId: string;
  annotationId: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FillDeps {
  prisma: PrismaClient;
  storage: Storage;
  config: Config;
  jobs?: JobQueue;
}

export type FillMethod = "MODEL" | "COPY_PASTE";
export type FillOutput = "COMPOSITE" | "CROP";

export interface RequestFillInput {
  datasetId: string;
  classId: string;
  count?: number | null;
  strategy?: FillStrategyInput | null;
  modelVersionId?: string | null;
  seed?: string | null;
  /** Default: MODEL when a model is named or active, COPY_PASTE otherwise. */
  method?: FillMethod | null;
  /** Default: COMPOSITE. */
  output?: FillOutput | null;
  /** Default: CLEAN_ONLY, falling back to any real train image when none is clean. */
  hosts?: HostChoice | null;
  /**
   * Model fills with a critic: generate this many candidates per sample and keep the one the
   * critic scores highest (1 .. MAX_BEST_OF). Default 1, no selection.
   */
  bestOf?: number | null;
}

/** Real instances a copy-paste fill needs at least, when GRIDFILL_FILL_MIN_REFERENCES is unset. */
export const COPY_PASTE_MIN_INSTANCES = 3;

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (!allowed.includes(value as T))
    throw badInput(`${name} must be one of ${allowed.join(", ")}, got ${String(value)}`, {
      reason: "INVALID_OPTION",
    });
  return value as T;
}

interface FillOptions {
  method: FillMethod;
  output: FillOutput;
  hosts: HostChoice;
  model: ModelVersion | null;
  bestOf: number;
}

/** bestOf, checked: choosing between candidates needs generated ones and a critic to score them. */
function checkBestOf(
  raw: number | null | undefined,
  method: FillMethod,
  model: ModelVersion | null,
): number {
  const bestOf = raw ?? 1;
  if (!Number.isInteger(bestOf) || bestOf < 1 || bestOf > MAX_BEST_OF)
    throw badInput(`bestOf must be a whole number from 1 to ${MAX_BEST_OF}, got ${bestOf}`, {
      reason: "INVALID_OPTION",
    });
  if (bestOf === 1) return bestOf;
  if (method !== "MODEL")
    throw badInput(
      "bestOf keeps the critic's best of several generated candidates: it applies to model fills only, leave it at 1 for copy-paste",
      { reason: "INVALID_OPTION" },
    );
  if (!model?.criticKey)
    throw badInput(
      `${model ? `model ${model.name} ${model.version}` : "the model"} has no critic to choose between candidates: leave bestOf at 1, or use a model registered with its critic`,
      { reason: "NO_CRITIC" },
    );
  return bestOf;
}

/** The request's method, output, host choice and bestOf, with their defaults; impossible combinations refused. */
async function fillOptions(prisma: PrismaClient, input: RequestFillInput): Promise<FillOptions> {
  const output = oneOf(input.output ?? "COMPOSITE", ["COMPOSITE", "CROP"] as const, "output");
  const hosts = oneOf(input.hosts ?? "CLEAN_ONLY", ["CLEAN_ONLY", "ANY"] as const, "hosts");
  let method: FillMethod;
  if (input.method != null)
    method = oneOf(input.method, ["MODEL", "COPY_PASTE"] as const, "method");
  else
    method =
      input.modelVersionId || (await prisma.modelVersion.count({ where: { status: "ACTIVE" } }))
        ? "MODEL"
        : "COPY_PASTE";
  if (method === "COPY_PASTE") {
    if (input.modelVersionId)
      throw badInput("a copy-paste fill uses no model: leave modelVersionId out", {
        reason: "INVALID_OPTION",
      });
    if (output === "CROP")
      throw badInput("copy-paste makes composites only: use output COMPOSITE", {
        reason: "INVALID_OPTION",
      });
    return { method, output, hosts, model: null, bestOf: checkBestOf(input.bestOf, method, null) };
  }
  const model = await chooseModel(prisma, input.modelVersionId);
  return { method, output, hosts, model, bestOf: checkBestOf(input.bestOf, method, model) };
}

/**
 * Real TRAIN images with at least one box of the class, sorted by id: the reference candidates.
 * Boxes a detector proposed and no human has reviewed count only where the dataset counts them
 * (`countUnreviewedPredicted`), as in its balance and fill plan.
 */
export async function referenceCandidates(
  db: Tx | PrismaClient,
  datasetId: string,
  classId: string,
): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT ic."imageId"::text AS id FROM "ImageClass" ic JOIN "Dataset" d ON d.id = ic."datasetId"
    WHERE ic."datasetId" = ${datasetId}::uuid AND ic."classId" = ${classId}::uuid
      AND ic.split = 'TRAIN' AND ic.origin = 'REAL'
      AND ic.boxes - CASE WHEN d."countUnreviewedPredicted" THEN 0 ELSE ic."unreviewedPredicted" END > 0
    ORDER BY ic."imageId"`;
  return rows.map((r) => r.id);
}

/**
 * The box each reference image contributes: its largest box of the class (ties: lowest id), among
 * the boxes `referenceCandidates` counts.
 */
export async function referenceBoxes(
  db: Tx | PrismaClient,
  classId: string,
  imageIds: readonly string[],
): Promise<Map<string, ReferenceBox>> {
  const rows = await db.$queryRaw<ReferenceBox[]>`
    SELECT DISTINCT ON (a."imageId") a."imageId"::text AS "imageId", a.id::text AS "annotationId",
           a.x, a.y, a.width, a.height
    FROM "Annotation" a
    JOIN "DefectClass" c ON c.id = a."classId"
    JOIN "Dataset" d ON d.id = c."datasetId"
    WHERE a."classId" = ${classId}::uuid AND a."imageId" = ANY(${[...imageIds]}::uuid[])
      AND (d."countUnreviewedPredicted" OR NOT (a.source = 'PREDICTED' AND a.review = 'UNREVIEWED'))
    ORDER BY a."imageId", a.width * a.height DESC, a.id`;
  return new Map(rows.map((r) => [r.imageId, r]));
}

/** Synthetic images of the class that are not rejected, plus what queued and running fills will add. */
async function syntheticInFlight(
  prisma: PrismaClient,
  datasetId: string,
  classId: string,
): Promise<number> {
  const [present] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT COALESCE(sum(images), 0)::int AS n FROM "ClassCounter"
    WHERE "datasetId" = ${datasetId}::uuid AND "classId" = ${classId}::uuid
      AND origin = 'SYNTHETIC' AND "reviewState" IN ('PENDING', 'ACCEPTED')`;
  const [pending] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT COALESCE(sum(count - completed), 0)::int AS n FROM "GenerationRequest"
    WHERE "datasetId" = ${datasetId}::uuid AND "classId" = ${classId}::uuid
      AND status IN ('QUEUED', 'RUNNING') AND "cancelledAt" IS NULL`;
  return (present?.n ?? 0) + (pending?.n ?? 0);
}

function parseSeed(raw: string | null | undefined): bigint {
  if (raw === null || raw === undefined || raw.trim() === "")
    return BigInt.asUintN(64, randomBytes(8).readBigUInt64BE());
  const text = raw.trim();
  if (!/^\d{1,20}$/.test(text) || BigInt(text) > 0xffff_ffff_ffff_ffffn)
    throw badInput("seed must be a whole number between 0 and 18446744073709551615");
  return BigInt(canonicalSeed(text));
}

async function chooseModel(
  prisma: PrismaClient,
  id: string | null | undefined,
): Promise<ModelVersion> {
  if (id) {
    const model = await prisma.modelVersion.findUnique({
      where: { id: requireUuid(id, "model version") },
    });
    if (!model) throw notFound("model version", id);
    return model;
  }
  const active = await prisma.modelVersion.findFirst({
    where: { status: "ACTIVE" },
    orderBy: { id: "desc" },
  });
  if (!active)
    throw badInput(
      "no model is active: register one and activate it, or name one with modelVersionId",
      { reason: "NO_MODEL" },
    );
  return active;
}

/** Everything a fill request is made of, checked: what requestFill writes and previewFill renders. */
export interface CheckedFill {
  datasetId: string;
  classId: string;
  className: string;
  count: number;
  strategy: Prisma.InputJsonValue | undefined;
  seed: bigint;
  method: FillMethod;
  output: FillOutput;
  hosts: HostChoice;
  hostIds: string[];
  model: ModelVersion | null;
  bestOf: number;
  shots: number;
  candidates: string[];
}

/**
 * Checks a fill request (class, count, options, references, hosts, model bytes); a preview skips
 * the share cap, since it writes nothing. Throws the refusal.
 */
export async function checkFill(
  deps: FillDeps,
  input: RequestFillInput,
  { preview = false } = {},
): Promise<CheckedFill> {
  const { prisma, config } = deps;
  const datasetId = requireUuid(input.datasetId, "dataset");
  const classId = requireUuid(input.classId, "class");
  const dataset = await prisma.dataset.findUnique({ where: { id: datasetId } });
  if (!dataset) throw notFound("dataset", input.datasetId);
  const defectClass = await prisma.defectClass.findFirst({ where: { id: classId, datasetId } });
  if (!defectClass) throw notFound("class", input.classId);
  if ((input.count == null) === (input.strategy == null))
    throw badInput("give either count or strategy");
  const seed = parseSeed(input.seed);
  const { method, output, hosts, model, bestOf } = await fillOptions(prisma, input);
  const shots = model?.shots ?? Math.max(COPY_PASTE_MIN_INSTANCES, config.fills.minReferences ?? 0);
  if (defectClass.isHostObject && input.strategy)
    throw badInput(
      `class ${defectClass.name} is a host object, not a defect: fill plans leave it out (give a count to fill it anyway)`,
      { reason: "NOTHING_TO_FILL" },
    );

  let count: number;
  let strategy: Prisma.InputJsonValue | undefined;
  if (input.strategy) {
    const { plan } = await datasetFillPlan(prisma, dataset, input.strategy, shots);
    const row = plan.classes.find((c) => c.classId === classId);
    if (row?.blockedReason)
      throw badInput(`class ${defectClass.name} cannot be filled: ${row.blockedReason}`, {
        reason: "NOT_ENOUGH_REFERENCES",
      });
    count = row?.toGenerate ?? 0;
    if (count === 0)
      throw badInput(
        `the ${input.strategy.kind} plan has nothing to generate for class ${defectClass.name}`,
        { reason: "NOTHING_TO_FILL" },
      );
    strategy = { ...input.strategy, plannedCount: count } as Prisma.InputJsonValue;
  } else {
    count = input.count!;
  }
  if (!Number.isInteger(count) || count < 1)
    throw badInput(`count must be a whole number of at least 1, got ${count}`, {
      reason: "INVALID_COUNT",
    });
  if (count > config.fills.maxCount)
    throw badInput(
      `count ${count} is above the limit of ${config.fills.maxCount} images per request`,
      { reason: "COUNT_LIMIT" },
    );

  const candidates = await referenceCandidates(prisma, datasetId, classId);
  const needed = Math.max(shots, config.fills.minReferences ?? 0);
  if (candidates.length < needed)
    throw badInput(
      `class ${defectClass.name} has ${candidates.length} real train image(s) with boxes; a ${method === "COPY_PASTE" ? "copy-paste" : "model"} fill needs at least ${needed}`,
      { reason: "NOT_ENOUGH_REFERENCES", available: candidates.length, needed },
    );
  const allowed = preview
    ? count
    : shareCapAllowance(
        candidates.length,
        await syntheticInFlight(prisma, datasetId, classId),
        dataset.syntheticShareCap,
      );
  if (count > allowed)
    throw badInput(
      `the dataset caps synthetic images at ${Math.round(dataset.syntheticShareCap * 100)}% of a class; ${defectClass.name} can take ${Math.max(0, allowed)} more`,
      { reason: "SYNTHETIC_SHARE_CAP", allowed: Math.max(0, allowed) },
    );
  const hostIds = output === "COMPOSITE" ? await requestHosts(prisma, datasetId, hosts) : [];
  if (output === "COMPOSITE" && hostIds.length === 0)
    throw badInput(`dataset ${dataset.name} has no real train image to composite onto`, {
      reason: "NO_HOSTS",
    });
  if (model) await verifyStoredModel(deps.storage, model);
  return {
    datasetId,
    classId,
    className: defectClass.name,
    count,
    strategy,
    seed,
    method,
    output,
    hosts,
    hostIds,
    model,
    bestOf,
    shots,
    candidates,
  };
}

export async function requestFill(
  deps: FillDeps,
  actor: Actor,
  input: RequestFillInput,
): Promise<FillRequest> {
  const checked = await checkFill(deps, input);
  if (!deps.jobs) throw conflict("the job runner is not running; fills cannot start");
  const jobs = deps.jobs;
  const { datasetId, classId, model, method, output, hosts, hostIds, count, strategy } = checked;
  const { shots, seed, candidates, bestOf } = checked;

  return deps.prisma.$transaction(async (tx) => {
    const row = await tx.fillRequest.create({
      data: {
        datasetId,
        classId,
        modelVersionId: model?.id ?? null,
        method,
        output,
        hosts,
        hostIds,
        count,
        ...(strategy ? { strategy } : {}),
        shots,
        seed: BigInt.asIntN(64, seed),
        bestOf,
        candidateIds: candidates,
        requestedById: actor?.id ?? null,
      },
    });
    await recordAudit(tx, {
      actor,
      action: "fill.request",
      entityType: "FillRequest",
      entityId: row.id,
      datasetId,
      details: {
        classId,
        className: checked.className,
        count,
        model: model ? `${model.name} ${model.version}` : null,
        method,
        output,
        hosts: hostIds.length,
        seed: seed.toString(),
        ...(bestOf > 1 ? { bestOf } : {}),
      },
    });
    // Enqueued inside the same transaction: the request and its job exist together or not at all.
    const jobId = await jobs.send(QUEUES.fill, { id: row.id }, { tx });
    return tx.fillRequest.update({ where: { id: row.id }, data: { jobId } });
  });
}

/** The request's seed as the unsigned decimal the lineage and API show. */
export function seedOf(row: { seed: bigint }): string {
  return BigInt.asUintN(64, row.seed).toString();
}

export async function cancelFill(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
): Promise<FillRequest> {
  const requestId = requireUuid(id, "fill request");
  return prisma.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ status: string }[]>`
      SELECT status::text AS status FROM "GenerationRequest" WHERE id = ${requestId}::uuid FOR UPDATE`;
    if (!locked) throw notFound("fill request", id);
    if (!["QUEUED", "RUNNING"].includes(locked.status))
      throw badInput(`the fill request is already ${locked.status.toLowerCase()}`);
    const now = new Date();
    // A queued request ends here; a running one ends when its worker reaches the next sample.
    const row = await tx.fillRequest.update({
      where: { id: requestId },
      data:
        locked.status === "QUEUED"
          ? { cancelledAt: now, status: "CANCELLED", finishedAt: now }
          : { cancelledAt: now },
    });
    await recordAudit(tx, {
      actor,
      action: "fill.cancel",
      entityType: "FillRequest",
      entityId: requestId,
      datasetId: row.datasetId,
    });
    return row;
  });
}

export function listFillRequests(
  prisma: PrismaClient,
  datasetId: string,
  statuses: readonly string[] | null | undefined,
  first: number,
) {
  return prisma.fillRequest.findMany({
    where: {
      datasetId: requireUuid(datasetId, "dataset"),
      ...(statuses?.length ? { status: { in: statuses as FillRequest["status"][] } } : {}),
    },
    orderBy: { id: "desc" },
    take: Math.max(1, Math.min(first, 100)),
  });
}

export const MAX_REVIEW_BATCH = 500;
const DECISIONS = { ACCEPT: "ACCEPTED", REJECT: "REJECTED", RESET: "PENDING" } as const;

/** Accepts, rejects or resets synthetic images; counters move with them in the same transaction. */
export async function reviewImages(
  prisma: PrismaClient,
  actor: Actor,
  imageIds: readonly string[],
  decision: keyof typeof DECISIONS,
) {
  const state = DECISIONS[decision];
  if (!state) throw badInput("decision must be ACCEPT, REJECT or RESET");
  if (imageIds.length === 0) throw badInput("give at least one image");
  if (imageIds.length > MAX_REVIEW_BATCH)
    throw badInput(`review at most ${MAX_REVIEW_BATCH} images at once`);
  const ids = [...new Set(imageIds.map((i) => requireUuid(i, "image")))];
  return prisma.$transaction(
    async (tx) => {
      const images = await lockImages(tx, ids);
      if (images.length !== ids.length) {
        const found = new Set(images.map((i) => i.id));
        throw notFound(
          "image",
          ids.find((i) => !found.has(i)),
        );
      }
      const real = images.find((i) => i.origin !== "SYNTHETIC");
      if (real)
        throw badInput(`image ${real.id} is a real image; only synthetic images are reviewed`);
      const changed = await changeImageState(tx, images, { reviewState: state });
      if (changed.length) {
        await tx.lineage.updateMany({
          where: { imageId: { in: changed } },
          data:
            state === "PENDING"
              ? { reviewerId: null, reviewedAt: null }
              : { reviewerId: actor?.id ?? null, reviewedAt: new Date() },
        });
        for (const datasetId of new Set(images.map((i) => i.datasetId))) {
          const inDataset = images
            .filter((i) => i.datasetId === datasetId && changed.includes(i.id))
            .map((i) => i.id);
          if (inDataset.length)
            await recordAudit(tx, {
              actor,
              action: `fill.review.${decision.toLowerCase()}`,
              entityType: "Image",
              datasetId,
              details: { imageIds: inDataset.slice(0, 1000), count: inDataset.length },
            });
        }
      }
      return { changed: changed.length, ids };
    },
    { timeout: 60_000 },
  );
}

export async function findLineage(prisma: PrismaClient, imageId: string) {
  return prisma.lineage.findUnique({ where: { imageId: requireUuid(imageId, "image") } });
}
