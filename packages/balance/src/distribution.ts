/** Balance figures of a distribution of per-class counts. */
export interface DistributionSummary {
  /** Sum of the counts. */
  total: number;
  /** max / min over all classes; null when any class is empty (the ratio would be infinite) or there are no classes. */
  imbalanceRatio: number | null;
  /** max / min over the non-empty classes only; null when no class is non-empty. */
  imbalanceRatioNonEmpty: number | null;
  /** Shannon entropy H / ln(C) over all C classes; 1 = perfectly balanced. 1 for a single class, null for a zero total. */
  normalizedEntropy: number | null;
  /** Indexes of classes with a zero count, in input order. */
  emptyIndexes: number[];
}

/**
 * Balance figures of a list of non-negative counts (one per class).
 * Empty classes take part in the entropy (p = 0 contributes 0, but C counts them) so a
 * dataset with missing classes never looks balanced.
 */
export function summarizeDistribution(counts: readonly number[]): DistributionSummary {
  let total = 0;
  let max = -Infinity;
  let minNonEmpty = Infinity;
  const emptyIndexes: number[] = [];
  counts.forEach((count, index) => {
    total += count;
    if (count > max) max = count;
    if (count === 0) emptyIndexes.push(index);
    else if (count < minNonEmpty) minNonEmpty = count;
  });

  const imbalanceRatioNonEmpty = minNonEmpty === Infinity ? null : max / minNonEmpty;
  const imbalanceRatio =
    counts.length > 0 && emptyIndexes.length === 0 ? imbalanceRatioNonEmpty : null;

  let normalizedEntropy: number | null = null;
  if (total > 0) {
    if (counts.length === 1 || imbalanceRatio === 1) {
      // By definition, and exactly (the sum below may land a hair under 1 for equal counts).
      normalizedEntropy = 1;
    } else {
      let h = 0;
      for (const count of counts) {
        if (count > 0) {
          const p = count / total;
          h -= p * Math.log(p);
        }
      }
      // Clamp floating-point noise so a perfectly balanced set reads exactly 1.
      normalizedEntropy = Math.min(1, Math.max(0, h / Math.log(counts.length)));
    }
  }

  return { total, imbalanceRatio, imbalanceRatioNonEmpty, normalizedEntropy, emptyIndexes };
}
