// An image's IoT context: which device or tower took it, and the readings around its capture time.
import type { Image, PrismaClient } from "@gridfill/db";
import type { Actor } from "../context.ts";
import { badInput, isUuid, notFound, requireUuid } from "../errors.ts";
import { recordAudit } from "../audit/record.ts";
import { requireTower } from "./assets.ts";
import type { SeriesPoint } from "./readings.ts";

const MAX_CONTEXT_POINTS = 2_000;
const MAX_WINDOW_MINUTES = 1440;

/** Links an image to its capturing device and/or its tower, so its telemetry context can be found. */
export async function setImageSource(
  prisma: PrismaClient,
  actor: Actor,
  imageId: string,
  source: { deviceId?: string | null; towerId?: string | null },
): Promise<Image> {
  const id = requireUuid(imageId, "image");
  return prisma.$transaction(async (tx) => {
    const image = await tx.image.findUnique({
      where: { id },
      select: { id: true, datasetId: true },
    });
    if (!image) throw notFound("image", imageId);
    const data: { deviceId?: string | null; towerId?: string | null } = {};
    if (source.deviceId !== undefined) {
      if (source.deviceId === null) data.deviceId = null;
      else {
        const deviceId = requireUuid(source.deviceId, "device");
        if (!(await tx.device.findUnique({ where: { id: deviceId }, select: { id: true } })))
          throw notFound("device", source.deviceId);
        data.deviceId = deviceId;
      }
    }
    if (source.towerId !== undefined)
      data.towerId = source.towerId === null ? null : (await requireTower(tx, source.towerId)).id;
    const updated = await tx.image.update({ where: { id }, data });
    await recordAudit(tx, {
      actor,
      action: "image.setSource",
      entityType: "Image",
      entityId: id,
      datasetId: image.datasetId,
      details: data,
    });
    return updated;
  });
}

export function checkWindow(window: number | null | undefined): number {
  const w = window ?? 30;
  if (!Number.isInteger(w) || w < 1 || w > MAX_WINDOW_MINUTES)
    throw badInput(`window must be 1–${MAX_WINDOW_MINUTES} minutes`);
  return w;
}

/** The devices whose readings describe an image: its own and every device on its tower. */
async function contextDeviceIds(
  prisma: PrismaClient,
  image: Pick<Image, "deviceId" | "towerId">,
): Promise<string[]> {
  let towerId = image.towerId;
  if (!towerId && image.deviceId) {
    towerId =
      (await prisma.device.findUnique({ where: { id: image.deviceId }, select: { towerId: true } }))
        ?.towerId ?? null;
  }
  const ids = new Set<string>(image.deviceId ? [image.deviceId] : []);
  if (towerId)
    for (const d of await prisma.device.findMany({ where: { towerId }, select: { id: true } }))
      ids.add(d.id);
  return [...ids].sort();
}

export interface ContextSeries {
  deviceId: string;
  metricId: number;
  count: number;
  min: number;
  avg: number;
  max: number;
  last: number;
  lastTime: Date;
  points: SeriesPoint[];
}

type ContextFields = Pick<Image, "capturedAt" | "deviceId" | "towerId">;
const hasContext = (image: ContextFields) =>
  image.capturedAt !== null && (image.deviceId !== null || image.towerId !== null);

/**
 * Where an image's context comes from: the image itself when it has a capture time and a device or
 * tower; otherwise, for a synthetic image, the first of its lineage's base image and then its
 * reference images (in order) that has them. The same rule as in sensorBandBalance's SQL.
 */
export async function contextSource(
  prisma: PrismaClient,
  image: ContextFields & Partial<Pick<Image, "id" | "origin">>,
): Promise<{ source: ContextFields; derivedFrom: string[] } | null> {
  if (hasContext(image)) return { source: image, derivedFrom: [] };
  if (image.origin !== "SYNTHETIC" || !image.id) return null;
  const lineage = await prisma.lineage.findUnique({
    where: { imageId: image.id },
    select: { baseImageId: true, referenceImageIds: true },
  });
  if (!lineage) return null;
  const ids = [...new Set([lineage.baseImageId, ...lineage.referenceImageIds])]
    .filter(isUuid)
    .map((id) => id.toLowerCase());
  const rows = await prisma.image.findMany({
    where: { id: { in: ids } },
    select: { id: true, capturedAt: true, deviceId: true, towerId: true },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of ids) {
    const candidate = byId.get(id);
    if (candidate && hasContext(candidate)) return { source: candidate, derivedFrom: [id] };
  }
  return null;
}

export interface ImageContextResult {
  capturedAt: Date;
  windowMinutes: number;
  deviceIds: string[];
  series: ContextSeries[];
  /** True when the context is borrowed from the images a synthetic image was generated from. */
  derived: boolean;
  derivedFrom: string[];
}

export async function imageContext(
  prisma: PrismaClient,
  subject: ContextFields & Partial<Pick<Image, "id" | "origin">>,
  window: number | null | undefined,
): Promise<ImageContextResult | null> {
  const windowMinutes = checkWindow(window);
  const found = await contextSource(prisma, subject);
  if (!found) return null;
  const image = found.source;
  const deviceIds = await contextDeviceIds(prisma, image);
  const at = image.capturedAt!.getTime();
  const from = new Date(at - windowMinutes * 60_000);
  const to = new Date(at + windowMinutes * 60_000);
  const rows = deviceIds.length
    ? await prisma.$queryRaw<{ deviceId: string; metricId: number; time: Date; value: number }[]>`
        SELECT "deviceId"::text AS "deviceId", "metricId", "time", value FROM "Reading"
         WHERE "deviceId" = ANY(${deviceIds}::uuid[]) AND "time" >= ${from} AND "time" <= ${to}
         ORDER BY "deviceId", "metricId", "time"`
    : [];
  const series = new Map<string, ContextSeries>();
  for (const r of rows) {
    const key = `${r.deviceId}/${r.metricId}`;
    let s = series.get(key);
    if (!s) {
      s = {
        deviceId: r.deviceId,
        metricId: r.metricId,
        count: 0,
        min: Infinity,
        avg: 0,
        max: -Infinity,
        last: r.value,
        lastTime: r.time,
        points: [],
      };
      series.set(key, s);
    }
    s.count++;
    s.avg += r.value; // a sum until the end
    s.min = Math.min(s.min, r.value);
    s.max = Math.max(s.max, r.value);
    s.last = r.value;
    s.lastTime = r.time;
    if (s.points.length < MAX_CONTEXT_POINTS)
      s.points.push({ time: r.time, min: r.value, avg: r.value, max: r.value, count: 1 });
  }
  for (const s of series.values()) s.avg /= s.count;
  return {
    capturedAt: image.capturedAt!,
    windowMinutes,
    deviceIds,
    series: [...series.values()],
    derived: found.derivedFrom.length > 0,
    derivedFrom: found.derivedFrom,
  };
}
