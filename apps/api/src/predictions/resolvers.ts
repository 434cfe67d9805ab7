import type { ApiContext } from "../context.ts";
import { actorOf } from "../context.ts";
import type { Resolvers } from "../generated/graphql.ts";
import { fileProblems, pageOf, referenced } from "../resolver-kit.ts";
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
  type RunCandidate,
  type RunEvaluation,
} from "@gridfill/core/predictions/service.ts";
import type { ClassEvaluation } from "@gridfill/core/predictions/evaluation.ts";
import { acceptPrediction, decideCandidate } from "@gridfill/core/predictions/decisions.ts";
import type { LabelErrorKind } from "@gridfill/core/predictions/label-errors.ts";
import {
  acceptPredictionsAbove,
  requestDetectorUpload,
  runDetector,
} from "@gridfill/core/predictions/detectors.ts";
import { DomainError } from "@gridfill/core";

/** A class's row of an evaluation, with the id of the class it scores. */
export type ClassEvaluationRow = ClassEvaluation & { classId: string };

function classRows(e: RunEvaluation): ClassEvaluationRow[] {
  return e.classes.map((c) => {
    const classId = e.classIds[c.classIndex];
    if (classId === undefined) throw new Error(`evaluation class ${c.classIndex} has no class id`);
    return { ...c, classId };
  });
}

/** The services read runs with raw SQL; the API always has the process's pool. */
function readDeps(ctx: ApiContext) {
  if (!ctx.pool) throw new DomainError("CONFLICT", "predictions need the database pool");
  return { prisma: ctx.prisma, pool: ctx.pool };
}

const candidateKinds = (kind: LabelErrorKind | null | undefined) => (c: RunCandidate) =>
  !kind || c.kind === kind;

export const predictionResolvers = {
  Query: {
    predictionRun: async (_, args, ctx) =>
      requireRun(ctx.prisma, args.id).catch((error: unknown) => {
        if (error instanceof DomainError && error.code === "NOT_FOUND") return null;
        throw error;
      }),
    predictionRuns: (_, args, ctx) =>
      listRuns(ctx.prisma, args.datasetId, args, ctx.config.maxPageSize),
    evaluation: (_, args, ctx) => evaluateRun(readDeps(ctx), args.runId, args),
    compareRuns: (_, args, ctx) =>
      compareRuns(readDeps(ctx), args.baseRunId, args.otherRunId, args),
    labelErrorCandidates: async (_, args, ctx) => {
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
    requestPredictionUpload: (_, args, ctx) =>
      requestPredictionUpload(ctx, actorOf(ctx.caller), args.datasetId, args.bytes),
    importPredictions: (_, args, ctx) => startPredictionImport(ctx, actorOf(ctx.caller), args),
    requestDetectorUpload: (_, args, ctx) =>
      requestDetectorUpload(ctx, actorOf(ctx.caller), args.datasetId, args.bytes),
    runDetector: (_, args, ctx) => runDetector(ctx, actorOf(ctx.caller), args),
    acceptPredictionsAbove: (_, args, ctx) =>
      acceptPredictionsAbove(ctx.prisma, actorOf(ctx.caller), args.runId, args.minScore),
    acceptPrediction: (_, args, ctx) =>
      acceptPrediction(ctx.prisma, actorOf(ctx.caller), args.runId, args.predictionId),
    decideLabelError: (_, args, ctx) =>
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
    predictionRun: (a, _, ctx) =>
      a.predictionRunId
        ? ctx.prisma.predictionRun.findUnique({ where: { id: a.predictionRunId } })
        : null,
  },
  PredictionRun: {
    dataset: (run, _, ctx) => referenced(ctx.loaders.dataset, run.datasetId),
    versionNumber: async (run, _, ctx) =>
      (await ctx.prisma.datasetVersion.findUniqueOrThrow({ where: { id: run.versionId } })).number,
    predictionCount: (run) => run.predictions,
    errors: (run) => fileProblems(run.errors),
    unknownImages: (run) =>
      Array.isArray(run.unknownImages)
        ? run.unknownImages.filter((name) => typeof name === "string")
        : [],
    predictions: (run, args, ctx) =>
      listPredictions(readDeps(ctx), run.id, args, ctx.config.maxPageSize),
  },
  Prediction: {
    defectClass: (p, _, ctx) => referenced(ctx.loaders.defectClass, p.classId),
    box: (p) => ({ x: p.x, y: p.y, width: p.width, height: p.height }),
  },
  Evaluation: {
    run: (e, _, ctx) => requireRun(ctx.prisma, e.runId),
    classes: classRows,
    confusionLabels: (e) => [...e.classNames, "background"],
  },
  ClassEvaluation: {
    defectClass: (c, _, ctx) => referenced(ctx.loaders.defectClass, c.classId),
  },
  ClassComparison: {
    defectClass: (c, _, ctx) => referenced(ctx.loaders.defectClass, c.classId),
  },
  LabelErrorCandidate: {
    image: (c, _, ctx) => referenced(ctx.loaders.image, c.imageId),
    prediction: async (c, _, ctx) =>
      c.predictionId ? ctx.prisma.prediction.findUnique({ where: { id: c.predictionId } }) : null,
    annotation: (c, _, ctx) =>
      c.annotationId ? ctx.prisma.annotation.findUnique({ where: { id: c.annotationId } }) : null,
    defectClass: (c, _, ctx) => referenced(ctx.loaders.defectClass, c.classId),
    predictedClass: (c, _, ctx) =>
      c.predictedClassId ? ctx.loaders.defectClass.load(c.predictedClassId) : null,
  },
} satisfies Resolvers;
