import type { Dataset, DefectClass } from "@gridfill/db";
import { SPLITS, type BalanceStatistics, type CountUnit } from "@gridfill/balance";
import type { BalanceUnit, DatasetBalanceArgs, Resolvers } from "../generated/graphql.ts";
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
} from "@gridfill/core/balance/service.ts";

const POLICY_ENUM = {
  accepted: "ACCEPTED",
  "accepted-and-pending": "ACCEPTED_AND_PENDING",
  none: "NONE",
} as const;

/** The dataset's classes by id; the statistics only name classes read with them. */
function classesById(classes: DefectClass[]) {
  const byId = new Map(classes.map((c) => [c.id, c]));
  return (id: string): DefectClass => {
    const found = byId.get(id);
    if (!found) throw new Error(`class ${id} of the statistics is not among the dataset's classes`);
    return found;
  };
}

/** The package's statistics in the shape of the GraphQL contract. */
function toGraph(stats: BalanceStatistics, classes: DefectClass[], unit: BalanceUnit) {
  const classOf = classesById(classes);
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
    maxClass: stats.maxClass && stats.maxClass.count > 0 ? classOf(stats.maxClass.classId) : null,
    minClass: stats.minClass ? classOf(stats.minClass.classId) : null,
    emptyClasses: stats.emptyClasses.map(classOf),
    classes: stats.classes.map((c) => ({
      defectClass: classOf(c.classId),
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
  args: DatasetBalanceArgs,
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
    async balance(_, args, ctx) {
      return balanceOfDataset(ctx, await datasetOf(ctx, args.datasetId), args);
    },
    async fillPlan(_, args, ctx) {
      const dataset = await datasetOf(ctx, args.datasetId);
      const shots = args.shots ?? 3;
      const { plan, classes } = await datasetFillPlan(ctx, dataset, args.strategy, shots);
      const classOf = classesById(classes);
      return {
        strategy: args.strategy.kind,
        shots,
        level: plan.level,
        syntheticPolicy: POLICY_ENUM[syntheticPolicy(dataset)],
        syntheticShareCap: dataset.syntheticShareCap,
        classes: plan.classes.map((f) => ({
          defectClass: classOf(f.classId),
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
} satisfies Resolvers;
