import type { ModelVersion } from "@gridfill/db";
import type { ApiContext } from "../context.ts";
import { actorOf } from "../context.ts";
import {
  activateModel,
  findModel,
  listModels,
  registerUploadedModel,
  requestModelUpload,
  type ModelUploadSizes,
  type RegisterModelInput,
} from "@gridfill/core/models/service.ts";

const configOf = (m: ModelVersion) => (m.config ?? {}) as Record<string, unknown>;

export const modelResolvers = {
  Query: {
    modelVersions: (_: unknown, _args: unknown, ctx: ApiContext) => listModels(ctx.prisma),
    modelVersion: (_: unknown, args: { id: string }, ctx: ApiContext) =>
      findModel(ctx.prisma, args.id),
  },
  Mutation: {
    requestModelUpload: (_: unknown, args: ModelUploadSizes, ctx: ApiContext) =>
      requestModelUpload(ctx, actorOf(ctx.caller), args),
    registerModel: (_: unknown, args: { input: RegisterModelInput }, ctx: ApiContext) =>
      registerUploadedModel(ctx, actorOf(ctx.caller), args.input),
    activateModel: (_: unknown, args: { id: string }, ctx: ApiContext) =>
      activateModel(ctx, actorOf(ctx.caller), args.id),
  },
  ModelVersion: {
    generatorBytes: (m: ModelVersion) => Number(configOf(m).generatorBytes ?? 0),
    hasCritic: (m: ModelVersion) => m.criticKey !== null,
    requestCount: (m: ModelVersion, _: unknown, ctx: ApiContext) =>
      ctx.prisma.fillRequest.count({ where: { modelVersionId: m.id } }),
  },
};
