// The image grid and bulk edits. Pages are keyset pages on the time-ordered uuid, served by
// index range scans at any depth: one branch per (split, origin) of the filter, merged by id
// (Merge Append), over Image (datasetId, split, origin, id) or, with a class filter, over
// ImageClass (datasetId, classId, split, origin, imageId). Never OFFSET. The prediction-error
// filter is matched outside SQL (predictions/error-images.ts) and joins every branch as a fixed,
// sorted set of image ids.
import type { Image, PrismaClient } from "@gridfill/db";
import type { Origin, ReviewState, Split } from "@gridfill/balance";
import { SPLITS } from "@gridfill/balance";
import type { Deps, Actor } from "../context.ts";
import { sqlOf, type Db } from "../db.ts";
import type { Logger } from "../log.ts";
import { badInput, isUuid, notFound, requireUuid } from "../errors.ts";
import { recordAudit } from "../audit/record.ts";
import { changeImageState, deleteImagesCounted, lockImages } from "../balance/counters.ts";
import { decodeCursor, toConnection, type Connection } from "../pagination.ts";
import { removeUnreferencedObjects, type StoredObject } from "./objects.ts";
import { normaliseTags } from "./tags.ts";
import {
  imagesWithPredictionErrors,
  type PredictionErrorFilter,
} from "../predictions/error-images.ts";

export const ORIGINS: readonly Origin[] = ["REAL", "SYNTHETIC"];
const REVIEW_STATES: readonly ReviewState[] = ["NONE", "PENDING", "ACCEPTED", "REJECTED"];
/** totalCount counts at most this many rows when it cannot read the counters. */
export const COUNT_CAP = 10_000;
/** Bulk edits take at most this many images per call. */
export const MAX_BULK_IMAGES = 10_000;

export interface ImageFilter {
  classId?: string | null;
  splits?: Split[] | null;
  origin?: Origin | null;
  reviewState?: ReviewState | null;
  tags?: string[] | null;
  capturedAfter?: Date | null;
  capturedBefore?: Date | null;
  /** Images on which a prediction run errs on a class (false positives or false negatives). */
  predictionError?: PredictionErrorFilter | null;
}

type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

function queryFn(deps: Db): Query {
  return sqlOf(deps);
}

const IMAGE_COLUMNS = `i.id::text AS id, i."datasetId"::text AS "datasetId", i.sha256, i."objectKey", i."mimeType",
  i.width, i.height, i.bytes, i.filename, i.split::text AS split, i.origin::text AS origin,
  i."reviewState"::text AS "reviewState", COALESCE(i.tags, '{}') AS tags,
  i."capturedAt" AT TIME ZONE 'UTC' AS "capturedAt", i.latitude, i.longitude,
  i."deviceId"::text AS "deviceId", i."towerId"::text AS "towerId", i."createdById"::text AS "createdById",
  i."createdAt" AT TIME ZONE 'UTC' AS "createdAt", i."updatedAt" AT TIME ZONE 'UTC' AS "updatedAt"`;

interface NormalisedFilter {
  datasetId: string;
  classId: string | null;
  splits: Split[] | null;
  origin: Origin | null;
  reviewState: ReviewState | null;
  tags: string[];
  capturedAfter: Date | null;
  capturedBefore: Date | null;
  /** Only these images (sorted), when a filter computed them outside SQL. */
  imageIds: string[] | null;
}

function normaliseFilter(
  datasetId: string,
  filter: ImageFilter | null | undefined,
): NormalisedFilter {
  const f = filter ?? {};
  const splits = f.splits && f.splits.length ? [...new Set(f.splits)] : null;
  if (splits?.some((s) => !SPLITS.includes(s))) throw badInput("unknown split");
  if (f.origin && !ORIGINS.includes(f.origin)) throw badInput("unknown origin");
  if (f.reviewState && !REVIEW_STATES.includes(f.reviewState))
    throw badInput("unknown review state");
  return {
    datasetId: requireUuid(datasetId, "dataset"),
    classId: f.classId ? requireUuid(f.classId, "class") : null,
    splits: splits && splits.length < SPLITS.length ? splits : null,
    origin: f.origin ?? null,
    reviewState: f.reviewState ?? null,
    tags: normaliseTags(f.tags ?? []),
    capturedAfter: f.capturedAfter ?? null,
    capturedBefore: f.capturedBefore ?? null,
    imageIds: null,
  };
}

/** SQL text and parameters for the rows matching a filter, as UNION ALL branches. */
function buildBranches(
  f: NormalisedFilter,
  params: unknown[],
  after: string | null,
  limit: number | null,
): { sql: string; key: string } {
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const dataset = p(f.datasetId);
  const extra: string[] = [];
  if (f.tags.length) extra.push(`i.tags @> ${p(f.tags)}::text[]`);
  if (f.capturedAfter)
    extra.push(
      `i."capturedAt" >= (${p(f.capturedAfter.toISOString())}::timestamptz AT TIME ZONE 'UTC')`,
    );
  if (f.capturedBefore)
    extra.push(
      `i."capturedAt" < (${p(f.capturedBefore.toISOString())}::timestamptz AT TIME ZONE 'UTC')`,
    );
  const cursor = after ? p(after) : null;
  const ids = f.imageIds ? p(f.imageIds) : null;
  const limitSql = limit === null ? "" : ` LIMIT ${limit}`;

  // Enum values are inlined: they are checked against fixed lists above, and literal values let
  // the planner use each branch's index range.
  const splits = f.splits ?? (f.classId || f.origin ? [...SPLITS] : null);
  const origins = f.origin ? [f.origin] : f.classId || f.splits ? [...ORIGINS] : null;
  const combos: { split: Split | null; origin: Origin | null }[] = [];
  for (const split of splits ?? [null])
    for (const origin of origins ?? [null]) combos.push({ split, origin });

  if (f.classId) {
    const cls = p(f.classId);
    const joinImage = extra.length > 0;
    const branches = combos.map(({ split, origin }) => {
      const where = [
        `ic."datasetId" = ${dataset}::uuid`,
        `ic."classId" = ${cls}::uuid`,
        `ic.split = '${split}'`,
        `ic.origin = '${origin}'`,
      ];
      if (f.reviewState) where.push(`ic."reviewState" = '${f.reviewState}'`);
      if (cursor) where.push(`ic."imageId" > ${cursor}::uuid`);
      if (ids) where.push(`ic."imageId" = ANY(${ids}::uuid[])`);
      const from = joinImage
        ? `"ImageClass" ic JOIN "Image" i ON i.id = ic."imageId"`
        : `"ImageClass" ic`;
      return `(SELECT ic."imageId" AS id FROM ${from} WHERE ${[...where, ...extra].join(" AND ")} ORDER BY ic."imageId"${limitSql})`;
    });
    return { sql: branches.join(" UNION ALL "), key: "id" };
  }

  const branches = combos.map(({ split, origin }) => {
    const where = [`i."datasetId" = ${dataset}::uuid`];
    if (split) where.push(`i.split = '${split}'`);
    if (origin) where.push(`i.origin = '${origin}'`);
    if (f.reviewState) where.push(`i."reviewState" = '${f.reviewState}'`);
    if (cursor) where.push(`i.id > ${cursor}::uuid`);
    if (ids) where.push(`i.id = ANY(${ids}::uuid[])`);
    return `(SELECT i.id FROM "Image" i WHERE ${[...where, ...extra].join(" AND ")} ORDER BY i.id${limitSql})`;
  });
  return { sql: branches.join(" UNION ALL "), key: "id" };
}

export interface ImagePage extends Connection<Image> {
  /** Exact count, or capped at COUNT_CAP; computed only when asked for. */
  total(): Promise<{ count: number; capped: boolean }>;
}

export async function listImages(
  deps: Pick<Deps, "prisma" | "pool">,
  datasetId: string,
  filter: ImageFilter | null | undefined,
  first: number,
  after?: string | null,
): Promise<ImagePage> {
  const query = queryFn(deps);
  const f = normaliseFilter(datasetId, filter);
  const cursor = decodeCursor(after, isUuid);
  if (filter?.predictionError) {
    // Computed in the service (see error-images.ts), then one more condition of every branch.
    f.imageIds = await imagesWithPredictionErrors(deps, f.datasetId, filter.predictionError);
  }
  const params: unknown[] = [];
  const { sql } = buildBranches(f, params, cursor, first + 1);
  const rows = await query(
    `SELECT ${IMAGE_COLUMNS} FROM (SELECT id FROM (${sql}) u ORDER BY id LIMIT ${first + 1}) page
     JOIN "Image" i ON i.id = page.id ORDER BY i.id`,
    params,
  );
  const connection = toConnection(rows as unknown as Image[], first, (image) => image.id);
  let total: Promise<{ count: number; capped: boolean }> | undefined;
  return {
    ...connection,
    total: () => (total ??= countImages(query, f)),
  };
}

async function countImages(
  query: Query,
  f: NormalisedFilter,
): Promise<{ count: number; capped: boolean }> {
  if (f.classId && f.tags.length === 0 && !f.capturedAfter && !f.capturedBefore && !f.imageIds) {
    const params: unknown[] = [f.datasetId, f.classId];
    const where = [`"datasetId" = $1::uuid`, `"classId" = $2::uuid`];
    if (f.splits)
      where.push(`split::text = ANY(${(params.push(f.splits), `$${params.length}`)}::text[])`);
    if (f.origin) where.push(`origin::text = ${(params.push(f.origin), `$${params.length}`)}`);
    if (f.reviewState)
      where.push(`"reviewState"::text = ${(params.push(f.reviewState), `$${params.length}`)}`);
    const [row] = await query(
      `SELECT COALESCE(sum(images), 0)::int AS n FROM "ClassCounter" WHERE ${where.join(" AND ")}`,
      params,
    );
    return { count: Number(row?.n ?? 0), capped: false };
  }
  const params: unknown[] = [];
  const { sql } = buildBranches(f, params, null, COUNT_CAP + 1);
  const [row] = await query(
    `SELECT count(*)::int AS n FROM (SELECT id FROM (${sql}) u LIMIT ${COUNT_CAP + 1}) t`,
    params,
  );
  const n = Number(row?.n ?? 0);
  return { count: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
}

/** Exact number of images of a dataset (an index-only count). */
export async function countDatasetImages(
  deps: Pick<Deps, "prisma" | "pool">,
  datasetId: string,
): Promise<number> {
  const [row] = await queryFn(deps)(
    `SELECT count(*)::int AS n FROM "Image" WHERE "datasetId" = $1::uuid`,
    [datasetId],
  );
  return Number(row?.n ?? 0);
}

/** Tags used in a dataset, most used first. */
export async function datasetTags(
  deps: Pick<Deps, "prisma" | "pool">,
  datasetId: string,
  limit = 500,
): Promise<string[]> {
  const rows = await queryFn(deps)(
    `SELECT t AS tag, count(*) AS n FROM "Image" i, unnest(i.tags) AS t WHERE i."datasetId" = $1::uuid
     GROUP BY t ORDER BY n DESC, t LIMIT ${limit}`,
    [requireUuid(datasetId, "dataset")],
  );
  return rows.map((r) => String(r.tag));
}

function checkIds(imageIds: readonly string[]): string[] {
  if (imageIds.length > MAX_BULK_IMAGES)
    throw badInput(`at most ${MAX_BULK_IMAGES} images per call`);
  return [...new Set(imageIds.map((id) => requireUuid(id, "image")))];
}

function byDataset<T extends { datasetId: string; id: string }>(
  rows: readonly T[],
): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.datasetId, [...(map.get(r.datasetId) ?? []), r.id]);
  return map;
}

/** Moves images to a split; synthetic images stay in TRAIN (no generated image may leak into evaluation). */
export async function setImageSplit(
  prisma: PrismaClient,
  actor: Actor,
  imageIds: readonly string[],
  split: Split,
): Promise<number> {
  if (!SPLITS.includes(split)) throw badInput("unknown split");
  const ids = checkIds(imageIds);
  return prisma.$transaction(
    async (tx) => {
      const images = await lockImages(tx, ids);
      if (split !== "TRAIN" && images.some((i) => i.origin === "SYNTHETIC")) {
        throw badInput("synthetic images stay in the TRAIN split");
      }
      const changed = new Set(await changeImageState(tx, images, { split }));
      for (const [datasetId, inDataset] of byDataset(images.filter((i) => changed.has(i.id)))) {
        await recordAudit(tx, {
          actor,
          action: "image.setSplit",
          entityType: "Image",
          datasetId,
          details: { split, imageIds: inDataset.slice(0, 1000), count: inDataset.length },
        });
      }
      return changed.size;
    },
    { timeout: 60_000 },
  );
}

export async function changeImageTags(
  prisma: PrismaClient,
  actor: Actor,
  imageIds: readonly string[],
  rawTags: readonly string[],
  mode: "add" | "remove",
): Promise<number> {
  const ids = checkIds(imageIds);
  const tags = normaliseTags(rawTags);
  if (tags.length === 0) throw badInput("give at least one tag");
  return prisma.$transaction(
    async (tx) => {
      const rows =
        mode === "add"
          ? await tx.$queryRaw<{ id: string; datasetId: string }[]>`
              UPDATE "Image" SET tags = ARRAY(SELECT DISTINCT t FROM unnest(COALESCE(tags, '{}') || ${tags}::text[]) AS t ORDER BY t),
                "updatedAt" = now()
              WHERE id = ANY(${ids}::uuid[]) AND NOT (COALESCE(tags, '{}') @> ${tags}::text[])
              RETURNING id::text AS id, "datasetId"::text AS "datasetId"`
          : await tx.$queryRaw<{ id: string; datasetId: string }[]>`
              UPDATE "Image" SET tags = ARRAY(SELECT t FROM unnest(tags) AS t WHERE t <> ALL(${tags}::text[])),
                "updatedAt" = now()
              WHERE id = ANY(${ids}::uuid[]) AND tags && ${tags}::text[]
              RETURNING id::text AS id, "datasetId"::text AS "datasetId"`;
      for (const [datasetId, inDataset] of byDataset(rows)) {
        await recordAudit(tx, {
          actor,
          action: mode === "add" ? "image.addTags" : "image.removeTags",
          entityType: "Image",
          datasetId,
          details: { tags, imageIds: inDataset.slice(0, 1000), count: inDataset.length },
        });
      }
      return rows.length;
    },
    { timeout: 60_000 },
  );
}

export async function setImageCapture(
  prisma: PrismaClient,
  actor: Actor,
  imageId: string,
  capturedAt: Date | null,
): Promise<Image> {
  const id = requireUuid(imageId, "image");
  if (capturedAt && Number.isNaN(capturedAt.getTime())) throw badInput("invalid capture time");
  return prisma.$transaction(async (tx) => {
    const existing = await tx.image.findUnique({ where: { id }, select: { datasetId: true } });
    if (!existing) throw notFound("image", imageId);
    const image = await tx.image.update({ where: { id }, data: { capturedAt } });
    await recordAudit(tx, {
      actor,
      action: "image.setCapture",
      entityType: "Image",
      entityId: id,
      datasetId: existing.datasetId,
      details: { capturedAt: capturedAt?.toISOString() ?? null },
    });
    return image;
  });
}

/** Deletes images with their boxes, then the stored objects and thumbnails no row references any more. */
export async function deleteImages(
  deps: Pick<Deps, "prisma" | "storage"> & { log?: Logger },
  actor: Actor,
  imageIds: readonly string[],
): Promise<number> {
  const ids = checkIds(imageIds);
  const { prisma } = deps;
  const { count, objects } = await prisma.$transaction(
    async (tx) => {
      const images = await lockImages(tx, ids);
      const objects = images.length
        ? await tx.$queryRaw<
            StoredObject[]
          >`SELECT "objectKey", sha256 FROM "Image" WHERE id = ANY(${images.map((i) => i.id)}::uuid[])`
        : [];
      await deleteImagesCounted(tx, images);
      for (const [datasetId, inDataset] of byDataset(images)) {
        await recordAudit(tx, {
          actor,
          action: "image.delete",
          entityType: "Image",
          datasetId,
          details: { imageIds: inDataset.slice(0, 1000), count: inDataset.length },
        });
      }
      return { count: images.length, objects };
    },
    { timeout: 60_000 },
  );
  await removeUnreferencedObjects(deps, objects);
  return count;
}
