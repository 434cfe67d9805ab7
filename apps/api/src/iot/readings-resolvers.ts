// Resolvers of telemetry reads: see readings.graphql.
import type { DeadLetter } from "@gridfill/db";
import type { ApiContext } from "../context.ts";
import { pageOf } from "../resolver-kit.ts";
import { listDeadLetters, readSeries } from "@gridfill/core/iot/readings.ts";

type Page = { first?: number | null; after?: string | null };

export const readingResolvers = {
  Query: {
    readings: (
      _: unknown,
      args: { deviceId: string; metric: string; from: Date; to: Date; bucket?: string | null },
      ctx: ApiContext,
    ) => readSeries(ctx.prisma, args),
    deadLetters: (_: unknown, args: Page, ctx: ApiContext) =>
      listDeadLetters(ctx.prisma, pageOf(ctx, args.first), args.after),
  },
  DeadLetter: {
    id: (d: DeadLetter) => d.id.toString(),
  },
};
