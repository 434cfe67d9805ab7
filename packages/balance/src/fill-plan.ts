import { summarizeDistribution } from "./distribution.ts";
import { isCounted } from "./statistics.ts";
import type { BalanceStatistics, ClassBalance } from "./statistics.ts";
import type { SyntheticPolicy } from "./types.ts";

/** How far to fill the classes. Every strategy only ever adds images; no class is reduced. */
export type FillStrategy =
  /** Bring every class up to the largest class. */
  | { kind: "TO_MAX" }
  /** Bring every class up to the median class (mean of the two middle ones for an even count, rounded up). */
  | { kind: "TO_MEDIAN" }
  /** Bring every class up to `count` images (rounded up). */
  | { kind: "TO_COUNT"; count: number }
  /** Bring every class up to ceil(max / maxRatio), so that max / min ≤ maxRatio; maxRatio ≥ 1. */
  | { kind: "TO_RATIO"; maxRatio: number };

export interface FillOptions {
  /** Real TRAIN images a class needs before it can be filled (the generator's references); default 3. */
  shots?: number;
  /** Most images generated for one class in this plan. */
  maxPerClass?: number;
  /** Most synthetic images may make up of a class's planned images after the fill, in [0, 1]. */
  syntheticShareCap?: number;
  /** Synthetic images counted as already present; default "accepted". */
  countSynthetic?: SyntheticPolicy;
}

export interface ResolvedFillOptions {
  shots: number;
  maxPerClass: number | null;
  syntheticShareCap: number | null;
  countSynthetic: SyntheticPolicy;
}

export interface ClassFill {
  classId: string;
  name: string;
  /** Real images in TRAIN having the class. */
  realTrainImages: number;
  /** Synthetic images counted as present (per `countSynthetic`, over the statistics' splits). */
  syntheticImages: number;
  /** realTrainImages + syntheticImages. */
  current: number;
  /** Images the strategy asks for: max(current, level). */
  target: number;
  /** Images to generate; ≤ target − current, lower when blocked or limited. */
  toGenerate: number;
  /** current + toGenerate. */
  after: number;
  /** The cap that cut `toGenerate` below target − current, if any. */
  limitedBy: "maxPerClass" | "syntheticShareCap" | null;
  /** Why the class cannot be filled at all; set only for classes that need images. */
  blockedReason: string | null;
}

export interface BalanceFigures {
  imbalanceRatio: number | null;
  imbalanceRatioNonEmpty: number | null;
  normalizedEntropy: number | null;
}

export interface FillPlan {
  strategy: FillStrategy;
  options: ResolvedFillOptions;
  /** Images per class the strategy aims at. */
  level: number;
  /** One entry per class, in statistics order. */
  classes: ClassFill[];
  totals: { current: number; toGenerate: number; after: number };
  /** Ids of classes that need images but cannot be filled. */
  blockedClasses: string[];
  /** Balance of the planning counts now. */
  before: BalanceFigures;
  /** Balance of the planning counts once every planned image exists. */
  projected: BalanceFigures;
}

// Absorbs floating-point noise (e.g. 99 / 3 landing a hair above 33) before rounding up.
const EPSILON = 1e-9;
const ceilImages = (value: number): number => Math.max(0, Math.ceil(value - EPSILON));

function resolveOptions(options: FillOptions): ResolvedFillOptions {
  const shots = options.shots ?? 3;
  if (!Number.isInteger(shots) || shots < 0)
    throw new RangeError(`shots must be a non-negative integer: ${shots}`);
  const maxPerClass = options.maxPerClass ?? null;
  if (maxPerClass !== null && (!Number.isInteger(maxPerClass) || maxPerClass < 0)) {
    throw new RangeError(`maxPerClass must be a non-negative integer: ${maxPerClass}`);
  }
  const cap = options.syntheticShareCap ?? null;
  if (cap !== null && !(cap >= 0 && cap <= 1)) {
    throw new RangeError(`syntheticShareCap must be within [0, 1]: ${cap}`);
  }
  return {
    shots,
    maxPerClass,
    syntheticShareCap: cap,
    countSynthetic: options.countSynthetic ?? "accepted",
  };
}

function levelFor(strategy: FillStrategy, currents: readonly number[]): number {
  const sorted = [...currents].sort((a, b) => a - b);
  const max = sorted.at(-1) ?? 0;
  switch (strategy.kind) {
    case "TO_MAX":
      return max;
    case "TO_MEDIAN": {
      if (sorted.length === 0) return 0;
      const mid = Math.floor(sorted.length / 2);
      const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
      return ceilImages(median);
    }
    case "TO_COUNT":
      if (!Number.isFinite(strategy.count) || strategy.count < 0) {
        throw new RangeError(`to-count needs a finite, non-negative count: ${strategy.count}`);
      }
      return ceilImages(strategy.count);
    case "TO_RATIO":
      if (!Number.isFinite(strategy.maxRatio) || strategy.maxRatio < 1) {
        throw new RangeError(`to-ratio needs a finite maxRatio ≥ 1: ${strategy.maxRatio}`);
      }
      return ceilImages(max / strategy.maxRatio);
  }
}

/**
 * Most images that may still be generated while keeping synthetic / all ≤ cap:
 * (s + g) / (r + s + g) ≤ cap  ⇔  g ≤ cap·r / (1 − cap) − s, rounded down (a cap is a ceiling).
 */
export function shareCapAllowance(real: number, synthetic: number, cap: number): number {
  if (cap >= 1) return Infinity;
  let allowedSynthetic = Math.floor((cap * real) / (1 - cap) + EPSILON);
  while (allowedSynthetic > 0 && allowedSynthetic / (real + allowedSynthetic) > cap + EPSILON)
    allowedSynthetic--;
  return Math.max(0, allowedSynthetic - synthetic);
}

function syntheticPresent(c: ClassBalance, policy: SyntheticPolicy): number {
  let images = 0;
  if (isCounted("syntheticAccepted", policy)) images += c.byOrigin.syntheticAccepted.images;
  if (isCounted("syntheticPending", policy)) images += c.byOrigin.syntheticPending.images;
  return images;
}

const figures = (counts: readonly number[]): BalanceFigures => {
  const { imbalanceRatio, imbalanceRatioNonEmpty, normalizedEntropy } =
    summarizeDistribution(counts);
  return { imbalanceRatio, imbalanceRatioNonEmpty, normalizedEntropy };
};

/**
 * Plans how many synthetic images to generate per class. Planning is in images, the unit the
 * generator produces, whatever the statistics' unit: a class's current count is its real TRAIN
 * images plus the synthetic images counted by `countSynthetic` (accepted ones by default).
 * The statistics must include the TRAIN split.
 */
export function planFill(
  stats: BalanceStatistics,
  strategy: FillStrategy,
  options: FillOptions = {},
): FillPlan {
  if (!stats.options.splits.includes("TRAIN")) {
    throw new RangeError("fill planning needs statistics that include the TRAIN split");
  }
  const resolved = resolveOptions(options);

  const basis = stats.classes.map((c) => {
    const realTrainImages = c.bySplitAndOrigin.TRAIN.real.images;
    const syntheticImages = syntheticPresent(c, resolved.countSynthetic);
    return { c, realTrainImages, syntheticImages, current: realTrainImages + syntheticImages };
  });
  const level = levelFor(
    strategy,
    basis.map((b) => b.current),
  );

  const classes = basis.map(({ c, realTrainImages, syntheticImages, current }): ClassFill => {
    const target = Math.max(current, level);
    const wanted = target - current;
    let toGenerate = wanted;
    let limitedBy: ClassFill["limitedBy"] = null;
    let blockedReason: string | null = null;

    if (wanted > 0 && realTrainImages < resolved.shots) {
      blockedReason = `fewer than ${resolved.shots} real train images`;
      toGenerate = 0;
    } else {
      if (resolved.maxPerClass !== null && resolved.maxPerClass < toGenerate) {
        toGenerate = resolved.maxPerClass;
        limitedBy = "maxPerClass";
      }
      if (resolved.syntheticShareCap !== null) {
        const allowed = shareCapAllowance(
          realTrainImages,
          syntheticImages,
          resolved.syntheticShareCap,
        );
        if (allowed < toGenerate) {
          toGenerate = allowed;
          limitedBy = "syntheticShareCap";
        }
      }
    }
    return {
      classId: c.classId,
      name: c.name,
      realTrainImages,
      syntheticImages,
      current,
      target,
      toGenerate,
      after: current + toGenerate,
      limitedBy,
      blockedReason,
    };
  });

  const sum = (pick: (f: ClassFill) => number) => classes.reduce((total, f) => total + pick(f), 0);
  return {
    strategy,
    options: resolved,
    level,
    classes,
    totals: {
      current: sum((f) => f.current),
      toGenerate: sum((f) => f.toGenerate),
      after: sum((f) => f.after),
    },
    blockedClasses: classes.filter((f) => f.blockedReason !== null).map((f) => f.classId),
    before: figures(classes.map((f) => f.current)),
    projected: figures(classes.map((f) => f.after)),
  };
}
