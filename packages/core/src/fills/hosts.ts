// Composite hosts and where defects lie in them, read from the real TRAIN data. A host is a real
// TRAIN image (never val, test or synthetic: the leakage guard); a clean host has no box of any
// defect class, only boxes of host-object classes (insulators, towers) or none at all. The class's
// real boxes, normalised to their image, give placements their size and position; the size ratio
// to the host class's boxes they lie on scales placements on host objects.
import type { PrismaClient } from "@gridfill/db";
import type { Tx } from "../audit/record.ts";

export type HostChoice = "CLEAN_ONLY" | "ANY";

/** Real TRAIN images of the dataset, sorted by id: all of them, or the clean ones. */
export async function hostCandidates(
  db: Tx | PrismaClient,
  datasetId: string,
  choice: HostChoice,
): Promise<string[]> {
  const rows =
    choice === "ANY"
      ? await db.$queryRaw<{ id: string }[]>`
          SELECT id::text AS id FROM "Image"
          WHERE "datasetId" = ${datasetId}::uuid AND split = 'TRAIN' AND origin = 'REAL'
          ORDER BY id`
      : await db.$queryRaw<{ id: string }[]>`
          SELECT i.id::text AS id FROM "Image" i
          WHERE i."datasetId" = ${datasetId}::uuid AND i.split = 'TRAIN' AND i.origin = 'REAL'
            AND NOT EXISTS (
              SELECT 1 FROM "ImageClass" ic JOIN "DefectClass" c ON c.id = ic."classId"
              WHERE ic."imageId" = i.id AND NOT c."isHostObject")
          ORDER BY i.id`;
  return rows.map((r) => r.id);
}

/** The hosts a request draws from: clean ones, or with CLEAN_ONLY and none clean, any (the fallback). */
export async function requestHosts(
  db: Tx | PrismaClient,
  datasetId: string,
  choice: HostChoice,
): Promise<string[]> {
  const hosts = await hostCandidates(db, datasetId, choice);
  return hosts.length || choice === "ANY" ? hosts : hostCandidates(db, datasetId, "ANY");
}

export interface HostBox {
  classId: string;
  x: number;
  y: number;
  width: number;
  height: number;
  source: "HUMAN" | "IMPORTED" | "GENERATED" | "PREDICTED";
  authorId: string | null;
  /** Whether a human has reviewed the box: a composite's copy is as reviewed as the original. */
  review: "UNREVIEWED" | "CONFIRMED" | "CORRECTED";
}

/** A host image's boxes, in a fixed order (a composite carries them over exactly). */
export function hostBoxes(db: Tx | PrismaClient, imageId: string): Promise<HostBox[]> {
  return db.$queryRaw<HostBox[]>`
    SELECT "classId"::text AS "classId", x, y, width, height, source::text AS source,
           "authorId"::text AS "authorId", review::text AS review
    FROM "Annotation" WHERE "imageId" = ${imageId}::uuid ORDER BY id`;
}

export interface NormalisedBox {
  cx: number;
  cy: number;
  w: number;
  h: number;
}

const DISTRIBUTION_LIMIT = 5000;

/** The class's real TRAIN boxes relative to their image (the first few thousand, by id). */
export async function classBoxDistribution(
  db: Tx | PrismaClient,
  classId: string,
): Promise<NormalisedBox[]> {
  return db.$queryRaw<NormalisedBox[]>`
    SELECT (a.x + a.width / 2) / i.width AS cx, (a.y + a.height / 2) / i.height AS cy,
           a.width / i.width AS w, a.height / i.height AS h
    FROM "Annotation" a JOIN "Image" i ON i.id = a."imageId"
    WHERE a."classId" = ${classId}::uuid AND i.split = 'TRAIN' AND i.origin = 'REAL'
      AND a.width > 0 AND a.height > 0
    ORDER BY a.id LIMIT ${DISTRIBUTION_LIMIT}`;
}

/**
 * Median of sqrt(area of a class box / area of the host-class box it lies on) over real TRAIN
 * images, a box lying on the host box that covers most of it (at least half); null without any.
 */
export async function hostSizeRatio(
  db: Tx | PrismaClient,
  classId: string,
  hostClassId: string,
): Promise<number | null> {
  const [row] = await db.$queryRaw<{ ratio: number | null }[]>`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ratio) AS ratio FROM (
      SELECT DISTINCT ON (d.id) sqrt((d.width * d.height) / (h.width * h.height)) AS ratio
      FROM "Annotation" d
      JOIN "Image" i ON i.id = d."imageId" AND i.split = 'TRAIN' AND i.origin = 'REAL'
      JOIN "Annotation" h ON h."imageId" = d."imageId" AND h."classId" = ${hostClassId}::uuid
      CROSS JOIN LATERAL (SELECT
        GREATEST(0, LEAST(d.x + d.width, h.x + h.width) - GREATEST(d.x, h.x)) *
        GREATEST(0, LEAST(d.y + d.height, h.y + h.height) - GREATEST(d.y, h.y)) AS inter) o
      WHERE d."classId" = ${classId}::uuid AND d.width > 0 AND d.height > 0
        AND h.width > 0 AND h.height > 0 AND o.inter >= 0.5 * d.width * d.height
      ORDER BY d.id, o.inter DESC, h.id) r`;
  return row?.ratio ?? null;
}
