import type { Image } from "@gridfill/db";
import { thumbnailKey } from "@gridfill/storage";
import type { ApiContext } from "../context.ts";
import { actorOf } from "../context.ts";
import { notFound, isUuid } from "../errors.ts";
import type { Resolvers } from "../generated/graphql.ts";
import { pageOf, referenced } from "../resolver-kit.ts";
import { THUMBNAIL_SIZE } from "@gridfill/core/images/objects.ts";
import {
  changeImageTags,
  datasetTags,
  deleteImages,
  listImages,
  setImageCapture,
  setImageSplit,
} from "@gridfill/core/images/service.ts";
import { confirmUpload, requestUpload } from "@gridfill/core/images/uploads.ts";

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
    async images(_, args, ctx) {
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
    image: (_, args, ctx) =>
      isUuid(args.id) ? ctx.loaders.image.load(args.id.toLowerCase()) : null,
    imageTags: (_, args, ctx) => datasetTags(ctx, args.datasetId),
  },
  Mutation: {
    async requestUpload(_, args, ctx) {
      const ticket = await requestUpload(ctx, actorOf(ctx.caller), args.datasetId, args.input);
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
    confirmUpload: (_, args, ctx) =>
      confirmUpload(ctx, actorOf(ctx.caller), args.datasetId, args.uploadId),
    setImageSplit: (_, args, ctx) =>
      setImageSplit(ctx.prisma, actorOf(ctx.caller), args.imageIds, args.split),
    addImageTags: (_, args, ctx) =>
      changeImageTags(ctx.prisma, actorOf(ctx.caller), args.imageIds, args.tags, "add"),
    removeImageTags: (_, args, ctx) =>
      changeImageTags(ctx.prisma, actorOf(ctx.caller), args.imageIds, args.tags, "remove"),
    setImageCapture: (_, args, ctx) =>
      setImageCapture(ctx.prisma, actorOf(ctx.caller), args.imageId, args.capturedAt ?? null),
    deleteImages: (_, args, ctx) => deleteImages(ctx, actorOf(ctx.caller), args.imageIds),
  },
  Image: {
    dataset: (image, _, ctx) => referenced(ctx.loaders.dataset, image.datasetId),
    tags: (image) => image.tags ?? [],
    async url(image, _, ctx) {
      const signed = await ctx.storage.presignGet("images", image.objectKey, {
        ttl: URL_TTL_SECONDS,
        filename: image.filename || undefined,
      });
      return signed.url;
    },
    async thumbnailUrl(image, _, ctx) {
      const key = await ensureThumbnail(ctx, image);
      return (await ctx.storage.presignGet("images", key, { ttl: URL_TTL_SECONDS })).url;
    },
    annotations: (image, _, ctx) => ctx.loaders.annotationsOfImage.load(image.id),
  },
  ImageConnection: {
    totalCount: async (page) => (await page.total()).count,
    totalCountCapped: async (page) => (await page.total()).capped,
  },
} satisfies Resolvers;
