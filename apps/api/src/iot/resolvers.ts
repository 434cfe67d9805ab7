import type { DeadLetter, Device, Image, Metric, PowerLine, Tower } from "@gridfill/db";
import type { ApiContext } from "../context.ts";
import { actorOf } from "../context.ts";
import { pageOf } from "../resolver-kit.ts";
import {
  createDevice,
  createLine,
  createTower,
  deleteDevice,
  deleteLine,
  deleteTower,
  findDevice,
  issueDeviceCredential,
  listDevices,
  listLines,
  listTowers,
  updateDevice,
  updateLine,
  updateTower,
  type DeviceInput,
} from "@gridfill/core/iot/assets.ts";
import { createMetric, listMetrics, type MetricInput } from "@gridfill/core/iot/metrics.ts";
import { listDeadLetters, readSeries } from "@gridfill/core/iot/readings.ts";
import { ingestReadings, type ReadingRow } from "@gridfill/core/iot/ingest.ts";
import {
  imageContext,
  setImageSource,
  type ContextSeries,
} from "@gridfill/core/iot/image-context.ts";
import { sensorBandBalance, type SensorBandResult } from "@gridfill/core/iot/sensor-bands.ts";

type Page = { first?: number | null; after?: string | null };

export const iotResolvers = {
  Query: {
    lines: (_: unknown, __: unknown, ctx: ApiContext) => listLines(ctx.prisma),
    towers: (_: unknown, args: { lineId?: string | null }, ctx: ApiContext) =>
      listTowers(ctx.prisma, args.lineId),
    devices: (_: unknown, args: Page & { towerId?: string | null }, ctx: ApiContext) =>
      listDevices(ctx.prisma, pageOf(ctx, args.first), args.after, args.towerId),
    device: (_: unknown, args: { id: string }, ctx: ApiContext) => findDevice(ctx.prisma, args.id),
    metrics: (_: unknown, __: unknown, ctx: ApiContext) => listMetrics(ctx.prisma),
    readings: (
      _: unknown,
      args: { deviceId: string; metric: string; from: Date; to: Date; bucket?: string | null },
      ctx: ApiContext,
    ) => readSeries(ctx.prisma, args),
    deadLetters: (_: unknown, args: Page, ctx: ApiContext) =>
      listDeadLetters(ctx.prisma, pageOf(ctx, args.first), args.after),
    sensorBandBalance: (
      _: unknown,
      args: {
        datasetId: string;
        metric: string;
        bands?: number[] | null;
        quantiles?: number | null;
        window?: number | null;
      },
      ctx: ApiContext,
    ) => sensorBandBalance(ctx.prisma, args),
  },
  Mutation: {
    createMetric: (_: unknown, args: { input: MetricInput }, ctx: ApiContext) =>
      createMetric(ctx.prisma, actorOf(ctx.caller), args.input),
    setImageSource: (
      _: unknown,
      args: { imageId: string; deviceId?: string | null; towerId?: string | null },
      ctx: ApiContext,
    ) =>
      setImageSource(ctx.prisma, actorOf(ctx.caller), args.imageId, {
        deviceId: args.deviceId,
        towerId: args.towerId,
      }),
    createLine: (
      _: unknown,
      args: { input: { name: string; voltageKv: number } },
      ctx: ApiContext,
    ) => createLine(ctx.prisma, actorOf(ctx.caller), args.input),
    updateLine: (
      _: unknown,
      args: { id: string; input: { name?: string | null; voltageKv?: number | null } },
      ctx: ApiContext,
    ) => updateLine(ctx.prisma, actorOf(ctx.caller), args.id, args.input),
    deleteLine: (_: unknown, args: { id: string }, ctx: ApiContext) =>
      deleteLine(ctx.prisma, actorOf(ctx.caller), args.id),
    updateTower: (
      _: unknown,
      args: {
        id: string;
        input: {
          name?: string | null;
          latitude?: number | null;
          longitude?: number | null;
          lineId?: string | null;
          clearLine?: boolean | null;
        };
      },
      ctx: ApiContext,
    ) => updateTower(ctx.prisma, actorOf(ctx.caller), args.id, args.input),
    deleteTower: (_: unknown, args: { id: string }, ctx: ApiContext) =>
      deleteTower(ctx.prisma, actorOf(ctx.caller), args.id),
    createTower: (
      _: unknown,
      args: {
        input: { name: string; latitude: number; longitude: number; lineId?: string | null };
      },
      ctx: ApiContext,
    ) => createTower(ctx.prisma, actorOf(ctx.caller), args.input),
    createDevice: (
      _: unknown,
      args: { input: DeviceInput & { name: string; kind: Device["kind"] } },
      ctx: ApiContext,
    ) => createDevice(ctx.prisma, actorOf(ctx.caller), args.input),
    updateDevice: (_: unknown, args: { id: string; input: DeviceInput }, ctx: ApiContext) =>
      updateDevice(ctx.prisma, actorOf(ctx.caller), args.id, args.input),
    issueDeviceCredential: (_: unknown, args: { id: string }, ctx: ApiContext) =>
      issueDeviceCredential(ctx.prisma, actorOf(ctx.caller), args.id),
    deleteDevice: (_: unknown, args: { id: string }, ctx: ApiContext) =>
      deleteDevice(ctx.prisma, actorOf(ctx.caller), args.id),
    ingestReadings: (_: unknown, args: { batch: ReadingRow[] }, ctx: ApiContext) =>
      ingestReadings(ctx.prisma, actorOf(ctx.caller), args.batch),
  },
  PowerLine: {
    towers: (line: PowerLine, _: unknown, ctx: ApiContext) =>
      ctx.prisma.tower.findMany({ where: { lineId: line.id }, orderBy: { name: "asc" } }),
  },
  Tower: {
    line: (tower: Tower, _: unknown, ctx: ApiContext) =>
      tower.lineId ? ctx.prisma.powerLine.findUnique({ where: { id: tower.lineId } }) : null,
    devices: (tower: Tower, _: unknown, ctx: ApiContext) =>
      ctx.prisma.device.findMany({ where: { towerId: tower.id }, orderBy: { name: "asc" } }),
  },
  Device: {
    hasCredential: (device: Device) => device.credentialHash !== null,
    tower: (device: Device, _: unknown, ctx: ApiContext) =>
      device.towerId ? ctx.prisma.tower.findUnique({ where: { id: device.towerId } }) : null,
    line: (device: Device, _: unknown, ctx: ApiContext) =>
      device.lineId ? ctx.prisma.powerLine.findUnique({ where: { id: device.lineId } }) : null,
  },
  Metric: {
    id: (metric: Metric) => String(metric.id),
  },
  DeadLetter: {
    id: (d: DeadLetter) => d.id.toString(),
  },
  ContextSeries: {
    device: (s: ContextSeries, _: unknown, ctx: ApiContext) =>
      ctx.prisma.device.findUniqueOrThrow({ where: { id: s.deviceId } }),
    metric: (s: ContextSeries, _: unknown, ctx: ApiContext) =>
      ctx.prisma.metric.findUniqueOrThrow({ where: { id: s.metricId } }),
  },
  ImageContext: {
    devices: (c: { deviceIds: string[] }, _: unknown, ctx: ApiContext) =>
      ctx.prisma.device.findMany({ where: { id: { in: c.deviceIds } }, orderBy: { name: "asc" } }),
  },
  SensorBandClassCount: {
    defectClass: (
      c: SensorBandResult["bands"][number]["classes"][number],
      _: unknown,
      ctx: ApiContext,
    ) => ctx.loaders.defectClass.load(c.classId),
  },
  Image: {
    context: (image: Image, args: { window?: number | null }, ctx: ApiContext) =>
      imageContext(ctx.prisma, image, args.window),
    device: (image: Image, _: unknown, ctx: ApiContext) =>
      image.deviceId ? ctx.prisma.device.findUnique({ where: { id: image.deviceId } }) : null,
    tower: (image: Image, _: unknown, ctx: ApiContext) =>
      image.towerId ? ctx.prisma.tower.findUnique({ where: { id: image.towerId } }) : null,
  },
};
