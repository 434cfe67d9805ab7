// What the balance counts, in words: the dataset's synthetic policy and whether unreviewed
// pre-labels count, for the overview's summary and the line under the balance chart.
import type { BalanceStatistics, SyntheticPolicy } from "./balance.graphql";

/** The overview's short form of the two settings. */
export function policySummary(dataset: {
  countPendingSynthetic: boolean;
  countUnreviewedPredicted: boolean;
}): string {
  return [
    dataset.countPendingSynthetic
      ? "pending synthetic images count"
      : "only accepted synthetic images count",
    dataset.countUnreviewedPredicted
      ? "unreviewed pre-labels count"
      : "only reviewed pre-labels count",
  ].join(" · ");
}

/** The one-line explanation beside the pre-label toggle. */
export const UNREVIEWED_PREDICTED_HINT =
  "Boxes a detector pre-labelled that no one has confirmed or edited yet. Off, they count once reviewed; switching recounts nothing.";

const SYNTHETIC_COUNTED: Record<SyntheticPolicy, string> = {
  NONE: "",
  ACCEPTED: " and accepted synthetic ones",
  ACCEPTED_AND_PENDING: " and accepted or pending synthetic ones",
};

/** The line under the balance chart saying what its counts include. */
export function countedLine(
  balance: Pick<BalanceStatistics, "syntheticPolicy" | "countUnreviewedPredicted" | "unit">,
): string {
  return (
    `Counted: real images${SYNTHETIC_COUNTED[balance.syntheticPolicy]}` +
    (balance.countUnreviewedPredicted ? "" : ", without unreviewed pre-labels") +
    (balance.unit === "IMAGES" ? "; an image showing two classes counts for both." : ".")
  );
}
