// Resolvers of the grid's assets (lines, towers, devices) and metrics: see schema.graphql.
import type { Device, Metric, PowerLine, Tower } from "@gridfill/db";
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

type Page = { first?: number | null; after?: string | null };

export const assetResolvers = {
  Query: {
    lines: (_: unknown, __: unknown, ctx: ApiContext) => listLines(ctx.prisma),
    towers: (_: unknown, args: { lineId?: string | null }, ctx: ApiContext) =>
      listTowers(ctx.prisma, args.lineId),
    devices: (_: unknown, args: Page & { towerId?: string | null }, ctx: ApiContext) =>
      listDevices(ctx.prisma, pageOf(ctx, args.first), args.after, args.towerId),
    device: (_: unknown, args: { id: string }, ctx: ApiContext) => findDevice(ctx.prisma, args.id),
    metrics: (_: unknown, __: unknown, ctx: ApiContext) => listMetrics(ctx.prisma),
  },
  Mutation: {
    createMetric: (_: unknown, args: { input: MetricInput }, ctx: ApiContext) =>
      createMetric(ctx.prisma, actorOf(ctx.caller), args.input),
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
};
