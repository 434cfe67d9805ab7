import type { DatasetVersion } from "@gridfill/db";
import type { ApiContext } from "../context.ts";
import { actorOf } from "../context.ts";
import {
  createVersion,
  findVersion,
  listVersions,
  versionDiff,
} from "@gridfill/core/versions/service.ts";

export const versionResolvers = {
  Query: {
    versions: (_: unknown, args: { datasetId: string }, ctx: ApiContext) =>
      listVersions(ctx.prisma, args.datasetId),
    version: (_: unknown, args: { id: string }, ctx: ApiContext) =>
      findVersion(ctx.prisma, args.id),
    versionDiff: (_: unknown, args: { fromId: string; toId: string }, ctx: ApiContext) =>
      versionDiff(ctx, args.fromId, args.toId),
  },
  Mutation: {
    createVersion: (
      _: unknown,
      args: { datasetId: string; note?: string | null },
      ctx: ApiContext,
    ) => createVersion(ctx, actorOf(ctx.caller), args.datasetId, args.note),
  },
  Dataset: {
    versions: (dataset: { id: string }, _: unknown, ctx: ApiContext) =>
      listVersions(ctx.prisma, dataset.id),
  },
  DatasetVersion: {
    dataset: (v: DatasetVersion, _: unknown, ctx: ApiContext) =>
      ctx.prisma.dataset.findUniqueOrThrow({ where: { id: v.datasetId } }),
    classCounts: (v: DatasetVersion, _: unknown, ctx: ApiContext) =>
      ctx.prisma.datasetVersionClassCount.findMany({
        where: { versionId: v.id },
        orderBy: [
          { className: "asc" },
          { split: "asc" },
          { origin: "asc" },
          { reviewState: "asc" },
        ],
      }),
  },
};
