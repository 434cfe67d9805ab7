import type { ModelVersion } from "@gridfill/db";
import { actorOf } from "../context.ts";
import type { Resolvers } from "../generated/graphql.ts";
import {
  activateModel,
  findModel,
  listModels,
  registerUploadedModel,
  requestModelUpload,
} from "@gridfill/core/models/service.ts";

const configOf = (m: ModelVersion) => (m.config ?? {}) as Record<string, unknown>;

export const modelResolvers = {
  Query: {
    modelVersions: (_, __, ctx) => listModels(ctx.prisma),
    modelVersion: (_, args, ctx) => findModel(ctx.prisma, args.id),
  },
  Mutation: {
    requestModelUpload: (_, args, ctx) => requestModelUpload(ctx, actorOf(ctx.caller), args),
    registerModel: (_, args, ctx) => registerUploadedModel(ctx, actorOf(ctx.caller), args.input),
    activateModel: (_, args, ctx) => activateModel(ctx, actorOf(ctx.caller), args.id),
  },
  ModelVersion: {
    generatorBytes: (m) => Number(configOf(m).generatorBytes ?? 0),
    hasCritic: (m) => m.criticKey !== null,
    requestCount: (m, _, ctx) => ctx.prisma.fillRequest.count({ where: { modelVersionId: m.id } }),
  },
} satisfies Resolvers;
