// Resolvers of the grid's assets (lines, towers, devices) and metrics: see schema.graphql.
import { actorOf } from "../context.ts";
import type { Resolvers } from "../generated/graphql.ts";
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
} from "@gridfill/core/iot/assets.ts";
import { createMetric, listMetrics } from "@gridfill/core/iot/metrics.ts";

export const assetResolvers = {
  Query: {
    lines: (_, __, ctx) => listLines(ctx.prisma),
    towers: (_, args, ctx) => listTowers(ctx.prisma, args.lineId),
    devices: (_, args, ctx) =>
      listDevices(ctx.prisma, pageOf(ctx, args.first), args.after, args.towerId),
    device: (_, args, ctx) => findDevice(ctx.prisma, args.id),
    metrics: (_, __, ctx) => listMetrics(ctx.prisma),
  },
  Mutation: {
    createMetric: (_, args, ctx) => createMetric(ctx.prisma, actorOf(ctx.caller), args.input),
    createLine: (_, args, ctx) => createLine(ctx.prisma, actorOf(ctx.caller), args.input),
    updateLine: (_, args, ctx) => updateLine(ctx.prisma, actorOf(ctx.caller), args.id, args.input),
    deleteLine: (_, args, ctx) => deleteLine(ctx.prisma, actorOf(ctx.caller), args.id),
    updateTower: (_, args, ctx) =>
      updateTower(ctx.prisma, actorOf(ctx.caller), args.id, args.input),
    deleteTower: (_, args, ctx) => deleteTower(ctx.prisma, actorOf(ctx.caller), args.id),
    createTower: (_, args, ctx) => createTower(ctx.prisma, actorOf(ctx.caller), args.input),
    createDevice: (_, args, ctx) => createDevice(ctx.prisma, actorOf(ctx.caller), args.input),
    updateDevice: (_, args, ctx) =>
      updateDevice(ctx.prisma, actorOf(ctx.caller), args.id, args.input),
    issueDeviceCredential: (_, args, ctx) =>
      issueDeviceCredential(ctx.prisma, actorOf(ctx.caller), args.id),
    deleteDevice: (_, args, ctx) => deleteDevice(ctx.prisma, actorOf(ctx.caller), args.id),
  },
  PowerLine: {
    towers: (line, _, ctx) =>
      ctx.prisma.tower.findMany({ where: { lineId: line.id }, orderBy: { name: "asc" } }),
  },
  Tower: {
    line: (tower, _, ctx) =>
      tower.lineId ? ctx.prisma.powerLine.findUnique({ where: { id: tower.lineId } }) : null,
    devices: (tower, _, ctx) =>
      ctx.prisma.device.findMany({ where: { towerId: tower.id }, orderBy: { name: "asc" } }),
  },
  Device: {
    hasCredential: (device) => device.credentialHash !== null,
    tower: (device, _, ctx) =>
      device.towerId ? ctx.prisma.tower.findUnique({ where: { id: device.towerId } }) : null,
    line: (device, _, ctx) =>
      device.lineId ? ctx.prisma.powerLine.findUnique({ where: { id: device.lineId } }) : null,
  },
  Metric: {
    id: (metric) => String(metric.id),
  },
} satisfies Resolvers;
