import { actorOf } from "../context.ts";
import type { Resolvers } from "../generated/graphql.ts";
import { exportUrl, exportVersion, findExportJob } from "@gridfill/core/exports/service.ts";

export const exportResolvers = {
  Query: {
    exportJob: (_, args, ctx) => findExportJob(ctx.prisma, args.id),
  },
  Mutation: {
    exportVersion: (_, args, ctx) => exportVersion(ctx, actorOf(ctx.caller), args),
  },
  ExportJob: {
    version: (job, _, ctx) =>
      ctx.prisma.datasetVersion.findUniqueOrThrow({ where: { id: job.versionId } }),
    includeSynthetic: (job) => (job.includeSynthetic ? "ACCEPTED" : "NONE"),
    bytes: (job) => (job.bytes === null ? null : Number(job.bytes)),
    url: (job, _, ctx) => exportUrl(ctx, job),
  },
} satisfies Resolvers;
