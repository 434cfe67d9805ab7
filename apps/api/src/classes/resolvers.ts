import type { DefectClass } from "@gridfill/db";
import type { ApiContext } from "../context.ts";
import { actorOf } from "../context.ts";
import {
  createClass,
  deleteClass,
  updateClass,
  type ClassInput,
} from "@gridfill/core/classes/service.ts";

export const classResolvers = {
  Mutation: {
    createClass: (_: unknown, args: { datasetId: string; input: ClassInput }, ctx: ApiContext) =>
      createClass(ctx.prisma, actorOf(ctx.caller), args.datasetId, args.input),
    updateClass: (_: unknown, args: { id: string; input: ClassInput }, ctx: ApiContext) =>
      updateClass(ctx.prisma, actorOf(ctx.caller), args.id, args.input),
    deleteClass: (_: unknown, args: { id: string }, ctx: ApiContext) =>
      deleteClass(ctx.prisma, actorOf(ctx.caller), args.id),
  },
  DefectClass: {
    parent: (c: DefectClass, _: unknown, ctx: ApiContext) =>
      c.parentId ? ctx.loaders.defectClass.load(c.parentId) : null,
    children: (c: DefectClass, _: unknown, ctx: ApiContext) =>
      ctx.loaders.childrenOfClass.load(c.id),
    hostClass: (c: DefectClass, _: unknown, ctx: ApiContext) =>
      c.hostClassId ? ctx.loaders.defectClass.load(c.hostClassId) : null,
  },
};
