// Resolvers of an image's IoT context: see image-context.graphql.
import { actorOf } from "../context.ts";
import type { Resolvers } from "../generated/graphql.ts";
import { imageContext, setImageSource } from "@gridfill/core/iot/image-context.ts";

export const imageContextResolvers = {
  Mutation: {
    setImageSource: (_, args, ctx) =>
      setImageSource(ctx.prisma, actorOf(ctx.caller), args.imageId, {
        deviceId: args.deviceId,
        towerId: args.towerId,
      }),
  },
  ContextSeries: {
    device: (s, _, ctx) => ctx.prisma.device.findUniqueOrThrow({ where: { id: s.deviceId } }),
    metric: (s, _, ctx) => ctx.prisma.metric.findUniqueOrThrow({ where: { id: s.metricId } }),
  },
  ImageContext: {
    devices: (c, _, ctx) =>
      ctx.prisma.device.findMany({ where: { id: { in: c.deviceIds } }, orderBy: { name: "asc" } }),
  },
  Image: {
    context: (image, args, ctx) => imageContext(ctx.prisma, image, args.window),
    device: (image, _, ctx) =>
      image.deviceId ? ctx.prisma.device.findUnique({ where: { id: image.deviceId } }) : null,
    tower: (image, _, ctx) =>
      image.towerId ? ctx.prisma.tower.findUnique({ where: { id: image.towerId } }) : null,
  },
} satisfies Resolvers;
