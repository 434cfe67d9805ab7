import type { FillRequest, Lineage, ReviewState } from "@gridfill/db";
import { PLAN_ALGORITHM } from "@gridfill/generator/contract";
import type { ApiContext } from "../context.ts";
import { progressHub, watchProgress } from "../progress/hub.ts";
import { actorOf } from "../context.ts";
import { notFound, requireUuid } from "../errors.ts";
import type { FillStrategyInput } from "@gridfill/core/balance/service.ts";
import {
  cancelFill,
  findLineage,
  listFillRequests,
  requestFill,
  reviewImages,
  seedOf,
  type ReferenceBox,
  type RegenerateResult,
  type RequestFillInput,
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
    fillRequests: (
      _: unknown,
      args: { datasetId: string; status?: string[] | null; first?: number | null },
      ctx: ApiContext,
    ) => listFillRequests(ctx.prisma, args.datasetId, args.status, args.first ?? 20),
    fillRequest: (_: unknown, args: { id: string }, ctx: ApiContext) =>
      ctx.prisma.fillRequest.findUnique({
        where: { id: requireUuid(args.id, "fill request") },
      }),
    lineage: (_: unknown, args: { imageId: string }, ctx: ApiContext) =>
      findLineage(ctx.prisma, args.imageId),
  },
  Mutation: {
    requestFill: (
      _: unknown,
      args: { input: RequestFillInput & { strategy?: FillStrategyInput | null } },
      ctx: ApiContext,
    ) => requestFill(ctx, actorOf(ctx.caller), args.input),
    previewFill: (
      _: unknown,
      args: { input: RequestFillInput; samples?: number | null },
      ctx: ApiContext,
    ) => previewFill(ctx, actorOf(ctx.caller), args.input, args.samples ?? 4),
    cancelFill: (_: unknown, args: { id: string }, ctx: ApiContext) =>
      cancelFill(ctx.prisma, actorOf(ctx.caller), args.id),
    reviewImages: async (
      _: unknown,
      args: { imageIds: string[]; decision: "ACCEPT" | "REJECT" | "RESET" },
      ctx: ApiContext,
    ) => {
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
    regenerate: async (_: unknown, args: { imageId: string }, ctx: ApiContext) => {
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
      subscribe: (_: unknown, args: { id: string }, ctx: ApiContext) =>
        watchRequest(ctx, requireUuid(args.id, "fill request")),
      resolve: passThrough,
    },
    fillRequestsUpdated: {
      subscribe: (_: unknown, args: { datasetId: string }, ctx: ApiContext) =>
        watchDataset(ctx, requireUuid(args.datasetId, "dataset")),
      resolve: passThrough,
    },
  },
  FillRequest: {
    dataset: (r: FillRequest, _: unknown, ctx: ApiContext) => ctx.loaders.dataset.load(r.datasetId),
    defectClass: (r: FillRequest, _: unknown, ctx: ApiContext) =>
      ctx.loaders.defectClass.load(r.classId),
    model: (r: FillRequest, _: unknown, ctx: ApiContext) =>
      r.modelVersionId
        ? ctx.prisma.modelVersion.findUniqueOrThrow({ where: { id: r.modelVersionId } })
        : null,
    seed: seedOf,
    requestedBy: (r: FillRequest, _: unknown, ctx: ApiContext) =>
      r.requestedById ? ctx.loaders.user.load(r.requestedById) : null,
    images: async (
      r: FillRequest,
      args: { first?: number | null; reviewState?: ReviewState | null },
      ctx: ApiContext,
    ) => {
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
    image: (l: Lineage, _: unknown, ctx: ApiContext) => ctx.loaders.image.load(l.imageId),
    request: (l: Lineage, _: unknown, ctx: ApiContext) =>
      ctx.prisma.fillRequest.findUniqueOrThrow({ where: { id: l.requestId } }),
    model: (l: Lineage, _: unknown, ctx: ApiContext) =>
      l.modelVersionId
        ? ctx.prisma.modelVersion.findUniqueOrThrow({ where: { id: l.modelVersionId } })
        : null,
    host: (l: Lineage, _: unknown, ctx: ApiContext) =>
      l.hostImageId ? ctx.loaders.image.load(l.hostImageId) : null,
    seed: seedOf,
    algorithm: () => PLAN_ALGORITHM,
    references: (l: Lineage) => {
      const boxes = l.referenceBoxes as unknown as ReferenceBox[];
      return l.referenceImageIds.map((imageId, i) => ({
        imageId,
        box: boxes[i] ?? { x: 0, y: 0, width: 0, height: 0 },
        coefficient: l.coefficients[i] ?? 0,
        isBase: i === 0,
      }));
    },
    realismProbability: (l: Lineage) =>
      l.realism === null ? null : 1 / (1 + Math.exp(-l.realism)),
    reviewer: (l: Lineage, _: unknown, ctx: ApiContext) =>
      l.reviewerId ? ctx.loaders.user.load(l.reviewerId) : null,
  },
  LineageReference: {
    image: (r: { imageId: string }, _: unknown, ctx: ApiContext) =>
      ctx.loaders.image.load(r.imageId),
  },
  Image: {
    lineage: (image: { id: string; origin: string }, _: unknown, ctx: ApiContext) =>
      image.origin === "SYNTHETIC"
        ? ctx.prisma.lineage.findUnique({ where: { imageId: image.id } })
        : null,
  },
};
