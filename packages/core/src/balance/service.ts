// Balance statistics and fill plans, read from ClassCounter only (never images or annotations).
import type { Dataset, DefectClass, PrismaClient } from "@gridfill/db";
import {
  balanceStatistics,
  planFill,
  type BalanceStatistics,
  type CountUnit,
  type FillPlan,
  type FillStrategy,
  type Split,
  type SyntheticPolicy,
} from "@gridfill/balance";
import { badInput } from "../errors.ts";
import { selectClassesOfDataset, sqlOf, type Db } from "../db.ts";
import type { CounterRowValue } from "./counters.ts";

function selectCounters(db: Db | PrismaClient, datasetId: string): Promise<CounterRowValue[]> {
  return sqlOf(db)<CounterRowValue>(
    `SELECT "classId"::text AS "classId", split::text AS split, origin::text AS origin, "reviewState"::text AS "reviewState", images, boxes,
            "unreviewedPredictedImages", "unreviewedPredictedBoxes"
     FROM "ClassCounter" WHERE "datasetId" = $1::uuid AND (images <> 0 OR boxes <> 0)`,
    [datasetId],
  );
}

/** Rejected synthetic images never count; pending ones only when the dataset says so. */
export function syntheticPolicy(dataset: Pick<Dataset, "countPendingSynthetic">): SyntheticPolicy {
  return dataset.countPendingSynthetic ? "accepted-and-pending" : "accepted";
}

export interface DatasetBalance {
  stats: BalanceStatistics;
  /** The dataset's defect classes: every class but the host objects. */
  classes: DefectClass[];
}

/**
 * Reads the classes and the counters (two indexed queries, run side by side) and computes. Host
 * objects (insulators, towers) are what defects sit on, not defects: the balance is the defect
 * classes', so their classes and counter rows are left out (neither a class of the balance nor
 * the level a fill plan fills others up to).
 */
export async function datasetBalance(
  db: Db | PrismaClient,
  dataset: Dataset,
  options: { unit?: CountUnit; splits?: readonly Split[] | null } = {},
): Promise<DatasetBalance> {
  const [all, counters] = await Promise.all([
    selectClassesOfDataset(db, dataset.id),
    selectCounters(db, dataset.id),
  ]);
  const hostObjects = new Set(all.filter((c) => c.isHostObject).map((c) => c.id));
  const classes = all.filter((c) => !hostObjects.has(c.id));
  const stats = balanceStatistics(
    classes,
    counters.filter((r) => !hostObjects.has(r.classId)),
    {
      countSynthetic: syntheticPolicy(dataset),
      // Read from the counters' own columns: switching the setting recounts nothing.
      countUnreviewedPredicted: dataset.countUnreviewedPredicted,
      unit: options.unit ?? "images",
      ...(options.splits && options.splits.length ? { splits: options.splits } : {}),
    },
  );
  return { stats, classes };
}

export type FillStrategyInput =
  | { kind: "TO_MAX" | "TO_MEDIAN"; count?: number | null; maxRatio?: number | null }
  | { kind: "TO_COUNT" | "TO_RATIO"; count?: number | null; maxRatio?: number | null };

/** Checks a strategy from the API (one spelling throughout: the GraphQL enum's). */
export function toFillStrategy(input: FillStrategyInput): FillStrategy {
  switch (input.kind) {
    case "TO_MAX":
      return { kind: "TO_MAX" };
    case "TO_MEDIAN":
      return { kind: "TO_MEDIAN" };
    case "TO_COUNT":
      if (
        input.count == null ||
        !Number.isInteger(input.count) ||
        input.count < 0 ||
        input.count > 1_000_000
      ) {
        throw badInput("TO_COUNT needs count, a whole number between 0 and 1,000,000");
      }
      return { kind: "TO_COUNT", count: input.count };
    case "TO_RATIO":
      if (input.maxRatio == null || !Number.isFinite(input.maxRatio) || input.maxRatio < 1) {
        throw badInput("TO_RATIO needs maxRatio ≥ 1");
      }
      return { kind: "TO_RATIO", maxRatio: input.maxRatio };
  }
}

export async function datasetFillPlan(
  db: Db | PrismaClient,
  dataset: Dataset,
  strategy: FillStrategyInput,
  shots: number,
): Promise<{ plan: FillPlan; classes: DefectClass[] }> {
  if (!Number.isInteger(shots) || shots < 1 || shots > 64)
    throw badInput("shots must be a whole number between 1 and 64");
  const fill = toFillStrategy(strategy);
  // The balance has the defect classes only: host objects are neither filled nor a level to fill to.
  const { stats, classes } = await datasetBalance(db, dataset, { unit: "images" });
  const plan = planFill(stats, fill, {
    shots,
    syntheticShareCap: dataset.syntheticShareCap,
    countSynthetic: syntheticPolicy(dataset),
  });
  return { plan, classes };
}
