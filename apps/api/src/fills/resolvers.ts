import type { FillRequest } from "@gridfill/db";
import { PLAN_ALGORITHM } from "@gridfill/generator/contract";
import type { ApiContext } from "../context.ts";
import { progressHub, watchProgress } from "../progress/hub.ts";
import { actorOf } from "../context.ts";
import { notFound, requireUuid } from "../errors.ts";
import type { Resolvers } from "../generated/graphql.ts";
import { referenced } from "../resolver-kit.ts";
import {
  cancelFill,
  findLineage,
  listFillRequests,
  requestFill,
  reviewImages,
  seedOf,
  type ReferenceBox,
  type RegenerateResult,
} from "@gridfill/core/fills/service.ts";
import { QUEUES } from "@gridfill/core/jobs/queues.ts";
import { previewFill } from "@gridfill/core/fills/preview.ts";

const signature = (r: FillRequest) =>
  `${r.status}|${r.completed}|${r.error ?? ""}|${r.cancelledAt?.getTime() ?? ""}|${r.executionProvider ?? ""}`;
const active = (r: FillRequest) => ["QUEUED", "RUNNING"].includes(r.status);

/** Emits the request whenever it changes (first at once), until it ends or the client leaves. */
function watchRequest(ctx: ApiContext, id: string): AsyncGenerator<FillRequest> {
  return watchProgress(progressHub(ctx.pool), {
    matches: (event) => event.kind === "fill" && event.id === id,
    load: () => ctx.prisma.fillRequest.findUnique({ where: { id } }),
    signature,
    finished: (row) => !active(row),
  });
}

/** Emits each of the dataset's requests when it changes; at the start, the ones still running. */
async function* watchDataset(ctx: ApiContext, datasetId: string): AsyncGenerator<FillRequest> {
  const seen = new Map<string, string>();
  const changed = new Set<string>();
  let resync = true; // the first read
  let wake: (() => void) | undefined;
  const unsubscribe = await progressHub(ctx.pool).subscribe((event) => {
    if (event === "resync") resync = true;
    else if (event.kind === "fill" && event.datasetId === datasetId) changed.add(event.id);
    else return;
    wake?.();
  });
  try {
    for (let first = true; ; first = false) {
      if (!resync && changed.size === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      const rows = resync
        ? await ctx.prisma.fillRequest.findMany({
            where: { datasetId },
            orderBy: { id: "desc" },
            take: 50,
          })
        : await ctx.prisma.fillRequest.findMany({ where: { id: { in: [...changed] } } });
      resync = false;
      changed.clear();
      for (const row of rows.sort((x, y) => x.id.localeCompare(y.id))) {
        const sig = signature(row);
        if (seen.get(row.id) === sig) continue;
        seen.set(row.id, sig);
        if (!first || active(row)) yield row;
      }
    }
  } finally {
    unsubscribe();
  }
}

const passThrough = (payload: FillRequest) => payload;

export const fillResolvers = {
  Query: {
    fillRequests: (_, args, ctx) =>
      listFillRequests(ctx.prisma, args.datasetId, args.status, args.first ?? 20),
    fillRequest: (_, args, ctx) =>
      ctx.prisma.fillRequest.findUnique({
        where: { id: requireUuid(args.id, "fill request") },
      }),
    lineage: (_, args, ctx) => findLineage(ctx.prisma, args.imageId),
  },
  Mutation: {
    requestFill: (_, args, ctx) => requestFill(ctx, actorOf(ctx.caller), args.input),
    previewFill: (_, args, ctx) =>
      previewFill(ctx, actorOf(ctx.caller), args.input, args.samples ?? 4),
    cancelFill: (_, args, ctx) => cancelFill(ctx.prisma, actorOf(ctx.caller), args.id),
    reviewImages: async (_, args, ctx) => {
      const result = await reviewImages(
        ctx.prisma,
        actorOf(ctx.caller),
        args.imageIds,
        args.decision,
      );
      return {
        changed: result.changed,
        images: await ctx.prisma.image.findMany({ where: { id: { in: result.ids } } }),
      };
    },
    // Inference runs on a worker, never in the API process: enqueue, then wait for its output.
    regenerate: async (_, args, ctx) => {
      const id = requireUuid(args.imageId, "image");
      const lineage = await ctx.prisma.lineage.findUnique({
        where: { imageId: id },
        select: { id: true },
      });
      if (!lineage) throw notFound("lineage of image", id);
      if (!ctx.jobs) throw new Error("this API has no job queue to send regenerate to");
      const jobId = await ctx.jobs.send(QUEUES.regenerate, { id, actor: actorOf(ctx.caller) });
      if (!jobId) throw new Error("the regenerate job was not enqueued");
      return ctx.jobs.result<RegenerateResult>(QUEUES.regenerate, jobId);
    },
  },
  Subscription: {
    fillRequestUpdated: {
      subscribe: (_, args, ctx) => watchRequest(ctx, requireUuid(args.id, "fill request")),
      resolve: passThrough,
    },
    fillRequestsUpdated: {
      subscribe: (_, args, ctx) => watchDataset(ctx, requireUuid(args.datasetId, "dataset")),
      resolve: passThrough,
    },
  },
  FillRequest: {
    dataset: (r, _, ctx) => referenced(ctx.loaders.dataset, r.datasetId),
    defectClass: (r, _, ctx) => referenced(ctx.loaders.defectClass, r.classId),
    model: (r, _, ctx) =>
      r.modelVersionId
        ? ctx.prisma.modelVersion.findUniqueOrThrow({ where: { id: r.modelVersionId } })
        : null,
    seed: seedOf,
    requestedBy: (r, _, ctx) => (r.requestedById ? ctx.loaders.user.load(r.requestedById) : null),
    images: async (r, args, ctx) => {
      const rows = await ctx.prisma.lineage.findMany({
        where: {
          requestId: r.id,
          ...(args.reviewState ? { image: { reviewState: args.reviewState } } : {}),
        },
        orderBy: { sampleIndex: "asc" },
        take: Math.max(1, Math.min(args.first ?? 100, 500)),
        include: { image: true },
      });
      return rows.map((l) => l.image);
    },
  },
  Lineage: {
    image: (l, _, ctx) => referenced(ctx.loaders.image, l.imageId),
    request: (l, _, ctx) =>
      ctx.prisma.fillRequest.findUniqueOrThrow({ where: { id: l.requestId } }),
    model: (l, _, ctx) =>
      l.modelVersionId
        ? ctx.prisma.modelVersion.findUniqueOrThrow({ where: { id: l.modelVersionId } })
        : null,
    host: (l, _, ctx) => (l.hostImageId ? ctx.loaders.image.load(l.hostImageId) : null),
    seed: seedOf,
    algorithm: () => PLAN_ALGORITHM,
    references: (l) => {
      const boxes = l.referenceBoxes as unknown as ReferenceBox[];
      return l.referenceImageIds.map((imageId, i) => ({
        imageId,
        box: boxes[i] ?? { x: 0, y: 0, width: 0, height: 0 },
        coefficient: l.coefficients[i] ?? 0,
        isBase: i === 0,
      }));
    },
    realismProbability: (l) => (l.realism === null ? null : 1 / (1 + Math.exp(-l.realism))),
    reviewer: (l, _, ctx) => (l.reviewerId ? ctx.loaders.user.load(l.reviewerId) : null),
  },
  LineageReference: {
    image: (r, _, ctx) => ctx.loaders.image.load(r.imageId),
  },
  Image: {
    lineage: (image, _, ctx) =>
      image.origin === "SYNTHETIC"
        ? ctx.prisma.lineage.findUnique({ where: { imageId: image.id } })
        : null,
  },
} satisfies Resolvers;
