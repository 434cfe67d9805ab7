import type { Image } from "@gridfill/db";
import type { Split } from "@gridfill/balance";
import { thumbnailKey } from "@gridfill/storage";
import type { ApiContext } from "../context.ts";
import { actorOf } from "../context.ts";
import { notFound, isUuid } from "../errors.ts";
import { pageOf } from "../resolver-kit.ts";
import { THUMBNAIL_SIZE } from "@gridfill/core/images/objects.ts";
import {
  changeImageTags,
  datasetTags,
  deleteImages,
  listImages,
  setImageCapture,
  setImageSplit,
  type ImageFilter,
  type ImagePage,
} from "@gridfill/core/images/service.ts";
import {
  confirmUpload,
  requestUpload,
  type UploadRequest,
  type UploadTicket,
} from "@gridfill/core/images/uploads.ts";

/** Presigned URLs are bearer tokens for one object: keep them short-lived. */
const URL_TTL_SECONDS = 300;

/** Thumbnails known to exist (per storage), so a grid page signs URLs without asking storage each time. */
const knownThumbnails = new WeakMap<object, Set<string>>();

async function ensureThumbnail(ctx: ApiContext, image: Image): Promise<string> {
  const key = thumbnailKey(image.sha256, THUMBNAIL_SIZE);
  let known = knownThumbnails.get(ctx.storage);
  if (!known) knownThumbnails.set(ctx.storage, (known = new Set()));
  if (!known.has(key)) {
    await ctx.storage.thumbnail(image.sha256, image.objectKey, THUMBNAIL_SIZE);
    if (known.size > 200_000) known.clear();
    known.add(key);
  }
  return key;
}

export const imageResolvers = {
  Query: {
    async images(
      _: unknown,
      args: {
        datasetId: string;
        filter?: ImageFilter | null;
        first?: number | null;
        after?: string | null;
      },
      ctx: ApiContext,
    ) {
      const first = pageOf(ctx, args.first);
      if (!isUuid(args.datasetId)) throw notFound("dataset", args.datasetId);
      const page = await listImages(
        ctx,
        args.datasetId.toLowerCase(),
        args.filter,
        first,
        args.after,
      );
      // Only an empty page needs the extra round trip that tells "no such dataset" from "no match".
      if (
        page.edges.length === 0 &&
        !(await ctx.loaders.dataset.load(args.datasetId.toLowerCase()))
      ) {
        throw notFound("dataset", args.datasetId);
      }
      return page;
    },
    image: (_: unknown, args: { id: string }, ctx: ApiContext) =>
      isUuid(args.id) ? ctx.loaders.image.load(args.id.toLowerCase()) : null,
    imageTags: (_: unknown, args: { datasetId: string }, ctx: ApiContext) =>
      datasetTags(ctx, args.datasetId),
  },
  Mutation: {
    async requestUpload(
      _: unknown,
      args: { datasetId: string; input: UploadRequest },
      ctx: ApiContext,
    ) {
      const ticket: UploadTicket = await requestUpload(
        ctx,
        actorOf(ctx.caller),
        args.datasetId,
        args.input,
      );
      if ("duplicateOf" in ticket)
        return {
          uploadId: null,
          url: null,
          headers: null,
          expiresAt: null,
          duplicateOf: ticket.duplicateOf,
        };
      return { ...ticket, duplicateOf: null };
    },
    confirmUpload: (_: unknown, args: { datasetId: string; uploadId: string }, ctx: ApiContext) =>
      confirmUpload(ctx, actorOf(ctx.caller), args.datasetId, args.uploadId),
    setImageSplit: (_: unknown, args: { imageIds: string[]; split: Split }, ctx: ApiContext) =>
      setImageSplit(ctx.prisma, actorOf(ctx.caller), args.imageIds, args.split),
    addImageTags: (_: unknown, args: { imageIds: string[]; tags: string[] }, ctx: ApiContext) =>
      changeImageTags(ctx.prisma, actorOf(ctx.caller), args.imageIds, args.tags, "add"),
    removeImageTags: (_: unknown, args: { imageIds: string[]; tags: string[] }, ctx: ApiContext) =>
      changeImageTags(ctx.prisma, actorOf(ctx.caller), args.imageIds, args.tags, "remove"),
    setImageCapture: (
      _: unknown,
      args: { imageId: string; capturedAt?: Date | null },
      ctx: ApiContext,
    ) => setImageCapture(ctx.prisma, actorOf(ctx.caller), args.imageId, args.capturedAt ?? null),
    deleteImages: (_: unknown, args: { imageIds: string[] }, ctx: ApiContext) =>
      deleteImages(ctx, actorOf(ctx.caller), args.imageIds),
  },
  Image: {
    dataset: (image: Image, _: unknown, ctx: ApiContext) =>
      ctx.loaders.dataset.load(image.datasetId),
    tags: (image: Image) => image.tags ?? [],
    async url(image: Image, _: unknown, ctx: ApiContext) {
      const signed = await ctx.storage.presignGet("images", image.objectKey, {
        ttl: URL_TTL_SECONDS,
        filename: image.filename || undefined,
      });
      return signed.url;
    },
    async thumbnailUrl(image: Image, _: unknown, ctx: ApiContext) {
      const key = await ensureThumbnail(ctx, image);
      return (await ctx.storage.presignGet("images", key, { ttl: URL_TTL_SECONDS })).url;
    },
    annotations: (image: Image, _: unknown, ctx: ApiContext) =>
      ctx.loaders.annotationsOfImage.load(image.id),
  },
  ImageConnection: {
    totalCount: async (page: ImagePage) => (await page.total()).count,
    totalCountCapped: async (page: ImagePage) => (await page.total()).capped,
  },
};
