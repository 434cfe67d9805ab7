import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { balanceStatistics, planFill, SPLITS } from "./index.ts";
import type { BalanceStatistics, ClassInfo, CounterRow, FillPlan, FillStrategy } from "./index.ts";

const trainReal = (classId: string, images: number): CounterRow => ({
  classId,
  split: "TRAIN",
  origin: "REAL",
  reviewState: "NONE",
  images,
  boxes: images,
});
const synthetic = (
  classId: string,
  reviewState: CounterRow["reviewState"],
  images: number,
): CounterRow => ({
  classId,
  split: "TRAIN",
  origin: "SYNTHETIC",
  reviewState,
  images,
  boxes: images,
});

/** Statistics for classes named by their real TRAIN image counts, e.g. {a: 400, b: 100}. */
function statsOf(realTrain: Record<string, number>, extra: CounterRow[] = []): BalanceStatistics {
  const classes: ClassInfo[] = Object.keys(realTrain).map((id) => ({ id, name: id.toUpperCase() }));
  const rows = Object.entries(realTrain).map(([id, n]) => trainReal(id, n));
  return balanceStatistics(classes, [...rows, ...extra], { countSynthetic: "accepted" });
}

const toGenerate = (plan: FillPlan) =>
  Object.fromEntries(plan.classes.map((c) => [c.classId, c.toGenerate]));

describe("planFill strategies", () => {
  const stats = statsOf({ insulator: 400, nest: 100, rust: 12 });

  it("to-max brings every class up to the largest", () => {
    const plan = planFill(stats, { kind: "TO_MAX" });
    assert.equal(plan.level, 400);
    assert.deepEqual(toGenerate(plan), { insulator: 0, nest: 300, rust: 388 });
    assert.deepEqual(plan.totals, { current: 512, toGenerate: 688, after: 1200 });
    assert.equal(plan.before.imbalanceRatio!.toFixed(2), "33.33");
    assert.equal(plan.projected.imbalanceRatio, 1);
    assert.equal(plan.projected.normalizedEntropy, 1);
  });

  it("to-median brings classes up to the median class", () => {
    assert.equal(planFill(stats, { kind: "TO_MEDIAN" }).level, 100);
    // Even number of classes: mean of the middle two, rounded up: (12 + 100) / 2 = 56; (5 + 8) / 2 = 6.5 → 7
    assert.equal(
      planFill(statsOf({ a: 12, b: 100, c: 3, d: 400 }), { kind: "TO_MEDIAN" }).level,
      56,
    );
    assert.deepEqual(
      toGenerate(planFill(statsOf({ a: 5, b: 8, c: 3, d: 20 }), { kind: "TO_MEDIAN" })),
      {
        a: 2,
        b: 0,
        c: 4,
        d: 0,
      },
    );
  });

  it("to-count brings every class up to n, never down", () => {
    const plan = planFill(stats, { kind: "TO_COUNT", count: 150 });
    assert.deepEqual(toGenerate(plan), { insulator: 0, nest: 50, rust: 138 });
    assert.deepEqual(
      plan.classes.map((c) => c.target),
      [400, 150, 150],
    );
    // A fractional count is rounded up to whole images.
    assert.equal(planFill(stats, { kind: "TO_COUNT", count: 149.2 }).level, 150);
  });

  it("to-ratio brings each class up to ceil(max / r)", () => {
    // 400 / 3 = 133.33 → 134
    const plan = planFill(stats, { kind: "TO_RATIO", maxRatio: 3 });
    assert.equal(plan.level, 134);
    assert.deepEqual(toGenerate(plan), { insulator: 0, nest: 34, rust: 122 });
    assert.ok(plan.projected.imbalanceRatio! <= 3); // 400 / 134 = 2.985
    // Exact quotients are not pushed up by floating-point noise: 99 / 3 = 33.
    assert.equal(planFill(statsOf({ a: 99, b: 3 }), { kind: "TO_RATIO", maxRatio: 3 }).level, 33);
    // r = 1 is the same as to-max.
    assert.equal(planFill(stats, { kind: "TO_RATIO", maxRatio: 1 }).level, 400);
  });

  it("rejects invalid strategy parameters and options", () => {
    assert.throws(() => planFill(stats, { kind: "TO_RATIO", maxRatio: 0.5 }), RangeError);
    assert.throws(() => planFill(stats, { kind: "TO_RATIO", maxRatio: Number.NaN }), RangeError);
    assert.throws(() => planFill(stats, { kind: "TO_COUNT", count: -1 }), RangeError);
    assert.throws(() => planFill(stats, { kind: "TO_MAX" }, { shots: -1 }), RangeError);
    assert.throws(() => planFill(stats, { kind: "TO_MAX" }, { maxPerClass: 2.5 }), RangeError);
    assert.throws(
      () => planFill(stats, { kind: "TO_MAX" }, { syntheticShareCap: 1.5 }),
      RangeError,
    );
  });
});

describe("planFill basis and limits", () => {
  it("counts real TRAIN plus accepted synthetic images by default, not pending nor other splits", () => {
    const classes: ClassInfo[] = [
      { id: "a", name: "A" },
      { id: "b", name: "B" },
    ];
    const rows: CounterRow[] = [
      trainReal("a", 100),
      { classId: "a", split: "VAL", origin: "REAL", reviewState: "NONE", images: 500, boxes: 500 },
      trainReal("b", 10),
      synthetic("b", "ACCEPTED", 30),
      synthetic("b", "PENDING", 40),
    ];
    const stats = balanceStatistics(classes, rows, { countSynthetic: "accepted", unit: "boxes" });
    const plan = planFill(stats, { kind: "TO_MAX" });
    assert.deepEqual(
      plan.classes.map((c) => [c.realTrainImages, c.syntheticImages, c.current, c.toGenerate]),
      [
        [100, 0, 100, 0],
        [10, 30, 40, 60],
      ],
    );
    // Counting pending images as present: b already has 80.
    assert.equal(
      planFill(stats, { kind: "TO_MAX" }, { countSynthetic: "accepted-and-pending" }).classes[1]!
        .toGenerate,
      20,
    );
  });

  it("blocks classes with fewer than K real TRAIN images", () => {
    const stats = statsOf({ a: 50, b: 2, c: 3, d: 0 });
    const plan = planFill(stats, { kind: "TO_MAX" });
    const b = plan.classes[1]!;
    assert.deepEqual(
      [b.toGenerate, b.target, b.after, b.blockedReason],
      [0, 50, 2, "fewer than 3 real train images"],
    );
    assert.equal(plan.classes[2]!.blockedReason, null); // exactly K is enough
    assert.equal(plan.classes[2]!.toGenerate, 47);
    assert.deepEqual(plan.blockedClasses, ["b", "d"]);
    // An empty class stays empty, so the projected ratio is still undefined.
    assert.equal(plan.projected.imbalanceRatio, null);

    const oneShot = planFill(stats, { kind: "TO_MAX" }, { shots: 1 });
    assert.deepEqual(oneShot.blockedClasses, ["d"]);
    assert.equal(oneShot.classes[3]!.blockedReason, "fewer than 1 real train images");
  });

  it("does not mark a class blocked when it needs nothing", () => {
    const plan = planFill(statsOf({ a: 2, b: 1 }), { kind: "TO_MAX" });
    assert.equal(plan.classes[0]!.blockedReason, null);
    assert.deepEqual(plan.blockedClasses, ["b"]);
    assert.equal(plan.totals.toGenerate, 0);
  });

  it("caps the images generated per class", () => {
    const plan = planFill(
      statsOf({ a: 400, b: 100, c: 390 }),
      { kind: "TO_MAX" },
      { maxPerClass: 50 },
    );
    assert.deepEqual(
      plan.classes.map((c) => [c.toGenerate, c.limitedBy]),
      [
        [0, null],
        [50, "maxPerClass"],
        [10, null],
      ],
    );
  });

  it("keeps synthetic images within the share cap after the fill", () => {
    // b: 40 real + 10 accepted synthetic; cap ½ → at most 40 synthetic → 30 more (not the 350 wanted).
    // c: 7 real, cap 0.3 → at most floor(0.3·7 / 0.7) = 3 synthetic: 3 / 10 = 0.3.
    const stats = statsOf({ a: 400, b: 40, c: 7 }, [synthetic("b", "ACCEPTED", 10)]);
    const half = planFill(stats, { kind: "TO_MAX" }, { syntheticShareCap: 0.5 });
    assert.deepEqual(
      half.classes.map((c) => [c.toGenerate, c.after, c.limitedBy]),
      [
        [0, 400, null],
        [30, 80, "syntheticShareCap"],
        [7, 14, "syntheticShareCap"],
      ],
    );
    const b = half.classes[1]!;
    assert.ok((b.syntheticImages + b.toGenerate) / b.after <= 0.5);

    const tight = planFill(stats, { kind: "TO_MAX" }, { syntheticShareCap: 0.3 });
    assert.equal(tight.classes[2]!.toGenerate, 3);
    // Already over the cap: b holds 10 / 50 = 0.2 synthetic, a cap of 0.1 allows nothing more.
    assert.equal(
      planFill(stats, { kind: "TO_MAX" }, { syntheticShareCap: 0.1 }).classes[1]!.toGenerate,
      0,
    );
    // A cap of 1 does not limit.
    assert.equal(
      planFill(stats, { kind: "TO_MAX" }, { syntheticShareCap: 1 }).classes[2]!.toGenerate,
      393,
    );
  });

  it("reports the tighter of the two caps", () => {
    const stats = statsOf({ a: 400, b: 40 });
    const plan = planFill(stats, { kind: "TO_MAX" }, { maxPerClass: 100, syntheticShareCap: 0.5 });
    assert.deepEqual(
      [plan.classes[1]!.toGenerate, plan.classes[1]!.limitedBy],
      [40, "syntheticShareCap"],
    );
    const plan2 = planFill(stats, { kind: "TO_MAX" }, { maxPerClass: 20, syntheticShareCap: 0.5 });
    assert.deepEqual(
      [plan2.classes[1]!.toGenerate, plan2.classes[1]!.limitedBy],
      [20, "maxPerClass"],
    );
  });

  it("plans nothing for an empty dataset or a single class", () => {
    const empty = planFill(balanceStatistics([], [], { countSynthetic: "accepted" }), {
      kind: "TO_MAX",
    });
    assert.deepEqual([empty.level, empty.classes, empty.totals.toGenerate], [0, [], 0]);
    assert.equal(empty.projected.normalizedEntropy, null);

    const single = planFill(statsOf({ a: 5 }), { kind: "TO_COUNT", count: 8 });
    assert.deepEqual(toGenerate(single), { a: 3 });
    assert.equal(single.projected.normalizedEntropy, 1);
  });

  it("needs statistics that include TRAIN", () => {
    const stats = balanceStatistics([{ id: "a", name: "A" }], [], {
      countSynthetic: "accepted",
      splits: ["VAL"],
    });
    assert.throws(() => planFill(stats, { kind: "TO_MAX" }), RangeError);
  });
});

/** Small seeded PRNG so the property runs are reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("planFill properties over random counters", () => {
  const origins: Array<Pick<CounterRow, "origin" | "reviewState">> = [
    { origin: "REAL", reviewState: "NONE" },
    { origin: "SYNTHETIC", reviewState: "PENDING" },
    { origin: "SYNTHETIC", reviewState: "ACCEPTED" },
    { origin: "SYNTHETIC", reviewState: "REJECTED" },
  ];

  it("never plans negative amounts, and to-max levels every fillable class (200 seeded runs)", () => {
    const random = mulberry32(20240611);
    const int = (max: number) => Math.floor(random() * (max + 1));

    for (let run = 0; run < 200; run++) {
      const classes: ClassInfo[] = Array.from({ length: 1 + int(7) }, (_, i) => ({
        id: `c${i}`,
        name: `C${i}`,
      }));
      const rows: CounterRow[] = [];
      for (const c of classes) {
        for (const split of SPLITS) {
          for (const o of origins) {
            if (random() < 0.6) {
              // Heavy-tailed counts: many tiny classes, a few large ones.
              const images = Math.floor(random() ** 3 * 500);
              rows.push({ classId: c.id, split, ...o, images, boxes: images * (1 + int(3)) });
            }
          }
        }
      }
      const stats = balanceStatistics(classes, rows, { countSynthetic: "accepted" });
      const strategies: FillStrategy[] = [
        { kind: "TO_MAX" },
        { kind: "TO_MEDIAN" },
        { kind: "TO_COUNT", count: int(300) },
        { kind: "TO_RATIO", maxRatio: 1 + random() * 10 },
      ];
      const options = {
        shots: int(5),
        maxPerClass: random() < 0.3 ? int(100) : undefined,
        syntheticShareCap: random() < 0.3 ? random() : undefined,
      };

      for (const strategy of strategies) {
        for (const c of planFill(stats, strategy, options).classes) {
          const where = `run ${run}, ${strategy.kind}, ${c.classId}`;
          assert.ok(Number.isInteger(c.toGenerate) && c.toGenerate >= 0, where);
          assert.ok(c.target >= c.current && c.toGenerate <= c.target - c.current, where);
          assert.equal(c.after, c.current + c.toGenerate, where);
        }
      }

      // Without caps, every class that is not blocked ends at the largest class's count.
      const plan = planFill(stats, { kind: "TO_MAX" });
      const afters = plan.classes.filter((c) => c.blockedReason === null).map((c) => c.after);
      if (afters.length > 0 && Math.max(...afters) > 0) {
        assert.equal(Math.max(...afters) / Math.min(...afters), 1, `run ${run}`);
      }

      // With no K-shot requirement, to-ratio always reaches its bound.
      const ratioPlan = planFill(stats, { kind: "TO_RATIO", maxRatio: 2.5 }, { shots: 0 });
      const counts = ratioPlan.classes.map((c) => c.after);
      if (Math.max(0, ...counts) > 0)
        assert.ok(Math.max(...counts) / Math.min(...counts) <= 2.5, `run ${run}`);
    }
  });
});
