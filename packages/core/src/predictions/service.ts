// Prediction runs as the curator sees them: the runs of a dataset, a run's predictions page by
// page, its evaluation against the labels, two runs compared, and the label-error queue. Truths
// are the live human labels of the REAL images in the run's split, so a fixed label shows in the
// next evaluation; the run keeps the version it was made for as its provenance.
import type { Pool, PrismaClient, PredictionRun } from "@gridfill/db";
import { badInput, notFound, requireUuid } from "../errors.ts";
import { decodeCursor, pageSize, toConnection, type Connection } from "../pagination.ts";
import {
  evaluateDetections,
  type Evaluation,
  type EvaluationImage,
  type PredictedBox,
  type TruthBox,
} from "./evaluation.ts";
import {
  DEFAULT_LABEL_ERROR_OPTIONS,
  labelErrorCandidates,
  rankCandidates,
  type LabelErrorCandidate,
  type LabelErrorOptions,
} from "./label-errors.ts";

export interface PredictionReadDeps {
  prisma: PrismaClient;
  pool: Pool;
}

export async function requireRun(prisma: PrismaClient, runId: string): Promise<PredictionRun> {
  const run = await prisma.predictionRun.findUnique({ where: { id: requireUuid(runId, "run") } });
  if (!run) throw notFound("prediction run", runId);
  return run;
}

export async function listRuns(
  prisma: PrismaClient,
  datasetId: string,
  args: { first?: number | null; after?: string | null },
  maxPageSize: number,
): Promise<Connection<PredictionRun>> {
  const first = pageSize(args.first, maxPageSize);
  const after = decodeCursor(args.after, (k) => /^[0-9a-f-]{36}$/.test(k));
  const rows = await prisma.predictionRun.findMany({
    where: {
      datasetId: requireUuid(datasetId, "dataset"),
      ...(after ? { id: { lt: after } } : {}),
    },
    orderBy: { id: "desc" },
    take: first + 1,
  });
  return toConnection(rows, first, (r) => r.id);
}

export interface PredictionRow {
  id: string;
  imageId: string;
  classId: string;
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

/** A run's predictions in id order, optionally of one image and from a score. */
export async function listPredictions(
  deps: PredictionReadDeps,
  runId: string,
  args: {
    first?: number | null;
    after?: string | null;
    imageId?: string | null;
    minScore?: number | null;
  },
  maxPageSize: number,
): Promise<Connection<PredictionRow>> {
  const run = await requireRun(deps.prisma, runId);
  const first = pageSize(args.first, maxPageSize);
  const after = decodeCursor(args.after, (k) => /^[0-9a-f-]{36}$/.test(k));
  const imageId = args.imageId ? requireUuid(args.imageId, "image") : null;
  const { rows } = await deps.pool.query<PredictionRow>(
    `SELECT id::text, "imageId"::text AS "imageId", "classId"::text AS "classId", x, y, width, height, score
     FROM "Prediction"
     WHERE "runId" = $1 AND ($2::uuid IS NULL OR "imageId" = $2) AND score >= $3
       AND ($4::uuid IS NULL OR id > $4)
     ORDER BY id LIMIT $5`,
    [run.id, imageId, args.minScore ?? 0, after, first + 1],
  );
  return toConnection(rows, first, (r) => r.id);
}

interface ClassIndex {
  ids: string[];
  names: string[];
  indexOf: Map<string, number>;
}

async function classIndex(prisma: PrismaClient, datasetId: string): Promise<ClassIndex> {
  const rows = await prisma.defectClass.findMany({
    where: { datasetId },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
  return {
    ids: rows.map((r) => r.id),
    names: rows.map((r) => r.name),
    indexOf: new Map(rows.map((r, i) => [r.id, i])),
  };
}

type LabelledImage = EvaluationImage & {
  truths: (TruthBox & { id: string })[];
  predictions: (PredictedBox & { id: string })[];
};

/**
 * The run's images with their labels and predictions, read in two ordered scans (no per-image
 * query): the truths of the split's real images, the run's predictions.
 */
async function loadImages(
  pool: Pool,
  run: Pick<PredictionRun, "id" | "datasetId" | "split">,
  classes: ClassIndex,
  imageIds?: readonly string[],
  /** Candidates need the rows' ids; an evaluation does not (a million uuids less to decode). */
  withIds = true,
): Promise<Map<string, LabelledImage>> {
  const images = new Map<string, LabelledImage>();
  const imageOf = (id: string) => {
    let image = images.get(id);
    if (!image) images.set(id, (image = { imageId: id, truths: [], predictions: [] }));
    return image;
  };
  const only = imageIds ? [...imageIds] : null;
  const truths = await pool.query({
    text: `SELECT ${withIds ? "a.id::text" : "''"}, a."imageId"::text, a."classId"::text, a.x, a.y, a.width, a.height
           FROM "Image" i JOIN "Annotation" a ON a."imageId" = i.id
           WHERE i."datasetId" = $1 AND i.split = $2::"Split" AND i.origin = 'REAL'
             AND ($3::uuid[] IS NULL OR i.id = ANY($3))`,
    values: [run.datasetId, run.split, only],
    rowMode: "array",
  });
  for (const [id, imageId, classId, x, y, width, height] of truths.rows as [
    string,
    string,
    string,
    number,
    number,
    number,
    number,
  ][]) {
    const classIndex = classes.indexOf.get(classId);
    if (classIndex === undefined) continue;
    imageOf(imageId).truths.push({ id, x, y, width, height, classIndex });
  }
  const predictions = await pool.query({
    text: `SELECT ${withIds ? "id::text" : "''"}, "imageId"::text, "classId"::text, x, y, width, height, score
           FROM "Prediction" WHERE "runId" = $1 AND ($2::uuid[] IS NULL OR "imageId" = ANY($2))`,
    values: [run.id, only],
    rowMode: "array",
  });
  for (const [id, imageId, classId, x, y, width, height, score] of predictions.rows as [
    string,
    string,
    string,
    number,
    number,
    number,
    number,
    number,
  ][]) {
    const classIndex = classes.indexOf.get(classId);
    if (classIndex === undefined) continue;
    imageOf(imageId).predictions.push({ id, x, y, width, height, classIndex, score });
  }
  return images;
}

export interface RunEvaluation extends Evaluation {
  runId: string;
  classNames: string[];
  classIds: string[];
  images: number;
}

export interface EvaluateArgs {
  iou?: number | null;
  confidence?: number | null;
}

function checkThresholds(args: EvaluateArgs) {
  const iou = args.iou ?? 0.5;
  const confidence = args.confidence ?? 0.5;
  if (!(iou > 0 && iou <= 1)) throw badInput("iou must be in (0, 1]");
  if (!(confidence >= 0 && confidence <= 1)) throw badInput("confidence must be in [0, 1]");
  return { iou, confidence };
}

export async function evaluateRun(
  deps: PredictionReadDeps,
  runId: string,
  args: EvaluateArgs = {},
): Promise<RunEvaluation> {
  const { iou, confidence } = checkThresholds(args);
  const run = await requireRun(deps.prisma, runId);
  if (run.status !== "SUCCEEDED")
    throw badInput(`run ${run.id} is ${run.status.toLowerCase()}, not imported`);
  const classes = await classIndex(deps.prisma, run.datasetId);
  const images = await loadImages(deps.pool, run, classes, undefined, false);
  const evaluation = evaluateDetections(images.values(), {
    classCount: classes.ids.length,
    iou,
    confidence,
  });
  return {
    ...evaluation,
    runId: run.id,
    classNames: classes.names,
    classIds: classes.ids,
    images: images.size,
  };
}

export interface ClassComparison {
  classId: string;
  className: string;
  truths: number;
  base: { ap50: number | null; ap: number | null; recall: number };
  other: { ap50: number | null; ap: number | null; recall: number };
  ap50Delta: number | null;
  apDelta: number | null;
}

/** Two runs of the same dataset side by side, class by class (B minus A). */
export async function compareRuns(
  deps: PredictionReadDeps,
  baseRunId: string,
  otherRunId: string,
  args: EvaluateArgs = {},
) {
  const [base, other] = [
    await evaluateRun(deps, baseRunId, args),
    await evaluateRun(deps, otherRunId, args),
  ];
  const a = await requireRun(deps.prisma, baseRunId);
  const b = await requireRun(deps.prisma, otherRunId);
  if (a.datasetId !== b.datasetId) throw badInput("runs of different datasets cannot be compared");
  const delta = (x: number | null, y: number | null) => (x === null || y === null ? null : y - x);
  const classes: ClassComparison[] = base.classes.map((c, i) => {
    const o = other.classes[i]!;
    return {
      classId: base.classIds[i]!,
      className: base.classNames[i]!,
      truths: c.truths,
      base: { ap50: c.ap50, ap: c.ap, recall: c.recall },
      other: { ap50: o.ap50, ap: o.ap, recall: o.recall },
      ap50Delta: delta(c.ap50, o.ap50),
      apDelta: delta(c.ap, o.ap),
    };
  });
  return { base, other, classes, mapDelta: delta(base.map, other.map) };
}

export interface RunCandidate extends LabelErrorCandidate {
  classId: string;
  className: string;
  predictedClassId: string | null;
}

/** Label-error candidates of a run, most suspicious first, without the decided ones. */
export async function runLabelErrorCandidates(
  deps: PredictionReadDeps,
  runId: string,
  options: Partial<LabelErrorOptions> = {},
): Promise<RunCandidate[]> {
  const settings = { ...DEFAULT_LABEL_ERROR_OPTIONS, ...options };
  checkThresholds({ iou: settings.iou, confidence: settings.confidence });
  const run = await requireRun(deps.prisma, runId);
  const classes = await classIndex(deps.prisma, run.datasetId);
  const images = await loadImages(deps.pool, run, classes);
  const decided = new Set(
    (
      await deps.prisma.labelErrorDismissal.findMany({
        where: { runId: run.id },
        select: { candidate: true },
      })
    ).map((d) => d.candidate),
  );
  const found: LabelErrorCandidate[] = [];
  for (const image of images.values()) {
    for (const c of labelErrorCandidates(image, settings)) if (!decided.has(c.key)) found.push(c);
  }
  return rankCandidates(found).map((c) => ({
    ...c,
    classId: classes.ids[c.classIndex]!,
    className: classes.names[c.classIndex]!,
    predictedClassId: c.predictedClassIndex === null ? null : classes.ids[c.predictedClassIndex]!,
  }));
}
