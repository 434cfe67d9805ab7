import type { Resolvers } from "../generated/graphql.ts";
import { actorOf } from "../context.ts";
import { referenced } from "../resolver-kit.ts";
import {
  createAnnotation,
  deleteAnnotation,
  updateAnnotation,
} from "@gridfill/core/annotations/service.ts";

export const annotationResolvers = {
  Mutation: {
    createAnnotation: (_, args, ctx) =>
      createAnnotation(ctx.prisma, actorOf(ctx.caller), args.imageId, args.input),
    updateAnnotation: (_, args, ctx) =>
      updateAnnotation(ctx.prisma, actorOf(ctx.caller), args.id, args.input),
    deleteAnnotation: (_, args, ctx) => deleteAnnotation(ctx.prisma, actorOf(ctx.caller), args.id),
  },
  Annotation: {
    image: (a, _, ctx) => referenced(ctx.loaders.image, a.imageId),
    defectClass: (a, _, ctx) => referenced(ctx.loaders.defectClass, a.classId),
    box: (a) => ({ x: a.x, y: a.y, width: a.width, height: a.height }),
    author: (a, _, ctx) => (a.authorId ? ctx.loaders.user.load(a.authorId) : null),
  },
} satisfies Resolvers;
