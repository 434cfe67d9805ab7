// Resolvers of an image's IoT context: see image-context.graphql.
import type { Image } from "@gridfill/db";
import type { ApiContext } from "../context.ts";
import { actorOf } from "../context.ts";
import {
  imageContext,
  setImageSource,
  type ContextSeries,
} from "@gridfill/core/iot/image-context.ts";

export const imageContextResolvers = {
  Mutation: {
    setImageSource: (
      _: unknown,
      args: { imageId: string; deviceId?: string | null; towerId?: string | null },
      ctx: ApiContext,
    ) =>
      setImageSource(ctx.prisma, actorOf(ctx.caller), args.imageId, {
        deviceId: args.deviceId,
        towerId: args.towerId,
      }),
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
  Image: {
    context: (image: Image, args: { window?: number | null }, ctx: ApiContext) =>
      imageContext(ctx.prisma, image, args.window),
    device: (image: Image, _: unknown, ctx: ApiContext) =>
      image.deviceId ? ctx.prisma.device.findUnique({ where: { id: image.deviceId } }) : null,
    tower: (image: Image, _: unknown, ctx: ApiContext) =>
      image.towerId ? ctx.prisma.tower.findUnique({ where: { id: image.towerId } }) : null,
  },
};
