import type { ExportJob } from "@gridfill/db";
import type { ApiContext } from "../context.ts";
import { actorOf } from "../context.ts";
import {
  exportUrl,
  exportVersion,
  findExportJob,
  type ExportVersionInput,
} from "@gridfill/core/exports/service.ts";

export const exportResolvers = {
  Query: {
    exportJob: (_: unknown, args: { id: string }, ctx: ApiContext) =>
      findExportJob(ctx.prisma, args.id),
  },
  Mutation: {
    exportVersion: (_: unknown, args: ExportVersionInput, ctx: ApiContext) =>
      exportVersion(ctx, actorOf(ctx.caller), args),
  },
  ExportJob: {
    version: (job: ExportJob, _: unknown, ctx: ApiContext) =>
      ctx.prisma.datasetVersion.findUniqueOrThrow({ where: { id: job.versionId } }),
    includeSynthetic: (job: ExportJob) => (job.includeSynthetic ? "ACCEPTED" : "NONE"),
    bytes: (job: ExportJob) => (job.bytes === null ? null : Number(job.bytes)),
    url: (job: ExportJob, _: unknown, ctx: ApiContext) => exportUrl(ctx, job),
  },
};
