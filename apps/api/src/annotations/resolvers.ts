import type { Annotation } from "@gridfill/db";
import type { Box } from "@gridfill/balance";
import type { ApiContext } from "../context.ts";
import { actorOf } from "../context.ts";
import {
  createAnnotation,
  deleteAnnotation,
  updateAnnotation,
} from "@gridfill/core/annotations/service.ts";

export const annotationResolvers = {
  Mutation: {
    createAnnotation: (
      _: unknown,
      args: { imageId: string; input: { classId: string; box: Box } },
      ctx: ApiContext,
    ) => createAnnotation(ctx.prisma, actorOf(ctx.caller), args.imageId, args.input),
    updateAnnotation: (
      _: unknown,
      args: { id: string; input: { classId?: string | null; box?: Box | null } },
      ctx: ApiContext,
    ) => updateAnnotation(ctx.prisma, actorOf(ctx.caller), args.id, args.input),
    deleteAnnotation: (_: unknown, args: { id: string }, ctx: ApiContext) =>
      deleteAnnotation(ctx.prisma, actorOf(ctx.caller), args.id),
  },
  Annotation: {
    image: (a: Annotation, _: unknown, ctx: ApiContext) => ctx.loaders.image.load(a.imageId),
    defectClass: (a: Annotation, _: unknown, ctx: ApiContext) =>
      ctx.loaders.defectClass.load(a.classId),
    box: (a: Annotation) => ({ x: a.x, y: a.y, width: a.width, height: a.height }),
    author: (a: Annotation, _: unknown, ctx: ApiContext) =>
      a.authorId ? ctx.loaders.user.load(a.authorId) : null,
  },
};
