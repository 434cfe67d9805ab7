// Label-error candidates: where a detector disagrees with the labels of one image, in the spirit of
// FiftyOne's mistakenness. Pure; the service feeds it rows and removes dismissed candidates.
import { boxIou, type PredictedBox, type TruthBox } from "./evaluation.ts";

export type LabelErrorKind = "MISSING_LABEL" | "SPURIOUS_LABEL" | "CLASS_CONFUSION";

export interface LabelErrorCandidate {
  kind: LabelErrorKind;
  /** Stable across evaluations: what a dismissal records. */
  key: string;
  imageId: string;
  /** The prediction behind MISSING_LABEL and CLASS_CONFUSION. */
  predictionId: string | null;
  /** The box behind SPURIOUS_LABEL and CLASS_CONFUSION. */
  annotationId: string | null;
  /** The labelled class (SPURIOUS_LABEL, CLASS_CONFUSION) or the predicted one (MISSING_LABEL). */
  classIndex: number;
  predictedClassIndex: number | null;
  score: number | null;
  iou: number | null;
}

export interface LabelErrorOptions {
  /** Predictions from this score are trusted enough to question a label. */
  confidence: number;
  /** A prediction "matches" a box from this IoU. */
  iou: number;
  /** A class confusion needs boxes this close. */
  confusionIou: number;
}

export const DEFAULT_LABEL_ERROR_OPTIONS: LabelErrorOptions = {
  confidence: 0.5,
  iou: 0.5,
  confusionIou: 0.7,
};

export interface LabelledImage {
  imageId: string;
  truths: readonly (TruthBox & { id: string })[];
  predictions: readonly (PredictedBox & { id: string })[];
}

/**
 * - MISSING_LABEL: a confident prediction that overlaps no box (of any class) at `iou`;
 * - SPURIOUS_LABEL: a box that no prediction of its class reaches at `iou`, at any score;
 * - CLASS_CONFUSION: a confident prediction of another class on a box at `confusionIou`, scored
 *   above every prediction of the box's own class there.
 */
export function labelErrorCandidates(
  image: LabelledImage,
  options: LabelErrorOptions = DEFAULT_LABEL_ERROR_OPTIONS,
): LabelErrorCandidate[] {
  const truths = image.truths.filter((t) => !t.crowd);
  const found: LabelErrorCandidate[] = [];
  for (const p of image.predictions) {
    if (p.score < options.confidence) continue;
    const best = Math.max(0, ...truths.map((t) => boxIou(p, t)));
    if (best >= options.iou) continue;
    found.push({
      kind: "MISSING_LABEL",
      key: `MISSING_LABEL:${p.id}`,
      imageId: image.imageId,
      predictionId: p.id,
      annotationId: null,
      classIndex: p.classIndex,
      predictedClassIndex: p.classIndex,
      score: p.score,
      iou: best,
    });
  }
  for (const t of truths) {
    const own = image.predictions.filter((p) => p.classIndex === t.classIndex);
    const ownOverlaps = own.map((p) => ({ p, iou: boxIou(p, t) }));
    const matched = ownOverlaps.filter((o) => o.iou >= options.iou);
    if (matched.length === 0) {
      found.push({
        kind: "SPURIOUS_LABEL",
        key: `SPURIOUS_LABEL:${t.id}`,
        imageId: image.imageId,
        predictionId: null,
        annotationId: t.id,
        classIndex: t.classIndex,
        predictedClassIndex: null,
        score: null,
        iou: Math.max(0, ...ownOverlaps.map((o) => o.iou)),
      });
    }
    const ownBest = Math.max(0, ...matched.map((o) => o.p.score));
    const rival = image.predictions
      .filter((p) => p.classIndex !== t.classIndex && p.score >= options.confidence)
      .map((p) => ({ p, iou: boxIou(p, t) }))
      .filter((o) => o.iou >= options.confusionIou && o.p.score > ownBest)
      .sort((a, b) => b.p.score - a.p.score)[0];
    if (rival) {
      found.push({
        kind: "CLASS_CONFUSION",
        key: `CLASS_CONFUSION:${t.id}:${rival.p.id}`,
        imageId: image.imageId,
        predictionId: rival.p.id,
        annotationId: t.id,
        classIndex: t.classIndex,
        predictedClassIndex: rival.p.classIndex,
        score: rival.p.score,
        iou: rival.iou,
      });
    }
  }
  return found;
}

/** Most suspicious first: confident predictions, then boxes with the least overlap. */
export function rankCandidates(candidates: LabelErrorCandidate[]): LabelErrorCandidate[] {
  return [...candidates].sort(
    (a, b) =>
      (b.score ?? -1) - (a.score ?? -1) ||
      (a.iou ?? 0) - (b.iou ?? 0) ||
      a.key.localeCompare(b.key),
  );
}
