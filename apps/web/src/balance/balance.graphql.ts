import { operation } from "../graphql/client";
import type { Split } from "../images/images.graphql";

export type BalanceUnit = "IMAGES" | "BOXES";
export type FillStrategyKind = "TO_MAX" | "TO_MEDIAN" | "TO_COUNT" | "TO_RATIO";

interface ClassRef {
  id: string;
  name: string;
  title: string;
  color: string;
}

export interface ClassBalance {
  defectClass: ClassRef;
  counted: number;
  share: number;
  images: number;
  boxes: number;
  real: number;
  syntheticAccepted: number;
  syntheticPending: number;
}

export interface BalanceStatistics {
  unit: BalanceUnit;
  splits: Split[];
  syntheticPolicy: SyntheticPolicy;
  countUnreviewedPredicted: boolean;
  total: number;
  imbalanceRatio: number | null;
  normalizedEntropy: number | null;
  maxClass: ClassRef | null;
  minClass: ClassRef | null;
  emptyClasses: ClassRef[];
  classes: ClassBalance[];
}

const CLASS_REF = `id name title color`;

export const BALANCE = operation<
  { balance: BalanceStatistics },
  { datasetId: string; unit: BalanceUnit; splits: Split[] | null }
>(`
  query Balance($datasetId: ID!, $unit: BalanceUnit, $splits: [Split!]) {
    balance(datasetId: $datasetId, unit: $unit, splits: $splits) {
      unit splits syntheticPolicy countUnreviewedPredicted total imbalanceRatio normalizedEntropy
      maxClass { ${CLASS_REF} } minClass { ${CLASS_REF} } emptyClasses { ${CLASS_REF} }
      classes {
        defectClass { ${CLASS_REF} }
        counted share images boxes real syntheticAccepted syntheticPending
      }
    }
  }
`);

export interface FillStrategyInput {
  kind: FillStrategyKind;
  count?: number;
  maxRatio?: number;
}

export type FillLimit = "MAX_PER_CLASS" | "SYNTHETIC_SHARE_CAP";
export type SyntheticPolicy = "ACCEPTED" | "ACCEPTED_AND_PENDING" | "NONE";

/** Planning is in images: current = real train images + the synthetic images the policy counts. */
export interface ClassFill {
  defectClass: ClassRef;
  realTrainImages: number;
  syntheticImages: number;
  current: number;
  target: number;
  toGenerate: number;
  after: number;
  limitedBy: FillLimit | null;
  blockedReason: string | null;
}

export interface FillPlan {
  strategy: FillStrategyKind;
  shots: number;
  level: number;
  syntheticPolicy: SyntheticPolicy;
  syntheticShareCap: number;
  classes: ClassFill[];
  totalToGenerate: number;
  currentImbalanceRatio: number | null;
  currentNormalizedEntropy: number | null;
  projectedImbalanceRatio: number | null;
  projectedNormalizedEntropy: number | null;
}

export const FILL_PLAN = operation<
  { fillPlan: FillPlan },
  { datasetId: string; strategy: FillStrategyInput; shots: number }
>(`
  query FillPlan($datasetId: ID!, $strategy: FillStrategyInput!, $shots: Int) {
    fillPlan(datasetId: $datasetId, strategy: $strategy, shots: $shots) {
      strategy shots level syntheticPolicy syntheticShareCap totalToGenerate
      currentImbalanceRatio currentNormalizedEntropy projectedImbalanceRatio projectedNormalizedEntropy
      classes {
        defectClass { ${CLASS_REF} }
        realTrainImages syntheticImages current target toGenerate after limitedBy blockedReason
      }
    }
  }
`);
