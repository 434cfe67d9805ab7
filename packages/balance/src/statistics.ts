import { summarizeDistribution } from "./distribution.ts";
import { SPLITS } from "./types.ts";
import type {
  ClassInfo,
  CounterRow,
  CountUnit,
  OriginBreakdown,
  Split,
  SyntheticPolicy,
  Tally,
} from "./types.ts";

export interface BalanceOptions {
  /** Splits to take into account; all splits when omitted. Rows of other splits are ignored entirely. */
  splits?: readonly Split[];
  /** Which synthetic images count towards the balance. */
  countSynthetic: SyntheticPolicy;
  /** Unit of `count`, `share`, ratio and entropy; "images" when omitted. */
  unit?: CountUnit;
  /**
   * Whether predicted boxes no human has reviewed yet count (true when omitted). When false they
   * are left out of every count, and so are the images whose boxes of a class are all such boxes.
   */
  countUnreviewedPredicted?: boolean;
}

export interface ResolvedBalanceOptions {
  splits: Split[];
  countSynthetic: SyntheticPolicy;
  unit: CountUnit;
  countUnreviewedPredicted: boolean;
}

/** Balance of one class. */
export interface ClassBalance {
  classId: string;
  name: string;
  color: string | null;
  parentId: string | null;
  /** Counted images (real + synthetic allowed by the policy) over the selected splits. */
  images: number;
  /** Counted boxes, same scope as `images`. */
  boxes: number;
  /** `images` or `boxes`, according to the unit. */
  count: number;
  /** count / dataset total; null when the total is zero. */
  share: number | null;
  /** Counted images and boxes per split (zero for splits not selected). */
  bySplit: Record<Split, Tally>;
  /** Every origin bucket over the selected splits, counted or not. */
  byOrigin: OriginBreakdown;
  /** Origin buckets per split (zero for splits not selected); the fill planner reads real TRAIN from here. */
  bySplitAndOrigin: Record<Split, OriginBreakdown>;
  /**
   * Unreviewed predicted boxes over the selected splits (of every bucket but rejected synthetic
   * images), and the images whose boxes of the class are all such boxes: included in the counts
   * above, or left out of them, as `countUnreviewedPredicted` says.
   */
  unreviewedPredicted: Tally;
}

export interface ClassRef {
  classId: string;
  name: string;
  count: number;
}

export interface BalanceStatistics {
  options: ResolvedBalanceOptions;
  /** One entry per class, in the order the classes were given. */
  classes: ClassBalance[];
  /**
   * Sum of the class counts in the unit. With unit "images" this counts image–class pairs:
   * an image showing two classes contributes to both, so it is not the number of distinct images.
   */
  total: number;
  /** max / min class count; null when any class is empty (see `emptyClasses`) or there are no classes. */
  imbalanceRatio: number | null;
  /** max / min over the non-empty classes only; null when every class is empty. */
  imbalanceRatioNonEmpty: number | null;
  /** H / ln(C) over all C classes; 1 = perfectly balanced, 1 for a single class, null for a zero total. */
  normalizedEntropy: number | null;
  /** Ids of classes with a zero count, in class order. */
  emptyClasses: string[];
  /** Largest class (first in class order on ties); null without classes. */
  maxClass: ClassRef | null;
  /** Smallest class, empty ones included (first in class order on ties); null without classes. */
  minClass: ClassRef | null;
  /** Class ids found in counter rows but absent from the class list; their rows are ignored. */
  unknownClassIds: string[];
}

const zeroTally = (): Tally => ({ images: 0, boxes: 0 });
const zeroOrigins = (): OriginBreakdown => ({
  real: zeroTally(),
  syntheticAccepted: zeroTally(),
  syntheticPending: zeroTally(),
});
const perSplit = <T>(make: () => T): Record<Split, T> => ({
  TRAIN: make(),
  VAL: make(),
  TEST: make(),
  UNASSIGNED: make(),
});

function addTo(target: Tally, images: number, boxes: number): void {
  target.images += images;
  target.boxes += boxes;
}

/** Origin bucket of a row, or null for rows that are never reported (rejected synthetic images). */
function bucketOf(row: CounterRow): keyof OriginBreakdown | null {
  if (row.origin === "REAL") return "real";
  if (row.reviewState === "ACCEPTED") return "syntheticAccepted";
  if (row.reviewState === "PENDING") return "syntheticPending";
  return null;
}

export function isCounted(bucket: keyof OriginBreakdown, policy: SyntheticPolicy): boolean {
  switch (bucket) {
    case "real":
      return true;
    case "syntheticAccepted":
      return policy !== "none";
    case "syntheticPending":
      return policy === "accepted-and-pending";
  }
}

function checkCount(value: number, field: string, row: CounterRow, most = Infinity): void {
  // Counters are maintained transactionally; a negative or fractional one is a bug upstream.
  if (!Number.isInteger(value) || value < 0 || value > most) {
    throw new RangeError(
      `counter ${field} must be a non-negative integer${most < Infinity ? ` up to ${most}` : ""} (class ${row.classId}, ${row.split}/${row.origin}/${row.reviewState}): ${value}`,
    );
  }
}

/**
 * Turns per-class counter rows into balance statistics.
 * Rows with the same key are summed; rows of unknown classes are ignored and listed.
 */
export function balanceStatistics(
  classes: readonly ClassInfo[],
  counters: readonly CounterRow[],
  options: BalanceOptions,
): BalanceStatistics {
  const resolved: ResolvedBalanceOptions = {
    splits: options.splits
      ? SPLITS.filter((split) => options.splits!.includes(split))
      : [...SPLITS],
    countSynthetic: options.countSynthetic,
    unit: options.unit ?? "images",
    countUnreviewedPredicted: options.countUnreviewedPredicted ?? true,
  };
  const selected = new Set<Split>(resolved.splits);

  const matrices = new Map<string, Record<Split, OriginBreakdown>>();
  const unreviewed = new Map<string, Tally>();
  for (const info of classes) {
    if (matrices.has(info.id)) throw new RangeError(`duplicate class id: ${info.id}`);
    matrices.set(info.id, perSplit(zeroOrigins));
    unreviewed.set(info.id, zeroTally());
  }

  const unknown = new Set<string>();
  for (const row of counters) {
    checkCount(row.images, "images", row);
    checkCount(row.boxes, "boxes", row);
    const unreviewedImages = row.unreviewedPredictedImages ?? 0;
    const unreviewedBoxes = row.unreviewedPredictedBoxes ?? 0;
    checkCount(unreviewedImages, "unreviewedPredictedImages", row, row.images);
    checkCount(unreviewedBoxes, "unreviewedPredictedBoxes", row, row.boxes);
    const matrix = matrices.get(row.classId);
    if (!matrix) {
      unknown.add(row.classId);
      continue;
    }
    const bucket = bucketOf(row);
    if (bucket === null || !selected.has(row.split)) continue;
    addTo(unreviewed.get(row.classId)!, unreviewedImages, unreviewedBoxes);
    if (resolved.countUnreviewedPredicted) addTo(matrix[row.split][bucket], row.images, row.boxes);
    else
      addTo(matrix[row.split][bucket], row.images - unreviewedImages, row.boxes - unreviewedBoxes);
  }

  const balances: ClassBalance[] = classes.map((info) => {
    const bySplitAndOrigin = matrices.get(info.id)!;
    const byOrigin = zeroOrigins();
    const bySplit = perSplit(zeroTally);
    for (const split of SPLITS) {
      for (const bucket of ["real", "syntheticAccepted", "syntheticPending"] as const) {
        const cell = bySplitAndOrigin[split][bucket];
        addTo(byOrigin[bucket], cell.images, cell.boxes);
        if (isCounted(bucket, resolved.countSynthetic))
          addTo(bySplit[split], cell.images, cell.boxes);
      }
    }
    const counted = zeroTally();
    for (const split of SPLITS) addTo(counted, bySplit[split].images, bySplit[split].boxes);
    return {
      classId: info.id,
      name: info.name,
      color: info.color ?? null,
      parentId: info.parentId ?? null,
      images: counted.images,
      boxes: counted.boxes,
      count: counted[resolved.unit],
      share: null,
      bySplit,
      byOrigin,
      bySplitAndOrigin,
      unreviewedPredicted: unreviewed.get(info.id)!,
    };
  });

  const summary = summarizeDistribution(balances.map((b) => b.count));
  for (const b of balances) b.share = summary.total > 0 ? b.count / summary.total : null;

  return {
    options: resolved,
    classes: balances,
    total: summary.total,
    imbalanceRatio: summary.imbalanceRatio,
    imbalanceRatioNonEmpty: summary.imbalanceRatioNonEmpty,
    normalizedEntropy: summary.normalizedEntropy,
    emptyClasses: summary.emptyIndexes.map((i) => balances[i]!.classId),
    maxClass: extreme(balances, (a, b) => a > b),
    minClass: extreme(balances, (a, b) => a < b),
    unknownClassIds: [...unknown],
  };
}

function extreme(
  balances: readonly ClassBalance[],
  better: (a: number, b: number) => boolean,
): ClassRef | null {
  let best: ClassBalance | null = null;
  for (const b of balances) if (best === null || better(b.count, best.count)) best = b;
  return best && { classId: best.classId, name: best.name, count: best.count };
}

/** A class with its descendants aggregated into it, for taxonomy display. */
export interface ClassBalanceNode extends ClassBalance {
  /** The class's own balance, without descendants. */
  own: ClassBalance;
  children: ClassBalanceNode[];
  /** 0 for roots. */
  depth: number;
}

/**
 * Aggregates each class's descendants into it, following `parentId`.
 * Counts are plain sums, so with unit "images" an image showing a parent and a child class
 * (or two siblings) counts once per class. Shares are taken against the same dataset total.
 * Classes whose parent is not in the statistics become roots. Throws on a cycle.
 */
export function rollUp(stats: BalanceStatistics): ClassBalanceNode[] {
  const byId = new Map(stats.classes.map((c) => [c.classId, c]));
  const childrenOf = new Map<string | null, ClassBalance[]>();
  for (const c of stats.classes) {
    const parent = c.parentId !== null && byId.has(c.parentId) ? c.parentId : null;
    const list = childrenOf.get(parent) ?? [];
    list.push(c);
    childrenOf.set(parent, list);
  }

  const visited = new Set<string>();
  const build = (own: ClassBalance, depth: number): ClassBalanceNode => {
    visited.add(own.classId);
    const children = (childrenOf.get(own.classId) ?? []).map((child) => build(child, depth + 1));
    const bySplitAndOrigin = perSplit(zeroOrigins);
    const bySplit = perSplit(zeroTally);
    const byOrigin = zeroOrigins();
    const unreviewedPredicted = zeroTally();
    for (const part of [own, ...children]) {
      addTo(unreviewedPredicted, part.unreviewedPredicted.images, part.unreviewedPredicted.boxes);
      for (const split of SPLITS) {
        addTo(bySplit[split], part.bySplit[split].images, part.bySplit[split].boxes);
        for (const bucket of ["real", "syntheticAccepted", "syntheticPending"] as const) {
          const cell = part.bySplitAndOrigin[split][bucket];
          addTo(bySplitAndOrigin[split][bucket], cell.images, cell.boxes);
        }
      }
      for (const bucket of ["real", "syntheticAccepted", "syntheticPending"] as const) {
        addTo(byOrigin[bucket], part.byOrigin[bucket].images, part.byOrigin[bucket].boxes);
      }
    }
    const images = own.images + children.reduce((sum, c) => sum + c.images, 0);
    const boxes = own.boxes + children.reduce((sum, c) => sum + c.boxes, 0);
    const count = stats.options.unit === "images" ? images : boxes;
    return {
      ...own,
      images,
      boxes,
      count,
      share: stats.total > 0 ? count / stats.total : null,
      bySplit,
      byOrigin,
      bySplitAndOrigin,
      unreviewedPredicted,
      own,
      children,
      depth,
    };
  };

  const roots = (childrenOf.get(null) ?? []).map((root) => build(root, 0));
  // Classes never reached from a root sit on a parent cycle.
  const unreached = stats.classes.filter((c) => !visited.has(c.classId)).map((c) => c.classId);
  if (unreached.length > 0)
    throw new RangeError(`class taxonomy has a cycle through: ${unreached.join(", ")}`);
  return roots;
}
