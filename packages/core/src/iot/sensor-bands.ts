// Balance statistics split by sensor bands: defect counts by a metric's band at capture time.
import type { Metric, PrismaClient } from "@gridfill/db";
import { badInput, notFound, requireUuid } from "../errors.ts";
import { requireMetric } from "./metrics.ts";
import { checkWindow } from "./image-context.ts";

const MAX_QUANTILES = 100;
const MAX_EDGES = 100;

export interface SensorBandResult {
  metric: Metric;
  windowMinutes: number;
  edges: number[];
  bands: {
    lower: number | null;
    upper: number | null;
    images: number;
    classes: { classId: string; images: number }[];
  }[];
  matched: number;
  unmatched: number;
}

/** See SensorBandBalance in schema.graphql for the definition. */
export async function sensorBandBalance(
  prisma: PrismaClient,
  args: {
    datasetId: string;
    metric: string;
    bands?: number[] | null;
    quantiles?: number | null;
    window?: number | null;
  },
): Promise<SensorBandResult> {
  const datasetId = requireUuid(args.datasetId, "dataset");
  const windowMinutes = checkWindow(args.window);
  if ((args.bands == null) === (args.quantiles == null))
    throw badInput("give either bands (edges) or quantiles");
  if (args.bands != null) {
    if (args.bands.length < 1 || args.bands.length > MAX_EDGES)
      throw badInput(`bands takes 1–${MAX_EDGES} edges`);
    for (let i = 1; i < args.bands.length; i++) {
      if (!(args.bands[i - 1]! < args.bands[i]!))
        throw badInput("band edges must be strictly increasing");
    }
  }
  if (
    args.quantiles != null &&
    (!Number.isInteger(args.quantiles) || args.quantiles < 2 || args.quantiles > MAX_QUANTILES)
  ) {
    throw badInput(`quantiles must be 2–${MAX_QUANTILES}`);
  }
  const dataset = await prisma.dataset.findUnique({ where: { id: datasetId } });
  if (!dataset) throw notFound("dataset", args.datasetId);
  const metric = await requireMetric(prisma, args.metric);
  const win = `${windowMinutes} minutes`;

  // One row per counted image: its sensor value (null when it has none). A synthetic image without
  // a context of its own takes its lineage's (see contextSource).
  const values = await prisma.$queryRaw<{ id: string; v: number | null }[]>`
    WITH own AS (
      SELECT i.id, i.origin, i."capturedAt", i."deviceId", i."towerId"
        FROM "Image" i
       WHERE i."datasetId" = ${datasetId}::uuid
         AND (i.origin = 'REAL' OR i."reviewState" = 'ACCEPTED'
              OR (${dataset.countPendingSynthetic} AND i."reviewState" = 'PENDING'))
    ), src AS (
      SELECT o.id, COALESCE(s."capturedAt", o."capturedAt") AS at,
             CASE WHEN s.id IS NULL THEN o."deviceId" ELSE s."deviceId" END AS "deviceId",
             CASE WHEN s.id IS NULL THEN o."towerId" ELSE s."towerId" END AS "towerId"
        FROM own o
        LEFT JOIN LATERAL (
          SELECT c.id, c."capturedAt", c."deviceId", c."towerId"
            FROM "Lineage" l,
                 unnest(array_prepend(l."baseImageId"::text, l."referenceImageIds")) WITH ORDINALITY AS r(ref, n)
            JOIN "Image" c ON c.id::text = lower(r.ref)
           WHERE o.origin = 'SYNTHETIC' AND l."imageId" = o.id
             AND NOT (o."capturedAt" IS NOT NULL AND (o."deviceId" IS NOT NULL OR o."towerId" IS NOT NULL))
             AND c."capturedAt" IS NOT NULL AND (c."deviceId" IS NOT NULL OR c."towerId" IS NOT NULL)
           ORDER BY r.n LIMIT 1) s ON true
    ), img AS (
      SELECT src.id, src.at, src."deviceId", COALESCE(src."towerId", d."towerId") AS "towerId"
        FROM src LEFT JOIN "Device" d ON d.id = src."deviceId"
    )
    SELECT img.id::text AS id,
           (SELECT avg(r.value) FROM "Reading" r
             WHERE img.at IS NOT NULL AND r."metricId" = ${metric.id}
               AND r."time" BETWEEN img.at - ${win}::interval AND img.at + ${win}::interval
               AND (r."deviceId" = img."deviceId"
                    OR r."deviceId" IN (SELECT dv.id FROM "Device" dv WHERE dv."towerId" = img."towerId"))) AS v
      FROM img`;
  const matchedValues = values.filter((r): r is { id: string; v: number } => r.v !== null);

  let edges: number[];
  if (args.bands != null) {
    edges = args.bands;
  } else {
    const q = args.quantiles!;
    const sorted = matchedValues.map((r) => r.v).sort((a, b) => a - b);
    // Linear interpolation between closest ranks (as percentile_cont).
    const quantile = (p: number) => {
      const pos = p * (sorted.length - 1);
      const lo = Math.floor(pos);
      const hi = Math.ceil(pos);
      return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
    };
    edges = sorted.length
      ? [...new Set(Array.from({ length: q - 1 }, (_, k) => quantile((k + 1) / q)))]
      : [];
  }
  const bandOf = (v: number) => {
    let b = 0;
    while (b < edges.length && v >= edges[b]!) b++;
    return b;
  };

  const classes = await prisma.defectClass.findMany({
    where: { datasetId },
    orderBy: { name: "asc" },
    select: { id: true },
  });
  const imageBand = new Map(matchedValues.map((r) => [r.id, bandOf(r.v)]));
  const perBand = Array.from({ length: edges.length + 1 }, () => new Map<string, number>());
  if (imageBand.size) {
    const pairs = await prisma.$queryRaw<{ imageId: string; classId: string }[]>`
      SELECT DISTINCT a."imageId"::text AS "imageId", a."classId"::text AS "classId"
        FROM "Annotation" a WHERE a."imageId" = ANY(${[...imageBand.keys()]}::uuid[])`;
    for (const p of pairs) {
      const counts = perBand[imageBand.get(p.imageId)!]!;
      counts.set(p.classId, (counts.get(p.classId) ?? 0) + 1);
    }
  }
  const imagesPerBand = new Array<number>(edges.length + 1).fill(0);
  for (const b of imageBand.values()) imagesPerBand[b]!++;
  return {
    metric,
    windowMinutes,
    edges,
    bands: perBand.map((counts, b) => ({
      lower: b === 0 ? null : edges[b - 1]!,
      upper: b === edges.length ? null : edges[b]!,
      images: imagesPerBand[b]!,
      classes: classes.map((c) => ({ classId: c.id, images: counts.get(c.id) ?? 0 })),
    })),
    matched: matchedValues.length,
    unmatched: values.length - matchedValues.length,
  };
}
