import type { ImportJob } from "@gridfill/db";
import type { ApiContext } from "../context.ts";
import { actorOf } from "../context.ts";
import {
  findImportJob,
  listImportJobs,
  requestImportUpload,
  startImport,
  type StartImportInput,
} from "@gridfill/core/imports/service.ts";

export const importResolvers = {
  Query: {
    importJob: (_: unknown, args: { id: string }, ctx: ApiContext) =>
      findImportJob(ctx.prisma, args.id),
    importJobs: (_: unknown, args: { datasetId: string; first?: number | null }, ctx: ApiContext) =>
      listImportJobs(ctx.prisma, args.datasetId, args.first ?? 20),
  },
  Mutation: {
    requestImportUpload: (
      _: unknown,
      args: { datasetId: string; bytes: number },
      ctx: ApiContext,
    ) => requestImportUpload(ctx, actorOf(ctx.caller), args.datasetId, args.bytes),
    startImport: (_: unknown, args: StartImportInput, ctx: ApiContext) =>
      startImport(ctx, actorOf(ctx.caller), args),
  },
  ImportJob: {
    dataset: (job: ImportJob, _: unknown, ctx: ApiContext) =>
      ctx.prisma.dataset.findUniqueOrThrow({ where: { id: job.datasetId } }),
    boxesAdded: (job: ImportJob) =>
      Object.entries((job.boxesAdded ?? {}) as Record<string, number>)
        .map(([className, boxes]) => ({ className, boxes }))
        .sort((a, b) => a.className.localeCompare(b.className)),
    errors: (job: ImportJob) => (Array.isArray(job.errors) ? job.errors : []),
    errorCount: (job: ImportJob) => (Array.isArray(job.errors) ? job.errors.length : 0),
  },
};
