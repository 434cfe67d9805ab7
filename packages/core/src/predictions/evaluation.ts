// Detector evaluation, COCO-style, with no I/O: greedy IoU matching per image and class, AP at IoU
// .50:.05:.95 with 101-point interpolation, precision / recall / F1 at a confidence, PR curves and a
// confusion matrix with background. It follows pycocotools' COCOeval for boxes (area range "all",
// at most `maxDetections` per image and class), so numbers agree with what detector papers report;
// `evaluation.test.ts` checks it against an independent Python implementation.

export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TruthBox extends PixelBox {
  classIndex: number;
  /** A crowd / ignore region: predictions on it are neither right nor wrong. */
  crowd?: boolean;
  id?: string;
}

export interface PredictedBox extends PixelBox {
  classIndex: number;
  score: number;
  id?: string;
}

export interface EvaluationImage {
  imageId: string;
  truths: readonly TruthBox[];
  predictions: readonly PredictedBox[];
}

export interface EvaluationOptions {
  classCount: number;
  /** IoU for precision / recall / F1, the PR curve and the confusion matrix. */
  iou?: number;
  /** Score from which a prediction counts for precision / recall / F1 and the confusion matrix. */
  confidence?: number;
  maxDetections?: number;
}

export interface PrPoint {
  recall: number;
  precision: number;
  /** Score of the prediction where this recall is reached (null past the largest recall). */
  score: number | null;
}

export interface ClassEvaluation {
  classIndex: number;
  /** Non-crowd truths. */
  truths: number;
  predictions: number;
  /** null when the class has no truth (COCO's -1). */
  ap50: number | null;
  ap75: number | null;
  ap: number | null;
  apAtIou: number | null;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
  /** 101 points, recall 0, 0.01, …, 1, at `iou`. */
  curve: PrPoint[];
}

export interface Evaluation {
  iou: number;
  confidence: number;
  classes: ClassEvaluation[];
  /** Means over classes with truths. */
  map50: number | null;
  map: number | null;
  /** (classCount + 1)²: rows are truths, columns predictions, the last row and column background. */
  confusion: number[][];
}

/** np.linspace(start, stop, count) bit for bit: pycocotools' thresholds are these floats, and a
 * recall that lands exactly on one (tp / truths = 0.57) depends on the last bit. */
function linspace(start: number, stop: number, count: number): number[] {
  const step = (stop - start) / (count - 1);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? stop : i * step + start));
}

export const IOU_THRESHOLDS: readonly number[] = linspace(0.5, 0.95, 10);
export const RECALL_THRESHOLDS: readonly number[] = linspace(0, 1, 101);
const EXTRA = IOU_THRESHOLDS.length; // bit of the matching at options.iou
const EPS = 2.220446049250313e-16; // numpy's spacing(1), as in COCOeval

/** IoU of a prediction with a truth; over the prediction's area alone for crowd regions. */
export function boxIou(p: PixelBox, t: PixelBox, crowd = false): number {
  const w = Math.min(p.x + p.width, t.x + t.width) - Math.max(p.x, t.x);
  const h = Math.min(p.y + p.height, t.y + t.height) - Math.max(p.y, t.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = crowd ? p.width * p.height : p.width * p.height + t.width * t.height - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy matching of predictions (sorted by score, best first) to truths (non-crowd first):
 * each prediction takes the unmatched truth of highest IoU ≥ threshold; crowd truths take any
 * number of predictions. Returns, per prediction, the matched truth's index or -1.
 */
export function greedyMatch(
  ious: Float64Array,
  predictionCount: number,
  truthCount: number,
  crowd: readonly boolean[],
  threshold: number,
): Int32Array {
  const matched = new Int32Array(predictionCount).fill(-1);
  const taken = new Uint8Array(truthCount);
  const bar = Math.min(threshold, 1 - 1e-10);
  for (let d = 0; d < predictionCount; d++) {
    let best = bar;
    let m = -1;
    for (let g = 0; g < truthCount; g++) {
      if (taken[g] && !crowd[g]) continue;
      // Truths are sorted non-crowd first: a real match beats any crowd region.
      if (m > -1 && !crowd[m] && crowd[g]) break;
      const iou = ious[d * truthCount + g]!;
      if (iou < best) continue;
      best = iou;
      m = g;
    }
    if (m === -1) continue;
    matched[d] = m;
    taken[m] = 1;
  }
  return matched;
}

/** Per-class detections in image order, each with its score and per-threshold match bits. */
interface ClassDetections {
  scores: number[];
  /** Bit t: matched a non-crowd truth at threshold t (bit EXTRA: at options.iou). */
  hits: number[];
  /** Bit t: matched a crowd region at threshold t (ignored). */
  ignored: number[];
  truths: number;
}

function sortedByScore<T extends { score: number }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => b.score - a.score); // stable, like numpy's mergesort
}

function collectImage(
  image: EvaluationImage,
  perClass: ClassDetections[],
  thresholds: readonly number[],
  maxDetections: number,
) {
  const truthsByClass = new Map<number, TruthBox[]>();
  const predictionsByClass = new Map<number, PredictedBox[]>();
  for (const t of image.truths) pushTo(truthsByClass, t.classIndex, t);
  for (const p of image.predictions) pushTo(predictionsByClass, p.classIndex, p);
  for (const [c, truths] of truthsByClass) {
    perClass[c]!.truths += truths.filter((t) => !t.crowd).length;
  }
  for (const [c, rows] of predictionsByClass) {
    const predictions = sortedByScore(rows).slice(0, maxDetections);
    const truths = orderTruths(truthsByClass.get(c) ?? []);
    const crowd = truths.map((t) => Boolean(t.crowd));
    const ious = iouMatrix(predictions, truths);
    const target = perClass[c]!;
    const hits = new Array<number>(predictions.length).fill(0);
    const ignored = new Array<number>(predictions.length).fill(0);
    thresholds.forEach((threshold, bit) => {
      const matched = greedyMatch(ious, predictions.length, truths.length, crowd, threshold);
      for (let d = 0; d < predictions.length; d++) {
        const m = matched[d]!;
        if (m === -1) continue;
        if (crowd[m]) ignored[d]! |= 1 << bit;
        else hits[d]! |= 1 << bit;
      }
    });
    for (let d = 0; d < predictions.length; d++) {
      target.scores.push(predictions[d]!.score);
      target.hits.push(hits[d]!);
      target.ignored.push(ignored[d]!);
    }
  }
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Non-crowd truths first, keeping their order (the order COCOeval matches in). */
function orderTruths(truths: readonly TruthBox[]): TruthBox[] {
  return [...truths.filter((t) => !t.crowd), ...truths.filter((t) => t.crowd)];
}

function iouMatrix(predictions: readonly PredictedBox[], truths: readonly TruthBox[]) {
  const ious = new Float64Array(predictions.length * truths.length);
  predictions.forEach((p, d) => {
    truths.forEach((t, g) => {
      ious[d * truths.length + g] = boxIou(p, t, t.crowd);
    });
  });
  return ious;
}

interface Accumulated {
  ap: number | null;
  curve: PrPoint[];
}

/** A class's detections in score order (best first), as typed arrays every threshold reads. */
interface Ranked {
  scores: Float64Array;
  hits: Uint16Array;
  ignored: Uint16Array;
  truths: number;
  /** Scratch for one threshold's recall and precision (reused: one allocation per class). */
  recall: Float64Array;
  precision: Float64Array;
  at: Int32Array;
}

function rank(detections: ClassDetections): Ranked {
  const n = detections.scores.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const scores = Float64Array.from(detections.scores);
  order.sort((a, b) => scores[b]! - scores[a]!); // stable, like numpy's mergesort
  const ranked: Ranked = {
    scores: new Float64Array(n),
    hits: new Uint16Array(n),
    ignored: new Uint16Array(n),
    truths: detections.truths,
    recall: new Float64Array(n),
    precision: new Float64Array(n),
    at: new Int32Array(n),
  };
  order.forEach((i, k) => {
    ranked.scores[k] = scores[i]!;
    ranked.hits[k] = detections.hits[i]!;
    ranked.ignored[k] = detections.ignored[i]!;
  });
  return ranked;
}

/**
 * COCO's accumulate for one class at one threshold: monotone precision sampled at 101 recalls.
 * The curve is built only when asked (the evaluation's IoU), the AP always.
 */
function accumulate(ranked: Ranked, bit: number, withCurve: boolean): Accumulated {
  const npig = ranked.truths;
  if (npig === 0) return { ap: null, curve: [] };
  const { recall, precision, at: rankOf } = ranked;
  const mask = 1 << bit;
  let tp = 0;
  let fp = 0;
  let n = 0;
  for (let i = 0; i < ranked.scores.length; i++) {
    if (ranked.ignored[i]! & mask) continue;
    if (ranked.hits[i]! & mask) tp += 1;
    else fp += 1;
    recall[n] = tp / npig;
    precision[n] = tp / (tp + fp + EPS);
    rankOf[n] = i;
    n += 1;
  }
  for (let i = n - 1; i > 0; i--) {
    if (precision[i]! > precision[i - 1]!) precision[i - 1] = precision[i]!;
  }
  const curve: PrPoint[] = [];
  let at = 0;
  let sum = 0;
  for (const r of RECALL_THRESHOLDS) {
    while (at < n && recall[at]! < r) at += 1; // searchsorted, side left
    const q = at < n ? precision[at]! : 0;
    sum += q;
    if (withCurve) {
      curve.push({ recall: r, precision: q, score: at < n ? ranked.scores[rankOf[at]!]! : null });
    }
  }
  return { ap: sum / RECALL_THRESHOLDS.length, curve };
}

function countsAtConfidence(detections: ClassDetections, confidence: number) {
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < detections.scores.length; i++) {
    if (detections.scores[i]! < confidence) continue;
    if (detections.ignored[i]! & (1 << EXTRA)) continue;
    if (detections.hits[i]! & (1 << EXTRA)) tp += 1;
    else fp += 1;
  }
  const fn = detections.truths - tp;
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = detections.truths > 0 ? tp / detections.truths : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { tp, fp, fn, precision, recall, f1 };
}

const mean = (values: readonly (number | null)[]) => {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
};

/** Evaluates predictions against truths over a set of images. */
export function evaluateDetections(
  images: Iterable<EvaluationImage>,
  options: EvaluationOptions,
): Evaluation {
  const iou = options.iou ?? 0.5;
  const confidence = options.confidence ?? 0.5;
  const maxDetections = options.maxDetections ?? 100;
  const classCount = options.classCount;
  checkOptions(iou, confidence, classCount);
  const thresholds = [...IOU_THRESHOLDS, iou];
  const perClass: ClassDetections[] = Array.from({ length: classCount }, () => ({
    scores: [],
    hits: [],
    ignored: [],
    truths: 0,
  }));
  const confusion = Array.from({ length: classCount + 1 }, () =>
    new Array<number>(classCount + 1).fill(0),
  );
  for (const image of images) {
    checkClasses(image, classCount);
    collectImage(image, perClass, thresholds, maxDetections);
    addConfusion(confusion, image, iou, confidence, classCount);
  }
  const classes = perClass.map((detections, classIndex) =>
    classResult(detections, classIndex, confidence),
  );
  return {
    iou,
    confidence,
    classes,
    map50: mean(classes.map((c) => c.ap50)),
    map: mean(classes.map((c) => c.ap)),
    confusion,
  };
}

function classResult(
  detections: ClassDetections,
  classIndex: number,
  confidence: number,
): ClassEvaluation {
  const ranked = rank(detections);
  const perThreshold = IOU_THRESHOLDS.map((_, bit) => accumulate(ranked, bit, false).ap);
  const atIou = accumulate(ranked, EXTRA, true);
  const counts = countsAtConfidence(detections, confidence);
  return {
    classIndex,
    truths: detections.truths,
    predictions: detections.scores.length,
    ap50: perThreshold[0]!,
    ap75: perThreshold[5]!,
    ap: detections.truths === 0 ? null : mean(perThreshold),
    apAtIou: atIou.ap,
    truePositives: counts.tp,
    falsePositives: counts.fp,
    falseNegatives: counts.fn,
    precision: counts.precision,
    recall: counts.recall,
    f1: counts.f1,
    curve: atIou.curve,
  };
}

function checkOptions(iou: number, confidence: number, classCount: number) {
  if (!(iou > 0 && iou <= 1)) throw new RangeError(`iou must be in (0, 1], got ${iou}`);
  if (!(confidence >= 0 && confidence <= 1)) {
    throw new RangeError(`confidence must be in [0, 1], got ${confidence}`);
  }
  if (!Number.isInteger(classCount) || classCount < 0) {
    throw new RangeError(`classCount must be a non-negative integer, got ${classCount}`);
  }
}

function checkClasses(image: EvaluationImage, classCount: number) {
  for (const box of [...image.truths, ...image.predictions]) {
    if (!Number.isInteger(box.classIndex) || box.classIndex < 0 || box.classIndex >= classCount) {
      throw new RangeError(`image ${image.imageId}: class index ${box.classIndex} out of range`);
    }
  }
}

/**
 * Class-agnostic matching at `iou` of the confident predictions of one image: pairs by descending
 * IoU, each truth and prediction used once. A matched pair counts at (truth class, predicted
 * class); a missed truth in the background column; an unmatched prediction in the background row.
 * Predictions on crowd regions count nowhere.
 */
function addConfusion(
  confusion: number[][],
  image: EvaluationImage,
  iou: number,
  confidence: number,
  background: number,
) {
  const truths = image.truths.filter((t) => !t.crowd);
  const crowds = image.truths.filter((t) => t.crowd);
  const predictions = image.predictions.filter(
    (p) => p.score >= confidence && !crowds.some((c) => boxIou(p, c, true) >= iou),
  );
  const pairs = pairsAbove(predictions, truths, iou);
  const usedTruth = new Uint8Array(truths.length);
  const usedPrediction = new Uint8Array(predictions.length);
  for (const [d, g] of pairs) {
    if (usedTruth[g] || usedPrediction[d]) continue;
    usedTruth[g] = 1;
    usedPrediction[d] = 1;
    confusion[truths[g]!.classIndex]![predictions[d]!.classIndex]! += 1;
  }
  truths.forEach((t, g) => {
    if (!usedTruth[g]) confusion[t.classIndex]![background]! += 1;
  });
  predictions.forEach((p, d) => {
    if (!usedPrediction[d]) confusion[background]![p.classIndex]! += 1;
  });
}

/** [prediction, truth] index pairs with IoU ≥ threshold, best IoU first. */
export function pairsAbove(
  predictions: readonly PixelBox[],
  truths: readonly PixelBox[],
  threshold: number,
): [number, number, number][] {
  const pairs: [number, number, number][] = [];
  predictions.forEach((p, d) => {
    truths.forEach((t, g) => {
      const v = boxIou(p, t);
      if (v >= threshold) pairs.push([d, g, v]);
    });
  });
  return pairs.sort((a, b) => b[2] - a[2]);
}
