// Running the generator on planned samples, and scoring images with the critic.
import * as ort from "onnxruntime-node";
import { GeneratorError, invalid } from "./errors.ts";
import type { SessionPool } from "./model.ts";
import { toPng } from "./postprocess.ts";
import { validatePlan, type SamplePlan } from "./sampling.ts";

export interface GenerateItem {
  plan: SamplePlan;
  /**
   * The K shot tensors in plan order (shots[i] is plan.referenceIds[i], base first), each
   * float32 [3, H, W] in [-1, 1] — from `preprocessReference`.
   */
  shots: Float32Array[];
}

export interface GenerateResult {
  /** Per item: float32 [3, H, W] in [-1, 1]. */
  images: Float32Array[];
  /** Per item: the PNG of the image (deterministic bytes). */
  png: Buffer[];
}

export interface GenerateOptions {
  /** Items per generator run; default the pool's maxBatch (8). Results do not depend on it beyond float rounding. */
  maxBatch?: number;
  /** Encode PNGs; default true. */
  png?: boolean;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Builds the three generator inputs for a batch of items. Exported for tests and benchmarks. */
export function generatorFeeds(
  pool: Pick<SessionPool, "meta">,
  items: readonly GenerateItem[],
): Record<string, ort.Tensor> {
  const { imageSize: s, shots: k, fusedPositions: n, gridSize: g } = pool.meta;
  const b = items.length;
  const shotLen = 3 * s * s;
  const images = new Float32Array(b * k * shotLen);
  const coefficients = new Float32Array(b * k);
  const positions = new BigInt64Array(b * n);
  items.forEach((item, i) => {
    validatePlan(item.plan, { shots: k, gridCells: g * g, fusedPositions: n });
    if (item.shots.length !== k)
      throw invalid(`item ${i}: ${item.shots.length} shot tensors, the model takes ${k}`);
    item.shots.forEach((shot, j) => {
      if (shot.length !== shotLen)
        throw invalid(`item ${i} shot ${j}: ${shot.length} values, expected 3×${s}×${s}`);
      images.set(shot, (i * k + j) * shotLen);
    });
    coefficients.set(item.plan.coefficients, i * k);
    item.plan.positions.forEach((p, j) => (positions[i * n + j] = BigInt(p)));
  });
  return {
    images: new ort.Tensor("float32", images, [b, k, 3, s, s]),
    coefficients: new ort.Tensor("float32", coefficients, [b, k]),
    positions: new ort.Tensor("int64", positions, [b, n]),
  };
}

/** Generates one image per item, in batches of up to maxBatch. */
export async function generateBatch(
  pool: SessionPool,
  items: readonly GenerateItem[],
  opts: GenerateOptions = {},
): Promise<GenerateResult> {
  const maxBatch = opts.maxBatch ?? pool.maxBatch;
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1)
    throw invalid(`maxBatch must be a positive integer, got ${maxBatch}`);
  const s = pool.meta.imageSize;
  const len = 3 * s * s;
  const images: Float32Array[] = [];
  for (const batch of chunks(items, maxBatch)) {
    const out = await pool.runGenerator(generatorFeeds(pool, batch));
    const t = out.image;
    if (!t || t.type !== "float32" || t.data.length !== batch.length * len) {
      throw new GeneratorError(
        "CONTRACT_MISMATCH",
        `generator output image has an unexpected shape ${JSON.stringify(t?.dims)}`,
      );
    }
    const data = t.data as Float32Array;
    // copies: the output buffer belongs to the tensor
    for (let i = 0; i < batch.length; i++) images.push(data.slice(i * len, (i + 1) * len));
  }
  const png = opts.png === false ? [] : await Promise.all(images.map((img) => toPng(img, s)));
  return { images, png };
}

export interface Scores {
  /**
   * Raw critic output per image: the hinge-loss critic's score (unbounded; trained towards ≥ +1
   * on real and ≤ −1 on generated crops). Higher means more realistic to this critic. Not a
   * probability; `realismProbability` is sigmoid(realism) for display.
   */
  realism: number[];
  realismProbability: number[];
  /**
   * softmax(class_logits)[target] per image — how strongly the critic's classifier puts the image
   * in the target class. null for every image when the target class is one the critic never saw
   * in training (the usual case for a rare class generated few-shot), or when no class was given.
   */
  classConsistency: (number | null)[];
  /** The target's index in the critic's classes, or null (unseen class). */
  classIndex: number | null;
  classLogits: Float32Array[];
  /** Critic feature vector per image (F values), for nearest-reference distances. */
  features: Float32Array[];
}

/** Scores images (float32 [3, H, W] in [-1, 1]) with the critic; the target class is by name. */
export async function score(
  pool: SessionPool,
  images: readonly Float32Array[],
  opts: { className?: string; maxBatch?: number } = {},
): Promise<Scores> {
  if (!pool.critic || !pool.criticMeta)
    throw new GeneratorError("NO_CRITIC", "this model version has no critic");
  const classNames = pool.criticMeta.classNames;
  const idx = opts.className === undefined ? -1 : classNames.indexOf(opts.className);
  const classIndex = idx >= 0 ? idx : null;
  const s = pool.meta.imageSize;
  const len = 3 * s * s;
  const maxBatch = opts.maxBatch ?? pool.maxBatch;
  const res: Scores = {
    realism: [],
    realismProbability: [],
    classConsistency: [],
    classIndex,
    classLogits: [],
    features: [],
  };
  for (const batch of chunks(images, maxBatch)) {
    const data = new Float32Array(batch.length * len);
    batch.forEach((img, i) => {
      if (img.length !== len)
        throw invalid(`image ${i}: ${img.length} values, expected 3×${s}×${s}`);
      data.set(img, i * len);
    });
    const out = await pool.runCritic({
      image: new ort.Tensor("float32", data, [batch.length, 3, s, s]),
    });
    const realism = out.realism?.data as Float32Array | undefined;
    const logits = out.class_logits?.data as Float32Array | undefined;
    const feats = out.features?.data as Float32Array | undefined;
    if (!realism || !logits || !feats || realism.length !== batch.length) {
      throw new GeneratorError(
        "CONTRACT_MISMATCH",
        "critic outputs realism, class_logits and features are missing or misshapen",
      );
    }
    const c = logits.length / batch.length;
    const f = feats.length / batch.length;
    for (let i = 0; i < batch.length; i++) {
      const r = realism[i]!;
      res.realism.push(r);
      res.realismProbability.push(1 / (1 + Math.exp(-r)));
      const row = logits.slice(i * c, (i + 1) * c);
      res.classLogits.push(row);
      res.classConsistency.push(classIndex === null ? null : softmax(row)[classIndex]!);
      res.features.push(feats.slice(i * f, (i + 1) * f));
    }
  }
  return res;
}

export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const e = Array.from({ length: logits.length }, (_, i) => Math.exp(logits[i]! - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

export type FeatureMetric = "l2" | "cosine";

export function featureDistance(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  metric: FeatureMetric = "l2",
): number {
  if (a.length !== b.length) throw invalid(`feature sizes differ: ${a.length} vs ${b.length}`);
  if (metric === "l2") {
    let d = 0;
    for (let i = 0; i < a.length; i++) d += (a[i]! - b[i]!) ** 2;
    return Math.sqrt(d);
  }
  let dot = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  // cosine distance 1 − cos; a zero vector is at distance 1 from everything
  return na === 0 || nb === 0 ? 1 : 1 - dot / Math.sqrt(na * nb);
}

/**
 * Distance from a generated image's critic features to the closest reference's features (low =
 * close to a copy of one reference). Returns the distance and that reference's index.
 */
export function nearestReferenceDistance(
  output: ArrayLike<number>,
  references: readonly ArrayLike<number>[],
  metric: FeatureMetric = "l2",
): { distance: number; index: number } {
  if (references.length === 0) throw invalid("no reference features");
  let best = { distance: Infinity, index: -1 };
  references.forEach((r, i) => {
    const d = featureDistance(output, r, metric);
    if (d < best.distance) best = { distance: d, index: i };
  });
  return best;
}

/**
 * The same distance among the real references themselves (each to its nearest other reference),
 * for context: a generated image much closer to a reference than references are to each other is
 * likely a near-copy. Needs at least two references.
 */
export function referenceSpread(
  references: readonly ArrayLike<number>[],
  metric: FeatureMetric = "l2",
): { nearest: number[]; median: number; min: number } {
  if (references.length < 2) throw invalid("need at least two references");
  const nearest = references.map(
    (r, i) =>
      nearestReferenceDistance(
        r,
        references.filter((_, j) => j !== i),
        metric,
      ).distance,
  );
  const sorted = [...nearest].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { nearest, median, min: sorted[0]! };
}
