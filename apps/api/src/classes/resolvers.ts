import type { Resolvers } from "../generated/graphql.ts";
import { actorOf } from "../context.ts";
import { createClass, deleteClass, updateClass } from "@gridfill/core/classes/service.ts";

export const classResolvers = {
  Mutation: {
    createClass: (_, args, ctx) =>
      createClass(ctx.prisma, actorOf(ctx.caller), args.datasetId, args.input),
    updateClass: (_, args, ctx) =>
      updateClass(ctx.prisma, actorOf(ctx.caller), args.id, args.input),
    deleteClass: (_, args, ctx) => deleteClass(ctx.prisma, actorOf(ctx.caller), args.id),
  },
  DefectClass: {
    parent: (c, _, ctx) => (c.parentId ? ctx.loaders.defectClass.load(c.parentId) : null),
    children: (c, _, ctx) => ctx.loaders.childrenOfClass.load(c.id),
    hostClass: (c, _, ctx) => (c.hostClassId ? ctx.loaders.defectClass.load(c.hostClassId) : null),
  },
} satisfies Resolvers;
