import type { Dataset, DefectClass } from "@gridfill/db";
import { SPLITS, type BalanceStatistics, type CountUnit, type Split } from "@gridfill/balance";
import type { ApiContext } from "../context.ts";
import { isUuid, notFound } from "../errors.ts";

async function datasetOf(ctx: ApiContext, id: string): Promise<Dataset> {
  const dataset = isUuid(id) ? await ctx.loaders.dataset.load(id.toLowerCase()) : null;
  if (!dataset) throw notFound("dataset", id);
  return dataset;
}
import {
  datasetBalance,
  datasetFillPlan,
  syntheticPolicy,
  type FillStrategyInput,
} from "@gridfill/core/balance/service.ts";

type UnitArg = "IMAGES" | "BOXES";

const POLICY_ENUM = {
  accepted: "ACCEPTED",
  "accepted-and-pending": "ACCEPTED_AND_PENDING",
  none: "NONE",
} as const;

/** The package's statistics in the shape of the GraphQL contract. */
function toGraph(stats: BalanceStatistics, classes: DefectClass[], unit: UnitArg) {
  const byId = new Map(classes.map((c) => [c.id, c]));
  const key: CountUnit = unit === "BOXES" ? "boxes" : "images";
  const nonEmpty = stats.classes.filter((c) => c.count > 0).length;
  return {
    unit,
    splits: stats.options.splits,
    syntheticPolicy: POLICY_ENUM[stats.options.countSynthetic],
    countUnreviewedPredicted: stats.options.countUnreviewedPredicted,
    total: stats.total,
    imbalanceRatio: nonEmpty >= 2 ? stats.imbalanceRatioNonEmpty : null,
    normalizedEntropy: stats.normalizedEntropy,
    maxClass: stats.maxClass && stats.maxClass.count > 0 ? byId.get(stats.maxClass.classId) : null,
    minClass: stats.minClass ? byId.get(stats.minClass.classId) : null,
    emptyClasses: stats.emptyClasses.map((id) => byId.get(id)),
    classes: stats.classes.map((c) => ({
      defectClass: byId.get(c.classId),
      counted: c.count,
      share: c.share ?? 0,
      images: c.images,
      boxes: c.boxes,
      real: c.byOrigin.real[key],
      syntheticAccepted: c.byOrigin.syntheticAccepted[key],
      syntheticPending: c.byOrigin.syntheticPending[key],
      unreviewedPredicted: c.unreviewedPredicted[key],
      bySplit: SPLITS.map((split) => ({
        split,
        images: c.bySplit[split].images,
        boxes: c.bySplit[split].boxes,
      })),
    })),
  };
}

export async function balanceOfDataset(
  ctx: ApiContext,
  dataset: Dataset,
  args: { unit?: UnitArg | null; splits?: Split[] | null },
) {
  const unit = args.unit ?? "IMAGES";
  const { stats, classes } = await datasetBalance(ctx, dataset, {
    unit: unit === "BOXES" ? "boxes" : "images",
    splits: args.splits ?? null,
  });
  return toGraph(stats, classes, unit);
}

export const balanceResolvers = {
  Query: {
    async balance(
      _: unknown,
      args: { datasetId: string; unit?: UnitArg | null; splits?: Split[] | null },
      ctx: ApiContext,
    ) {
      return balanceOfDataset(ctx, await datasetOf(ctx, args.datasetId), args);
    },
    async fillPlan(
      _: unknown,
      args: { datasetId: string; strategy: FillStrategyInput; shots?: number | null },
      ctx: ApiContext,
    ) {
      const dataset = await datasetOf(ctx, args.datasetId);
      const shots = args.shots ?? 3;
      const { plan, classes } = await datasetFillPlan(ctx, dataset, args.strategy, shots);
      const byId = new Map(classes.map((c) => [c.id, c]));
      return {
        strategy: args.strategy.kind,
        shots,
        level: plan.level,
        syntheticPolicy: POLICY_ENUM[syntheticPolicy(dataset)],
        syntheticShareCap: dataset.syntheticShareCap,
        classes: plan.classes.map((f) => ({
          defectClass: byId.get(f.classId),
          realTrainImages: f.realTrainImages,
          syntheticImages: f.syntheticImages,
          current: f.current,
          target: f.target,
          toGenerate: f.toGenerate,
          after: f.after,
          limitedBy:
            f.limitedBy === "maxPerClass"
              ? "MAX_PER_CLASS"
              : f.limitedBy === "syntheticShareCap"
                ? "SYNTHETIC_SHARE_CAP"
                : null,
          blockedReason: f.blockedReason,
        })),
        totalToGenerate: plan.totals.toGenerate,
        currentImbalanceRatio: plan.before.imbalanceRatioNonEmpty,
        currentNormalizedEntropy: plan.before.normalizedEntropy,
        projectedImbalanceRatio: plan.projected.imbalanceRatioNonEmpty,
        projectedNormalizedEntropy: plan.projected.normalizedEntropy,
      };
    },
  },
};
