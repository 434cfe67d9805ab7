import { actorOf } from "../context.ts";
import type { Resolvers } from "../generated/graphql.ts";
import {
  createVersion,
  findVersion,
  listVersions,
  versionDiff,
} from "@gridfill/core/versions/service.ts";

export const versionResolvers = {
  Query: {
    versions: (_, args, ctx) => listVersions(ctx.prisma, args.datasetId),
    version: (_, args, ctx) => findVersion(ctx.prisma, args.id),
    versionDiff: (_, args, ctx) => versionDiff(ctx, args.fromId, args.toId),
  },
  Mutation: {
    createVersion: (_, args, ctx) =>
      createVersion(ctx, actorOf(ctx.caller), args.datasetId, args.note),
  },
  Dataset: {
    versions: (dataset, _, ctx) => listVersions(ctx.prisma, dataset.id),
  },
  DatasetVersion: {
    dataset: (v, _, ctx) => ctx.prisma.dataset.findUniqueOrThrow({ where: { id: v.datasetId } }),
    classCounts: (v, _, ctx) =>
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
} satisfies Resolvers;
