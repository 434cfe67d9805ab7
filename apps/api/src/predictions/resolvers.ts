import type { Annotation, PredictionRun } from "@gridfill/db";
import type { ApiContext } from "../context.ts";
import { actorOf } from "../context.ts";
import { pageOf } from "../resolver-kit.ts";
import {
  requestPredictionUpload,
  startPredictionImport,
} from "@gridfill/core/predictions/import.ts";
import {
  compareRuns,
  evaluateRun,
  listPredictions,
  listRuns,
  requireRun,
  runLabelErrorCandidates,
  type PredictionRow,
  type RunCandidate,
  type RunEvaluation,
} from "@gridfill/core/predictions/service.ts";
import {
  acceptPrediction,
  decideCandidate,
  type LabelDecision,
} from "@gridfill/core/predictions/decisions.ts";
import type { LabelErrorKind } from "@gridfill/core/predictions/label-errors.ts";
import {
  acceptPredictionsAbove,
  requestDetectorUpload,
  runDetector,
  type RunDetectorInput,
} from "@gridfill/core/predictions/detectors.ts";
import type { Box } from "@gridfill/balance";
import { DomainError } from "@gridfill/core";

/** The services read runs with raw SQL; the API always has the process's pool. */
function readDeps(ctx: ApiContext) {
  if (!ctx.pool) throw new DomainError("CONFLICT", "predictions need the database pool");
  return { prisma: ctx.prisma, pool: ctx.pool };
}

const candidateKinds = (kind: LabelErrorKind | null | undefined) => (c: RunCandidate) =>
  !kind || c.kind === kind;

export const predictionResolvers = {
  Query: {
    predictionRun: async (_: unknown, args: { id: string }, ctx: ApiContext) =>
      requireRun(ctx.prisma, args.id).catch((error: unknown) => {
        if (error instanceof DomainError && error.code === "NOT_FOUND") return null;
        throw error;
      }),
    predictionRuns: (
      _: unknown,
      args: { datasetId: string; first?: number | null; after?: string | null },
      ctx: ApiContext,
    ) => listRuns(ctx.prisma, args.datasetId, args, ctx.config.maxPageSize),
    evaluation: (
      _: unknown,
      args: { runId: string; iou: number; confidence: number },
      ctx: ApiContext,
    ) => evaluateRun(readDeps(ctx), args.runId, args),
    compareRuns: (
      _: unknown,
      args: { baseRunId: string; otherRunId: string; iou: number; confidence: number },
      ctx: ApiContext,
    ) => compareRuns(readDeps(ctx), args.baseRunId, args.otherRunId, args),
    labelErrorCandidates: async (
      _: unknown,
      args: {
        runId: string;
        first?: number | null;
        confidence: number;
        iou: number;
        kind?: LabelErrorKind | null;
      },
      ctx: ApiContext,
    ) => {
      const first = pageOf(ctx, args.first);
      const all = (
        await runLabelErrorCandidates(readDeps(ctx), args.runId, {
          confidence: args.confidence,
          iou: args.iou,
        })
      ).filter(candidateKinds(args.kind));
      return { totalCount: all.length, candidates: all.slice(0, first) };
    },
  },
  Mutation: {
    requestPredictionUpload: (
      _: unknown,
      args: { datasetId: string; bytes: number },
      ctx: ApiContext,
    ) => requestPredictionUpload(ctx, actorOf(ctx.caller), args.datasetId, args.bytes),
    importPredictions: (
      _: unknown,
      args: {
        datasetId: string;
        version: number;
        split: string;
        format: string;
        source: string;
        name?: string | null;
        classMap?: unknown;
      },
      ctx: ApiContext,
    ) => startPredictionImport(ctx, actorOf(ctx.caller), args),
    requestDetectorUpload: (
      _: unknown,
      args: { datasetId: string; bytes: number },
      ctx: ApiContext,
    ) => requestDetectorUpload(ctx, actorOf(ctx.caller), args.datasetId, args.bytes),
    runDetector: (_: unknown, args: RunDetectorInput, ctx: ApiContext) =>
      runDetector(ctx, actorOf(ctx.caller), args),
    acceptPredictionsAbove: (
      _: unknown,
      args: { runId: string; minScore: number },
      ctx: ApiContext,
    ) => acceptPredictionsAbove(ctx.prisma, actorOf(ctx.caller), args.runId, args.minScore),
    acceptPrediction: (
      _: unknown,
      args: { runId: string; predictionId: string },
      ctx: ApiContext,
    ) => acceptPrediction(ctx.prisma, actorOf(ctx.caller), args.runId, args.predictionId),
    decideLabelError: (
      _: unknown,
      args: {
        runId: string;
        key: string;
        action: LabelDecision["action"];
        classId?: string | null;
        box?: Box | null;
      },
      ctx: ApiContext,
    ) =>
      decideCandidate(
        ctx.prisma,
        actorOf(ctx.caller),
        args.runId,
        args.key,
        args.action === "FIX"
          ? { action: "FIX", classId: args.classId ?? null, box: args.box ?? null }
          : { action: args.action },
      ),
  },
  Annotation: {
    predictionRun: (a: Annotation, _: unknown, ctx: ApiContext) =>
      a.predictionRunId
        ? ctx.prisma.predictionRun.findUnique({ where: { id: a.predictionRunId } })
        : null,
  },
  PredictionRun: {
    dataset: (run: PredictionRun, _: unknown, ctx: ApiContext) =>
      ctx.loaders.dataset.load(run.datasetId),
    versionNumber: async (run: PredictionRun, _: unknown, ctx: ApiContext) =>
      (await ctx.prisma.datasetVersion.findUniqueOrThrow({ where: { id: run.versionId } })).number,
    predictionCount: (run: PredictionRun) => run.predictions,
    errors: (run: PredictionRun) => (Array.isArray(run.errors) ? run.errors : []),
    unknownImages: (run: PredictionRun) =>
      Array.isArray(run.unknownImages) ? run.unknownImages : [],
    predictions: (
      run: PredictionRun,
      args: {
        first?: number | null;
        after?: string | null;
        imageId?: string | null;
        minScore?: number | null;
      },
      ctx: ApiContext,
    ) => listPredictions(readDeps(ctx), run.id, args, ctx.config.maxPageSize),
  },
  Prediction: {
    defectClass: (p: PredictionRow, _: unknown, ctx: ApiContext) =>
      ctx.loaders.defectClass.load(p.classId),
    box: (p: PredictionRow) => ({ x: p.x, y: p.y, width: p.width, height: p.height }),
  },
  Evaluation: {
    run: (e: RunEvaluation, _: unknown, ctx: ApiContext) => requireRun(ctx.prisma, e.runId),
    classes: (e: RunEvaluation) =>
      e.classes.map((c) => ({ ...c, classId: e.classIds[c.classIndex] })),
    confusionLabels: (e: RunEvaluation) => [...e.classNames, "background"],
  },
  ClassEvaluation: {
    defectClass: (c: { classId: string }, _: unknown, ctx: ApiContext) =>
      ctx.loaders.defectClass.load(c.classId),
  },
  ClassComparison: {
    defectClass: (c: { classId: string }, _: unknown, ctx: ApiContext) =>
      ctx.loaders.defectClass.load(c.classId),
  },
  LabelErrorCandidate: {
    image: (c: RunCandidate, _: unknown, ctx: ApiContext) => ctx.loaders.image.load(c.imageId),
    prediction: async (c: RunCandidate, _: unknown, ctx: ApiContext) =>
      c.predictionId ? ctx.prisma.prediction.findUnique({ where: { id: c.predictionId } }) : null,
    annotation: (c: RunCandidate, _: unknown, ctx: ApiContext) =>
      c.annotationId ? ctx.prisma.annotation.findUnique({ where: { id: c.annotationId } }) : null,
    defectClass: (c: RunCandidate, _: unknown, ctx: ApiContext) =>
      ctx.loaders.defectClass.load(c.classId),
    predictedClass: (c: RunCandidate, _: unknown, ctx: ApiContext) =>
      c.predictedClassId ? ctx.loaders.defectClass.load(c.predictedClassId) : null,
  },
};
