// Grid assets (lines, towers, devices), telemetry reads (downsampled series, image context, sensor
// bands) and the GraphQL ingest path, which reuses the MQTT ingester's checks row by row.
import { Prisma } from "@gridfill/db";
import type {
  DeadLetter,
  Device,
  Image,
  Metric,
  PowerLine,
  PrismaClient,
  Tower,
} from "@gridfill/db";
import {
  DEFAULT_MAX_FUTURE_SKEW_MS,
  decodeTelemetry,
  formatReason,
  resolveReadings,
} from "@gridfill/iot";
import type { RegistryView } from "@gridfill/iot";
import type { Actor } from "../context.ts";
import { badInput, conflict, isUuid, notFound, requireUuid } from "../errors.ts";
import { recordAudit } from "../audit/record.ts";
import { decodeCursor, toConnection, type Connection } from "../pagination.ts";

export const MAX_POINTS = 10_000;
export const MAX_INGEST_BATCH = 10_000;
const MAX_CONTEXT_POINTS = 2_000;
const MAX_WINDOW_MINUTES = 1440;
const MAX_QUANTILES = 100;
const MAX_EDGES = 100;

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";
const ASSET_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.()-]{0,99}$/u;
// A device name is an MQTT topic level: no separators, wildcards or whitespace.
const DEVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

function checkName(raw: string, what: string, pattern = ASSET_NAME): string {
  const name = raw.trim();
  if (!pattern.test(name)) {
    throw badInput(
      pattern === DEVICE_NAME
        ? `${what} name "${raw}" must be 1–100 letters, digits or _ . - (it is part of the MQTT topic)`
        : `${what} name "${raw}" must be 1–100 letters, digits, spaces or _ . - ( ), starting with a letter or digit`,
    );
  }
  return name;
}

function checkFinite(value: number, what: string, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max)
    throw badInput(`${what} must be between ${min} and ${max}`);
  return value;
}

// ───────────────────────────── assets ─────────────────────────────

export const listLines = (prisma: PrismaClient) =>
  prisma.powerLine.findMany({ orderBy: { name: "asc" } });

export function listTowers(prisma: PrismaClient, lineId?: string | null): Promise<Tower[]> {
  if (lineId && !isUuid(lineId)) return Promise.resolve([]);
  return prisma.tower.findMany({
    where: lineId ? { lineId: lineId.toLowerCase() } : {},
    orderBy: { name: "asc" },
  });
}

export async function listDevices(
  prisma: PrismaClient,
  first: number,
  after?: string | null,
  towerId?: string | null,
): Promise<Connection<Device>> {
  const cursor = decodeCursor(after, isUuid);
  if (towerId && !isUuid(towerId)) return toConnection([], first, (d: Device) => d.id);
  const rows = await prisma.device.findMany({
    where: {
      ...(cursor ? { id: { gt: cursor } } : {}),
      ...(towerId ? { towerId: towerId.toLowerCase() } : {}),
    },
    orderBy: { id: "asc" },
    take: first + 1,
  });
  return toConnection(rows, first, (d) => d.id);
}

export async function findDevice(prisma: PrismaClient, id: string): Promise<Device | null> {
  return isUuid(id) ? prisma.device.findUnique({ where: { id: id.toLowerCase() } }) : null;
}

export const listMetrics = (prisma: PrismaClient) =>
  prisma.metric.findMany({ orderBy: { name: "asc" } });

const METRIC_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export async function createMetric(
  prisma: PrismaClient,
  actor: Actor,
  input: { name: string; unit: string },
): Promise<Metric> {
  const name = input.name.trim();
  if (!METRIC_NAME.test(name))
    throw badInput(
      "a metric name is lower-case letters, digits and _ (at most 64), starting with a letter",
    );
  const unit = input.unit.trim();
  if (unit.length === 0 || unit.length > 16) throw badInput("a unit is 1 to 16 characters");
  try {
    return await prisma.$transaction(async (tx) => {
      const metric = await tx.metric.create({ data: { name, unit } });
      await recordAudit(tx, {
        actor,
        action: "metric.create",
        entityType: "Metric",
        entityId: String(metric.id),
        details: { name, unit },
      });
      return metric;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a metric named "${name}" already exists`);
    throw error;
  }
}

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

export async function createLine(
  prisma: PrismaClient,
  actor: Actor,
  input: { name: string; voltageKv: number },
): Promise<PowerLine> {
  const name = checkName(input.name, "line");
  const voltageKv = checkFinite(input.voltageKv, "voltageKv", 0.001, 2000);
  try {
    return await prisma.$transaction(async (tx) => {
      const line = await tx.powerLine.create({ data: { name, voltageKv } });
      await recordAudit(tx, {
        actor,
        action: "line.create",
        entityType: "PowerLine",
        entityId: line.id,
        details: { name, voltageKv },
      });
      return line;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a line named "${name}" already exists`);
    throw error;
  }
}

async function requireLine(tx: Prisma.TransactionClient, id: string): Promise<string> {
  const lineId = requireUuid(id, "line");
  if (!(await tx.powerLine.findUnique({ where: { id: lineId }, select: { id: true } })))
    throw notFound("line", id);
  return lineId;
}

async function requireTower(tx: Prisma.TransactionClient, id: string): Promise<Tower> {
  const tower = await tx.tower.findUnique({ where: { id: requireUuid(id, "tower") } });
  if (!tower) throw notFound("tower", id);
  return tower;
}

export async function createTower(
  prisma: PrismaClient,
  actor: Actor,
  input: { name: string; latitude: number; longitude: number; lineId?: string | null },
): Promise<Tower> {
  const name = checkName(input.name, "tower");
  const latitude = checkFinite(input.latitude, "latitude", -90, 90);
  const longitude = checkFinite(input.longitude, "longitude", -180, 180);
  try {
    return await prisma.$transaction(async (tx) => {
      const lineId = input.lineId ? await requireLine(tx, input.lineId) : null;
      const tower = await tx.tower.create({ data: { name, latitude, longitude, lineId } });
      await recordAudit(tx, {
        actor,
        action: "tower.create",
        entityType: "Tower",
        entityId: tower.id,
        details: { name, latitude, longitude, lineId },
      });
      return tower;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a tower named "${name}" already exists`);
    throw error;
  }
}

export async function updateLine(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
  input: { name?: string | null; voltageKv?: number | null },
): Promise<PowerLine> {
  const lineId = requireUuid(id, "line");
  const data: Prisma.PowerLineUpdateInput = {};
  if (input.name != null) data.name = checkName(input.name, "line");
  if (input.voltageKv != null)
    data.voltageKv = checkFinite(input.voltageKv, "voltageKv", 0.001, 2000);
  try {
    return await prisma.$transaction(async (tx) => {
      await requireLine(tx, lineId);
      const line = await tx.powerLine.update({ where: { id: lineId }, data });
      await recordAudit(tx, {
        actor,
        action: "line.update",
        entityType: "PowerLine",
        entityId: lineId,
        details: data as Prisma.InputJsonValue,
      });
      return line;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict(`a line named "${String(data.name)}" already exists`);
    throw error;
  }
}

/** Towers and devices on the line stay, detached from it (the foreign keys set null). */
export async function deleteLine(prisma: PrismaClient, actor: Actor, id: string): Promise<boolean> {
  const lineId = requireUuid(id, "line");
  return prisma.$transaction(async (tx) => {
    const line = await tx.powerLine.findUnique({ where: { id: lineId } });
    if (!line) throw notFound("line", id);
    await tx.powerLine.delete({ where: { id: lineId } });
    await recordAudit(tx, {
      actor,
      action: "line.delete",
      entityType: "PowerLine",
      entityId: lineId,
      details: { name: line.name },
    });
    return true;
  });
}

export async function updateTower(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
  input: {
    name?: string | null;
    latitude?: number | null;
    longitude?: number | null;
    lineId?: string | null;
    clearLine?: boolean | null;
  },
): Promise<Tower> {
  const towerId = requireUuid(id, "tower");
  if (input.clearLine && input.lineId) throw badInput("give lineId or clearLine, not both");
  const data: Prisma.TowerUncheckedUpdateInput = {};
  if (input.name != null) data.name = checkName(input.name, "tower");
  if (input.latitude != null) data.latitude = checkFinite(input.latitude, "latitude", -90, 90);
  if (input.longitude != null)
    data.longitude = checkFinite(input.longitude, "longitude", -180, 180);
  try {
    return await prisma.$transaction(async (tx) => {
      await requireTower(tx, towerId);
      if (input.lineId) data.lineId = await requireLine(tx, input.lineId);
      if (input.clearLine) data.lineId = null;
      const tower = await tx.tower.update({ where: { id: towerId }, data });
      await recordAudit(tx, {
        actor,
        action: "tower.update",
        entityType: "Tower",
        entityId: towerId,
        details: data as Prisma.InputJsonValue,
      });
      return tower;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict(`a tower named "${String(data.name)}" already exists`);
    throw error;
  }
}

/** Devices and images on the tower stay, detached from it (the foreign keys set null). */
export async function deleteTower(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
): Promise<boolean> {
  const towerId = requireUuid(id, "tower");
  return prisma.$transaction(async (tx) => {
    const tower = await tx.tower.findUnique({ where: { id: towerId } });
    if (!tower) throw notFound("tower", id);
    await tx.tower.delete({ where: { id: towerId } });
    await recordAudit(tx, {
      actor,
      action: "tower.delete",
      entityType: "Tower",
      entityId: towerId,
      details: { name: tower.name },
    });
    return true;
  });
}

export interface DeviceInput {
  name?: string | null;
  kind?: Device["kind"] | null;
  towerId?: string | null;
  lineId?: string | null;
  clearTower?: boolean | null;
  clearLine?: boolean | null;
  metadata?: unknown;
}

export async function createDevice(
  prisma: PrismaClient,
  actor: Actor,
  input: DeviceInput & { name: string; kind: Device["kind"] },
): Promise<Device> {
  const name = checkName(input.name, "device", DEVICE_NAME);
  try {
    return await prisma.$transaction(async (tx) => {
      const tower = input.towerId ? await requireTower(tx, input.towerId) : null;
      // A device on a tower of a line is on that line unless told otherwise.
      const lineId = input.lineId ? await requireLine(tx, input.lineId) : (tower?.lineId ?? null);
      const device = await tx.device.create({
        data: {
          name,
          kind: input.kind,
          towerId: tower?.id ?? null,
          lineId,
          ...(input.metadata != null ? { metadata: input.metadata as Prisma.InputJsonValue } : {}),
        },
      });
      await recordAudit(tx, {
        actor,
        action: "device.create",
        entityType: "Device",
        entityId: device.id,
        details: { name, kind: input.kind, towerId: device.towerId, lineId },
      });
      return device;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a device named "${name}" already exists`);
    throw error;
  }
}

export async function updateDevice(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
  input: DeviceInput,
): Promise<Device> {
  const deviceId = requireUuid(id, "device");
  if (input.clearTower && input.towerId) throw badInput("give towerId or clearTower, not both");
  if (input.clearLine && input.lineId) throw badInput("give lineId or clearLine, not both");
  const name = input.name != null ? checkName(input.name, "device", DEVICE_NAME) : undefined;
  try {
    return await prisma.$transaction(async (tx) => {
      if (!(await tx.device.findUnique({ where: { id: deviceId }, select: { id: true } })))
        throw notFound("device", id);
      const data: Prisma.DeviceUncheckedUpdateInput = {};
      if (name !== undefined) data.name = name;
      if (input.kind != null) data.kind = input.kind;
      if (input.towerId) data.towerId = (await requireTower(tx, input.towerId)).id;
      if (input.clearTower) data.towerId = null;
      if (input.lineId) data.lineId = await requireLine(tx, input.lineId);
      if (input.clearLine) data.lineId = null;
      if (input.metadata !== undefined)
        data.metadata =
          input.metadata === null ? Prisma.DbNull : (input.metadata as Prisma.InputJsonValue);
      const device = await tx.device.update({ where: { id: deviceId }, data });
      await recordAudit(tx, {
        actor,
        action: "device.update",
        entityType: "Device",
        entityId: deviceId,
        details: JSON.parse(
          JSON.stringify({ ...input, metadata: undefined }),
        ) as Prisma.InputJsonValue,
      });
      return device;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a device named "${name}" already exists`);
    throw error;
  }
}

export async function deleteDevice(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
): Promise<boolean> {
  const deviceId = requireUuid(id, "device");
  return prisma.$transaction(async (tx) => {
    const device = await tx.device.findUnique({ where: { id: deviceId } });
    if (!device) throw notFound("device", id);
    // "Reading" has no foreign keys (ingest speed), so its readings go explicitly; images keep
    // their rows (deviceId set null).
    await tx.$executeRaw`DELETE FROM "Reading" WHERE "deviceId" = ${deviceId}::uuid`;
    await tx.device.delete({ where: { id: deviceId } });
    await recordAudit(tx, {
      actor,
      action: "device.delete",
      entityType: "Device",
      entityId: deviceId,
      details: { name: device.name },
    });
    return true;
  });
}

// ───────────────────────────── readings ─────────────────────────────

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

async function requireMetric(prisma: PrismaClient, name: string): Promise<Metric> {
  const metric = await prisma.metric.findUnique({ where: { name } });
  if (!metric) throw notFound("metric", name);
  return metric;
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

// ───────────────────────────── ingest ─────────────────────────────

export interface ReadingRow {
  device: string;
  metric: string;
  time: string;
  value: number;
  unit?: string | null;
}

export interface IngestResult {
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  rejections: { index: number; code: string; message: string }[];
}

async function loadRegistry(
  prisma: PrismaClient,
  rows: readonly ReadingRow[],
): Promise<RegistryView> {
  const [devices, metrics] = await Promise.all([
    prisma.device.findMany({
      where: { name: { in: [...new Set(rows.map((r) => r.device))] } },
      select: { id: true, name: true },
    }),
    prisma.metric.findMany({ where: { name: { in: [...new Set(rows.map((r) => r.metric))] } } }),
  ]);
  const d = new Map(devices.map((x) => [x.name, { id: x.id }]));
  const m = new Map(metrics.map((x) => [x.name, { id: x.id, unit: x.unit }]));
  return { device: (name) => d.get(name), metric: (name) => m.get(name) };
}

/**
 * Each row is checked as a single-reading MQTT payload (decodeTelemetry, then resolveReadings), so
 * the reasons match the ingester's. Unlike an MQTT message, rows stand alone: one bad row does not
 * reject its neighbours. Readings, dead letters and the audit event commit together.
 */
export async function ingestReadings(
  prisma: PrismaClient,
  actor: Actor,
  batch: readonly ReadingRow[],
): Promise<IngestResult> {
  if (batch.length > MAX_INGEST_BATCH)
    throw badInput(`a batch holds at most ${MAX_INGEST_BATCH} readings`, { max: MAX_INGEST_BATCH });
  const receivedAt = Date.now();
  const registry = await loadRegistry(prisma, batch);
  const good: { deviceId: string; metricId: number; time: string; value: number }[] = [];
  const rejections: IngestResult["rejections"] = [];
  const deadLetters: { payload: string; reason: string }[] = [];
  for (const [index, row] of batch.entries()) {
    // An all-digit time is epoch milliseconds, as in MQTT payloads.
    const time: string | number = /^\d+$/.test(row.time) ? Number(row.time) : row.time;
    const payload = JSON.stringify({
      metric: row.metric,
      value: row.value,
      time,
      ...(row.unit != null ? { unit: row.unit } : {}),
    });
    const decoded = decodeTelemetry(payload, {
      receivedAt,
      maxFutureSkewMs: DEFAULT_MAX_FUTURE_SKEW_MS,
    });
    const resolved = decoded.ok ? resolveReadings(row.device, decoded.value, registry) : decoded;
    if (!resolved.ok) {
      rejections.push({ index, ...resolved.rejection });
      deadLetters.push({
        payload: JSON.stringify({ device: row.device, ...JSON.parse(payload) }),
        reason: formatReason({
          code: resolved.rejection.code,
          message: `row ${index}: ${resolved.rejection.message}`,
        }),
      });
      continue;
    }
    for (const r of resolved.value)
      good.push({
        deviceId: r.deviceId,
        metricId: r.metricId,
        time: new Date(r.time).toISOString(),
        value: r.value,
      });
  }
  const stored = await prisma.$transaction(async (tx) => {
    let inserted = 0;
    if (good.length) {
      inserted = await tx.$executeRaw`
        INSERT INTO "Reading" ("deviceId", "metricId", "time", value)
        SELECT * FROM unnest(${good.map((g) => g.deviceId)}::uuid[], ${good.map((g) => g.metricId)}::int[],
                             ${good.map((g) => g.time)}::timestamptz[], ${good.map((g) => g.value)}::float8[])
        ON CONFLICT DO NOTHING`;
    }
    if (deadLetters.length) {
      await tx.deadLetter.createMany({
        data: deadLetters.map((d) => ({
          source: "graphql",
          topic: null,
          payload: d.payload,
          reason: d.reason,
        })),
      });
    }
    await recordAudit(tx, {
      actor,
      action: "readings.ingest",
      entityType: "Reading",
      details: { received: batch.length, stored: inserted, rejected: rejections.length },
    });
    return inserted;
  });
  return {
    received: batch.length,
    stored,
    duplicates: good.length - stored,
    rejected: rejections.length,
    rejections,
  };
}

// ───────────────────────────── image context ─────────────────────────────

function checkWindow(window: number | null | undefined): number {
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

// ───────────────────────────── sensor bands ─────────────────────────────

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
