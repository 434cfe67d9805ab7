// The sampling core shared by fills and regenerate: a sample's plan and its reference boxes go
// through the generator and the critic and come out as an image with its scores. A best-of-N fill
// sends all N candidates of its batch's samples through in one pass and keeps, per sample, the one
// the critic scores highest (`keepBest`); only the kept candidate is composited and stored.
import {
  GeneratorError,
  generateBatch,
  nearestReferenceDistance,
  score,
  selectBest,
  selectionScore,
  type GenerateItem,
  type SamplePlan,
  type Selection,
  type SessionPool,
} from "@gridfill/generator";
import { referenceBoxes, type ReferenceBox } from "@gridfill/core/fills/service.ts";
import { REFERENCE_CROP, type ShotSource } from "./models.ts";

export { referenceBoxes, type ReferenceBox };

/** A sample's object key: fixed by (request, index), so a retry overwrites instead of duplicating. */
export function syntheticKey(requestId: string, index: number, extension = "png"): string {
  return `synthetic/${requestId}/${String(index).padStart(6, "0")}.${extension}`;
}

/**
 * The box of the generated object in the synthetic image: the reference crops put the box's longest
 * side at 1 / (1 + margin) of the square, centred, so the generated object sits there too.
 */
export function syntheticBox(size: number): {
  x: number;
  y: number;
  width: number;
  height: number;
} {
  const side = size / (1 + REFERENCE_CROP.margin);
  const offset = (size - side) / 2;
  return { x: offset, y: offset, width: side, height: side };
}

export interface SampleResult {
  plan: SamplePlan;
  boxes: ReferenceBox[];
  /** float32 [3, H, W] in [-1, 1]; `encodeSample` turns it into the stored PNG. */
  image: Float32Array;
  realism: number | null;
  classScore: number | null;
  nearestReferenceDistance: number | null;
}

/** Generates and scores planned samples (the same code path serves fills and regenerate). */
export async function makeSamples(
  pool: SessionPool,
  shots: ShotSource,
  className: string,
  planned: readonly { plan: SamplePlan; boxes: ReferenceBox[] }[],
  featureCache: WeakMap<Float32Array, Float32Array> = new WeakMap(),
): Promise<SampleResult[]> {
  const items: GenerateItem[] = [];
  for (const p of planned)
    items.push({ plan: p.plan, shots: await Promise.all(p.boxes.map((b) => shots.get(b))) });
  // PNG encoding is left to the caller, so that it can overlap the next batch's inference.
  const out = await generateBatch(pool, items, { png: false });
  let scores: {
    realism: number[];
    classConsistency: (number | null)[];
    features: Float32Array[];
  } | null = null;
  let referenceFeatures: Float32Array[][] = [];
  if (pool.critic) {
    scores = await score(pool, out.images, { className });
    // Critic features of each reference, computed once per job (references recur across samples).
    const missing = [...new Set(items.flatMap((i) => i.shots))].filter(
      (shot) => !featureCache.has(shot),
    );
    if (missing.length) {
      const refScores = await score(pool, missing);
      missing.forEach((shot, i) => featureCache.set(shot, refScores.features[i]!));
    }
    referenceFeatures = items.map((i) => i.shots.map((shot) => featureCache.get(shot)!));
  }
  return planned.map((p, i) => ({
    plan: p.plan,
    boxes: p.boxes,
    image: out.images[i]!,
    realism: scores ? scores.realism[i]! : null,
    classScore: scores ? scores.classConsistency[i]! : null,
    nearestReferenceDistance: scores
      ? nearestReferenceDistance(scores.features[i]!, referenceFeatures[i]!).distance
      : null,
  }));
}

/** A sample as a fill keeps it: the chosen candidate, and how it was chosen (null: the only one). */
export interface KeptSample extends SampleResult {
  selection: Selection | null;
}

/**
 * Of each sample's candidates (plans of one index, candidate 0 … N−1, in any order), keeps the one
 * with the highest selection score (ties: the lowest candidate number). With one candidate per
 * sample nothing is chosen and no critic is needed.
 */
export function keepBest(samples: readonly SampleResult[], bestOf: number): KeptSample[] {
  if (bestOf === 1) return samples.map((s) => ({ ...s, selection: null }));
  const bySample = new Map<number, (SampleResult | undefined)[]>();
  for (const s of samples) {
    const ofSample = bySample.get(s.plan.index) ?? new Array<SampleResult | undefined>(bestOf);
    ofSample[s.plan.candidate ?? 0] = s;
    bySample.set(s.plan.index, ofSample);
  }
  return [...bySample].map(([index, ofSample]) => {
    const scores = Array.from({ length: bestOf }, (_, c) => {
      const s = ofSample[c];
      if (!s) throw new Error(`sample ${index} lacks its candidate ${c} of ${bestOf}`);
      if (s.realism === null)
        throw new GeneratorError(
          "NO_CRITIC",
          "this model version has no critic to choose between candidates",
        );
      return selectionScore(s.realism, s.classScore);
    });
    const selection = selectBest(scores);
    return { ...ofSample[selection.candidate]!, selection };
  });
}
