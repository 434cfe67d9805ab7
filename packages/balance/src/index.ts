export { SPLITS } from "./types.ts";
export type {
  ClassInfo,
  CounterRow,
  CountUnit,
  Origin,
  OriginBreakdown,
  ReviewState,
  Split,
  SyntheticPolicy,
  Tally,
} from "./types.ts";

export { summarizeDistribution } from "./distribution.ts";
export type { DistributionSummary } from "./distribution.ts";

export { balanceStatistics, isCounted, rollUp } from "./statistics.ts";
export type {
  BalanceOptions,
  BalanceStatistics,
  ClassBalance,
  ClassBalanceNode,
  ClassRef,
  ResolvedBalanceOptions,
} from "./statistics.ts";

export { planFill, shareCapAllowance } from "./fill-plan.ts";
export type {
  BalanceFigures,
  ClassFill,
  FillOptions,
  FillPlan,
  FillStrategy,
  ResolvedFillOptions,
} from "./fill-plan.ts";

export {
  clampBox,
  fromCoco,
  fromVoc,
  fromYolo,
  iou,
  toCoco,
  toVoc,
  toYolo,
  validateBox,
} from "./boxes.ts";
export type {
  Box,
  BoxErrorCode,
  BoxValidation,
  BoxValidationOptions,
  CocoBbox,
  ImageSize,
  VocBox,
  YoloBox,
} from "./boxes.ts";

export { CLASS_PALETTE, nextClassColor } from "./palette.ts";
