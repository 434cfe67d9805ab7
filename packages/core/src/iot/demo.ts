// IoT context for the demo dataset, so every telemetry panel of the console has real data on first
// start: each demo image gets a capture time within the last week, a tower and that tower's camera,
// and the towers' sensors and meters get a week of readings (one every 10 minutes, from the same
// seeded model as the live simulator) around those times.
import type { PrismaClient } from "@gridfill/db";
import { demoSimulatorDevices, seedDemoAssets, seededRandom, simulatedValue } from "@gridfill/iot";

const HISTORY_MS = 7 * 86_400_000;
const READING_EVERY_MS = 10 * 60_000;
/** Captures fall in daylight (UTC hours), as inspection flights do. */
const FIRST_HOUR = 6;
const DAYLIGHT_HOURS = 12;

export interface DemoContextResult {
  /** Images that were given a capture time, tower and camera (those that had none). */
  images: number;
  /** Readings written (already stored ones are skipped). */
  readings: number;
}

/** When the i-th of n demo images was taken: spread over the past week, in daylight. */
export function demoCaptureTime(i: number, n: number, now: number): Date {
  const day = Math.floor((i * 7) / Math.max(n, 1));
  const withinDay = ((i * 7) % Math.max(n, 1)) / Math.max(n, 1);
  const midnight = Math.floor((now - HISTORY_MS) / 86_400_000) * 86_400_000 + day * 86_400_000;
  return new Date(midnight + (FIRST_HOUR + withinDay * DAYLIGHT_HOURS) * 3_600_000);
}

/**
 * Gives the dataset's images without a capture time the demo context and writes the readings
 * around it. Idempotent: images that have a capture time keep it, and stored readings are skipped.
 */
export async function seedDemoContext(
  prisma: PrismaClient,
  datasetId: string,
  now = Date.now(),
): Promise<DemoContextResult> {
  const assets = await seedDemoAssets(prisma, { plausibleRanges: true });
  const images = await prisma.image.findMany({
    where: { datasetId, origin: "REAL", capturedAt: null },
    select: { id: true },
    orderBy: { filename: "asc" },
  });
  const towers = assets.towerIds.map((towerId, t) => ({
    towerId,
    cameraId: assets.deviceIds[`demo-tower-${t + 1}-camera`]!,
  }));
  const rows = images.map((image, i) => ({
    id: image.id,
    capturedAt: demoCaptureTime(i, images.length, now).toISOString(),
    ...towers[i % towers.length]!,
  }));
  if (rows.length)
    await prisma.$executeRaw`
      UPDATE "Image" AS i SET "capturedAt" = c."capturedAt"::timestamptz,
             "towerId" = c."towerId"::uuid, "deviceId" = c."cameraId"::uuid
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
             AS c(id text, "capturedAt" text, "towerId" text, "cameraId" text)
       WHERE i.id = c.id::uuid AND i."capturedAt" IS NULL`;
  return { images: rows.length, readings: await seedDemoReadings(prisma, assets, now) };
}

/** A week (and up to a day more) of readings for every simulated demo device, ending now. */
async function seedDemoReadings(
  prisma: PrismaClient,
  assets: Awaited<ReturnType<typeof seedDemoAssets>>,
  now: number,
): Promise<number> {
  const random = seededRandom(11);
  const deviceIds: string[] = [];
  const metricIds: number[] = [];
  const times: string[] = [];
  const values: number[] = [];
  const end = Math.floor(now / READING_EVERY_MS) * READING_EVERY_MS;
  // From an hour before the first capture day's midnight, so the earliest capture (06:00 UTC that
  // day) has readings on both sides whatever the time of day now is.
  const start = Math.floor((now - HISTORY_MS) / 86_400_000) * 86_400_000 - 3_600_000;
  for (const [d, device] of demoSimulatorDevices().entries()) {
    const phase = d * 0.7;
    for (const metric of device.metrics) {
      for (let time = start; time <= end; time += READING_EVERY_MS) {
        deviceIds.push(assets.deviceIds[device.name]!);
        metricIds.push(assets.metricIds[metric.name]!);
        times.push(new Date(time).toISOString());
        values.push(simulatedValue(metric, time, phase, random));
      }
    }
  }
  // Rows land in the default partition when their month has none yet; the ingester moves them.
  return prisma.$executeRaw`
    INSERT INTO "Reading" ("deviceId", "metricId", "time", "value")
    SELECT * FROM unnest(${deviceIds}::uuid[], ${metricIds}::int[], ${times}::timestamptz[], ${values}::float8[])
    ON CONFLICT DO NOTHING`;
}
