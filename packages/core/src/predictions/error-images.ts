// The images on which a prediction run errs on a class, for the image browser's filter:
// - FALSE_POSITIVE: a prediction of the class, from the confidence, that matches no box of the class;
// - FALSE_NEGATIVE: a box of the class that no prediction of the class, from the confidence, matches.
// Matching is the evaluation's (COCO's): per image and class, predictions best score first, each
// taking the unmatched box of highest IoU ≥ iou, at most `MAX_DETECTIONS` predictions. Truths are
// what the evaluation uses: the boxes of the REAL images in the run's split.
//
// Greedy matching is sequential (a box taken by a better prediction is gone for the next), which
// SQL does not express without a recursive walk per image; so this reads the run's boxes and
// confident predictions of the class in two bounded scans, matches them here, and returns the
// sorted image ids. The image query filters on that fixed set, so its keyset pages stay exact.
import type { Split } from "@gridfill/balance";
import { sqlOf, type Db } from "../db.ts";
import { badInput, notFound, requireUuid } from "../errors.ts";
import { boxIou, greedyMatch, type PixelBox } from "./evaluation.ts";

export type PredictionErrorKind = "FALSE_POSITIVE" | "FALSE_NEGATIVE";
export const PREDICTION_ERROR_KINDS: readonly PredictionErrorKind[] = [
  "FALSE_POSITIVE",
  "FALSE_NEGATIVE",
];

export interface PredictionErrorFilter {
  runId: string;
  /** Any class when absent. */
  classId?: string | null;
  kind: PredictionErrorKind;
  iou?: number | null;
  confidence?: number | null;
}

/** As the evaluation: predictions past this many per image and class count neither way. */
export const MAX_DETECTIONS = 100;
/** At most this many boxes, and as many predictions, are read for one filter. */
export const MAX_ERROR_SCAN_ROWS = 1_000_000;

interface Scored extends PixelBox {
  score: number;
}

interface Cell {
  truths: PixelBox[];
  /** Best score first. */
  predictions: Scored[];
}

/** Checks the filter against the dataset and returns the ids (sorted) of the images that match. */
export async function imagesWithPredictionErrors(
  db: Db,
  datasetId: string,
  filter: PredictionErrorFilter,
): Promise<string[]> {
  if (!PREDICTION_ERROR_KINDS.includes(filter.kind))
    throw badInput("unknown prediction error kind");
  const iou = filter.iou ?? 0.5;
  const confidence = filter.confidence ?? 0.5;
  if (!(iou > 0 && iou <= 1)) throw badInput("iou must be in (0, 1]");
  if (!(confidence >= 0 && confidence <= 1)) throw badInput("confidence must be in [0, 1]");
  const query = sqlOf(db);
  const runId = requireUuid(filter.runId, "prediction run");
  const [run] = await query<{ datasetId: string; split: Split; status: string }>(
    `SELECT "datasetId"::text AS "datasetId", split::text AS split, status::text AS status
     FROM "PredictionRun" WHERE id = $1::uuid`,
    [runId],
  );
  if (!run) throw notFound("prediction run", filter.runId);
  if (run.datasetId !== datasetId)
    throw badInput(`prediction run ${runId} belongs to another dataset`);
  if (run.status !== "SUCCEEDED")
    throw badInput(`prediction run ${runId} is ${run.status.toLowerCase()}, not imported`);
  let classId: string | null = null;
  if (filter.classId) {
    classId = requireUuid(filter.classId, "class");
    const [cls] = await query<{ datasetId: string }>(
      `SELECT "datasetId"::text AS "datasetId" FROM "DefectClass" WHERE id = $1::uuid`,
      [classId],
    );
    if (!cls) throw notFound("class", filter.classId);
    if (cls.datasetId !== datasetId) throw badInput(`class ${classId} belongs to another dataset`);
  }

  const cells = new Map<string, Cell>();
  const cellOf = (imageId: string, cls: string) => {
    const key = `${imageId} ${cls}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { truths: [], predictions: [] }));
    return cell;
  };
  const limit = MAX_ERROR_SCAN_ROWS + 1;
  const truths = await query<PixelBox & { imageId: string; classId: string }>(
    `SELECT a."imageId"::text AS "imageId", a."classId"::text AS "classId", a.x, a.y, a.width, a.height
     FROM "Image" i JOIN "Annotation" a ON a."imageId" = i.id
     WHERE i."datasetId" = $1::uuid AND i.split = $2::"Split" AND i.origin = 'REAL'
       AND ($3::uuid IS NULL OR a."classId" = $3::uuid)
     LIMIT ${limit}`,
    [datasetId, run.split, classId],
  );
  // Lower predictions never take a box from a confident one (best score goes first), so only the
  // confident ones are read; the (runId, classId, score) index serves a class's range.
  const predictions = await query<Scored & { imageId: string; classId: string }>(
    `SELECT p."imageId"::text AS "imageId", p."classId"::text AS "classId", p.x, p.y, p.width, p.height, p.score
     FROM "Prediction" p JOIN "Image" i ON i.id = p."imageId"
     WHERE p."runId" = $1::uuid AND p.score >= $2 AND ($3::uuid IS NULL OR p."classId" = $3::uuid)
       AND i."datasetId" = $4::uuid AND i.split = $5::"Split" AND i.origin = 'REAL'
     ORDER BY p.score DESC, p.id
     LIMIT ${limit}`,
    [runId, confidence, classId, datasetId, run.split],
  );
  if (truths.length > MAX_ERROR_SCAN_ROWS || predictions.length > MAX_ERROR_SCAN_ROWS) {
    throw badInput(
      `the run's split has more than ${MAX_ERROR_SCAN_ROWS} boxes or confident predictions: choose a class or a higher confidence`,
    );
  }
  for (const t of truths) cellOf(t.imageId, t.classId).truths.push(t);
  for (const p of predictions) {
    const cell = cellOf(p.imageId, p.classId);
    if (cell.predictions.length < MAX_DETECTIONS) cell.predictions.push(p);
  }

  const matching = new Set<string>();
  for (const [key, cell] of cells) {
    const imageId = key.slice(0, key.indexOf(" "));
    if (matching.has(imageId)) continue;
    if (hasError(cell, iou, filter.kind)) matching.add(imageId);
  }
  return [...matching].sort();
}

function hasError(cell: Cell, iou: number, kind: PredictionErrorKind): boolean {
  const { truths, predictions } = cell;
  if (kind === "FALSE_POSITIVE" && predictions.length === 0) return false;
  if (kind === "FALSE_NEGATIVE" && truths.length === 0) return false;
  if (truths.length === 0 || predictions.length === 0) return true;
  const ious = new Float64Array(predictions.length * truths.length);
  predictions.forEach((p, d) => {
    truths.forEach((t, g) => {
      ious[d * truths.length + g] = boxIou(p, t);
    });
  });
  const crowd = truths.map(() => false);
  const matched = greedyMatch(ious, predictions.length, truths.length, crowd, iou);
  if (kind === "FALSE_POSITIVE") return matched.some((m) => m === -1);
  const taken = new Set(matched);
  return truths.some((_, g) => !taken.has(g));
}
