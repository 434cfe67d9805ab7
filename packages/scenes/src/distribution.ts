/** Class-frequency models used to decide which defects a scene contains. */
import { DEFAULT_CLASS_ORDER, DEFECT_CLASS_NAMES, isDefectClassName } from "./classes.ts";
import type { DefectClassName } from "./classes.ts";
import type { Rng } from "./prng.ts";

export type DistributionSpec = "long-tail" | "uniform" | Partial<Record<DefectClassName, number>>;

export interface DistributionOptions {
  distribution?: DistributionSpec;
  /** Zipf exponent for "long-tail": weight of the k-th class (1-based) is 1 / k^exponent. Default 1.2. */
  tailExponent?: number;
  /** Frequency ranking for "long-tail", most common first. Missing classes are appended in default order. */
  classOrder?: readonly DefectClassName[];
}

export const DEFAULT_TAIL_EXPONENT = 1.2;

/** Normalised probability per defect class (sums to 1). */
export function classWeights(options: DistributionOptions = {}): Record<DefectClassName, number> {
  const spec = options.distribution ?? "long-tail";
  const raw = Object.fromEntries(DEFECT_CLASS_NAMES.map((n) => [n, 0])) as Record<
    DefectClassName,
    number
  >;
  if (spec === "uniform") {
    for (const n of DEFECT_CLASS_NAMES) raw[n] = 1;
  } else if (spec === "long-tail") {
    const exponent = options.tailExponent ?? DEFAULT_TAIL_EXPONENT;
    if (!Number.isFinite(exponent) || exponent < 0)
      throw new Error(`tailExponent must be >= 0, got ${exponent}`);
    const order = [...(options.classOrder ?? DEFAULT_CLASS_ORDER)];
    for (const n of order)
      if (!isDefectClassName(n)) throw new Error(`unknown class in classOrder: ${n}`);
    for (const n of DEFAULT_CLASS_ORDER) if (!order.includes(n)) order.push(n);
    [...new Set(order)].forEach((n, k) => {
      raw[n] = 1 / Math.pow(k + 1, exponent);
    });
  } else {
    for (const [n, w] of Object.entries(spec)) {
      if (!isDefectClassName(n)) throw new Error(`unknown class in weights: ${n}`);
      if (typeof w !== "number" || !Number.isFinite(w) || w < 0)
        throw new Error(`weight for ${n} must be >= 0`);
      raw[n] = w;
    }
  }
  const total = DEFECT_CLASS_NAMES.reduce((a, n) => a + raw[n], 0);
  if (!(total > 0)) throw new Error("class weights must have a positive sum");
  for (const n of DEFECT_CLASS_NAMES) raw[n] /= total;
  return raw;
}

/** Draws between min and max (inclusive) defect classes, independently, from the weights. */
export function sampleDefects(
  rng: Rng,
  weights: Record<DefectClassName, number>,
  min: number,
  max: number,
): DefectClassName[] {
  const count = rng.int(min, Math.max(min, max));
  const w = DEFECT_CLASS_NAMES.map((n) => weights[n]);
  return Array.from(
    { length: count },
    () => DEFECT_CLASS_NAMES[rng.weightedIndex(w)] as DefectClassName,
  );
}
