// Resolvers of telemetry reads: see readings.graphql.
import type { Resolvers } from "../generated/graphql.ts";
import { pageOf } from "../resolver-kit.ts";
import { listDeadLetters, readSeries } from "@gridfill/core/iot/readings.ts";

export const readingResolvers = {
  Query: {
    readings: (_, args, ctx) => readSeries(ctx.prisma, args),
    deadLetters: (_, args, ctx) => listDeadLetters(ctx.prisma, pageOf(ctx, args.first), args.after),
  },
  DeadLetter: {
    id: (d) => d.id.toString(),
  },
} satisfies Resolvers;
