// Telemetry reads: downsampled series of one device's metric, and the dead letters.
import type { DeadLetter, Device, Metric, PrismaClient } from "@gridfill/db";
import { badInput, notFound } from "../errors.ts";
import { decodeCursor, toConnection, type Connection } from "../pagination.ts";
import { requireMetric } from "./metrics.ts";
import { findDevice } from "./assets.ts";

export const MAX_POINTS = 10_000;

const BUCKET = /^\s*(\d{1,6})\s+(second|minute|hour|day)s?\s*$/i;
const UNIT_MS = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** "15 minutes" → { interval: "15 minutes", ms }; anything else is a client error. */
export function parseBucket(raw: string): { interval: string; ms: number } {
  const m = BUCKET.exec(raw);
  if (!m || Number(m[1]) < 1)
    throw badInput(`bucket "${raw}" must be like "30 seconds", "1 minute", "1 hour" or "1 day"`);
  const unit = m[2]!.toLowerCase() as keyof typeof UNIT_MS;
  const n = Number(m[1]);
  return { interval: `${n} ${unit}${n === 1 ? "" : "s"}`, ms: n * UNIT_MS[unit] };
}

export interface SeriesPoint {
  time: Date;
  min: number;
  avg: number;
  max: number;
  count: number;
}

export async function readSeries(
  prisma: PrismaClient,
  args: { deviceId: string; metric: string; from: Date; to: Date; bucket?: string | null },
): Promise<{ device: Device; metric: Metric; bucket: string | null; points: SeriesPoint[] }> {
  const { from, to } = args;
  if (!(from.getTime() < to.getTime())) throw badInput("from must be before to");
  const device = await findDevice(prisma, args.deviceId);
  if (!device) throw notFound("device", args.deviceId);
  const metric = await requireMetric(prisma, args.metric);
  if (args.bucket != null) {
    const bucket = parseBucket(args.bucket);
    // date_bin buckets are aligned to the origin, so the range may touch one more bucket.
    const buckets = Math.ceil((to.getTime() - from.getTime()) / bucket.ms) + 1;
    if (buckets > MAX_POINTS) {
      throw badInput(
        `the range holds ${buckets} buckets of ${bucket.interval}; at most ${MAX_POINTS}: use a wider bucket or a shorter range`,
        { maxPoints: MAX_POINTS },
      );
    }
    const rows = await prisma.$queryRaw<
      { time: Date; min: number; avg: number; max: number; count: number }[]
    >`
      SELECT date_bin(${bucket.interval}::interval, "time", TIMESTAMPTZ '2000-01-01 00:00:00+00') AS "time",
             min(value) AS min, avg(value) AS avg, max(value) AS max, count(*)::int AS count
        FROM "Reading"
       WHERE "deviceId" = ${device.id}::uuid AND "metricId" = ${metric.id} AND "time" >= ${from} AND "time" < ${to}
       GROUP BY 1 ORDER BY 1`;
    return { device, metric, bucket: bucket.interval, points: rows };
  }
  const rows = await prisma.$queryRaw<{ time: Date; value: number }[]>`
    SELECT "time", value FROM "Reading"
     WHERE "deviceId" = ${device.id}::uuid AND "metricId" = ${metric.id} AND "time" >= ${from} AND "time" < ${to}
     ORDER BY "time" LIMIT ${MAX_POINTS + 1}`;
  if (rows.length > MAX_POINTS) {
    throw badInput(
      `the range holds more than ${MAX_POINTS} readings: give a bucket to downsample`,
      { maxPoints: MAX_POINTS },
    );
  }
  return {
    device,
    metric,
    bucket: null,
    points: rows.map((r) => ({ time: r.time, min: r.value, avg: r.value, max: r.value, count: 1 })),
  };
}

export async function listDeadLetters(
  prisma: PrismaClient,
  first: number,
  after?: string | null,
): Promise<Connection<DeadLetter>> {
  const cursor = decodeCursor(after, (key) => /^\d{1,19}$/.test(key));
  const rows = await prisma.deadLetter.findMany({
    where: cursor ? { id: { lt: BigInt(cursor) } } : {},
    orderBy: { id: "desc" },
    take: first + 1,
  });
  return toConnection(rows, first, (d) => d.id.toString());
}
