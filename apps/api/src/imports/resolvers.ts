import { actorOf } from "../context.ts";
import type { Resolvers } from "../generated/graphql.ts";
import { fileProblems } from "../resolver-kit.ts";
import {
  findImportJob,
  listImportJobs,
  requestImportUpload,
  startImport,
} from "@gridfill/core/imports/service.ts";

export const importResolvers = {
  Query: {
    importJob: (_, args, ctx) => findImportJob(ctx.prisma, args.id),
    importJobs: (_, args, ctx) => listImportJobs(ctx.prisma, args.datasetId, args.first ?? 20),
  },
  Mutation: {
    requestImportUpload: (_, args, ctx) =>
      requestImportUpload(ctx, actorOf(ctx.caller), args.datasetId, args.bytes),
    startImport: (_, args, ctx) => startImport(ctx, actorOf(ctx.caller), args),
  },
  ImportJob: {
    dataset: (job, _, ctx) =>
      ctx.prisma.dataset.findUniqueOrThrow({ where: { id: job.datasetId } }),
    boxesAdded: (job) =>
      Object.entries((job.boxesAdded ?? {}) as Record<string, number>)
        .map(([className, boxes]) => ({ className, boxes }))
        .sort((a, b) => a.className.localeCompare(b.className)),
    errors: (job) => fileProblems(job.errors),
    errorCount: (job) => (Array.isArray(job.errors) ? job.errors.length : 0),
  },
} satisfies Resolvers;
