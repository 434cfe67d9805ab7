import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { balanceStatistics, rollUp, summarizeDistribution } from "./index.ts";
import type { ClassInfo, CounterRow } from "./index.ts";

const classes: ClassInfo[] = [
  { id: "insulator", name: "Insulator", color: "#f00" },
  { id: "nest", name: "Bird nest" },
  { id: "rust", name: "Rust" },
];

const real = (
  classId: string,
  split: CounterRow["split"],
  images: number,
  boxes = images,
): CounterRow => ({
  classId,
  split,
  origin: "REAL",
  reviewState: "NONE",
  images,
  boxes,
});
const synthetic = (
  classId: string,
  reviewState: CounterRow["reviewState"],
  images: number,
  boxes = images,
  split: CounterRow["split"] = "TRAIN",
): CounterRow => ({ classId, split, origin: "SYNTHETIC", reviewState, images, boxes });

describe("balanceStatistics", () => {
  it("computes shares, ratio and entropy by hand for 400 / 100 / 12 images", () => {
    const stats = balanceStatistics(
      classes,
      [
        real("insulator", "TRAIN", 300, 900),
        real("insulator", "VAL", 100, 250),
        real("nest", "TRAIN", 100),
        real("rust", "TEST", 12, 30),
      ],
      { countSynthetic: "accepted" },
    );

    // total = 400 + 100 + 12 = 512 image–class pairs
    assert.equal(stats.total, 512);
    // ratio = max / min = 400 / 12 = 33.33…
    assert.ok(Math.abs(stats.imbalanceRatio! - 400 / 12) < 1e-12);
    assert.equal(stats.imbalanceRatio!.toFixed(2), "33.33");
    // p = 0.78125, 0.1953125, 0.0234375
    // H = −Σ p·ln p = 0.192859 + 0.318975 + 0.087971 = 0.599806
    // H / ln 3 = 0.599806 / 1.098612 = 0.545967
    assert.ok(Math.abs(stats.normalizedEntropy! - 0.545967) < 1e-6);

    const [insulator, nest, rust] = stats.classes;
    assert.deepEqual(
      {
        images: insulator!.images,
        boxes: insulator!.boxes,
        share: insulator!.share,
        color: insulator!.color,
      },
      { images: 400, boxes: 1150, share: 400 / 512, color: "#f00" },
    );
    assert.deepEqual(insulator!.bySplit.TRAIN, { images: 300, boxes: 900 });
    assert.deepEqual(insulator!.bySplit.VAL, { images: 100, boxes: 250 });
    assert.deepEqual(insulator!.bySplit.TEST, { images: 0, boxes: 0 });
    assert.equal(nest!.share, 100 / 512);
    assert.deepEqual(rust!.bySplit.TEST, { images: 12, boxes: 30 });

    assert.deepEqual(stats.maxClass, { classId: "insulator", name: "Insulator", count: 400 });
    assert.deepEqual(stats.minClass, { classId: "rust", name: "Rust", count: 12 });
    assert.deepEqual(stats.emptyClasses, []);
  });

  it("counts boxes instead of images when asked", () => {
    const stats = balanceStatistics(
      classes,
      [
        real("insulator", "TRAIN", 10, 40),
        real("nest", "TRAIN", 10, 10),
        real("rust", "TRAIN", 5, 20),
      ],
      {
        countSynthetic: "accepted",
        unit: "boxes",
      },
    );
    assert.equal(stats.total, 70);
    assert.equal(stats.imbalanceRatio, 4); // 40 / 10
    assert.deepEqual(
      stats.classes.map((c) => c.count),
      [40, 10, 20],
    );
    assert.equal(stats.minClass!.classId, "nest");
  });

  it("reports pending synthetic images but does not count them under the 'accepted' policy", () => {
    const rows = [
      real("insulator", "TRAIN", 50),
      synthetic("insulator", "ACCEPTED", 20),
      synthetic("insulator", "PENDING", 7),
      synthetic("insulator", "REJECTED", 100),
    ];
    const accepted = balanceStatistics(classes.slice(0, 1), rows, { countSynthetic: "accepted" });
    const [c] = accepted.classes;
    assert.equal(c!.images, 70); // 50 real + 20 accepted
    assert.deepEqual(c!.byOrigin, {
      real: { images: 50, boxes: 50 },
      syntheticAccepted: { images: 20, boxes: 20 },
      syntheticPending: { images: 7, boxes: 7 }, // reported, not counted
    });

    const withPending = balanceStatistics(classes.slice(0, 1), rows, {
      countSynthetic: "accepted-and-pending",
    });
    assert.equal(withPending.classes[0]!.images, 77);

    const realOnly = balanceStatistics(classes.slice(0, 1), rows, { countSynthetic: "none" });
    assert.equal(realOnly.classes[0]!.images, 50);
    assert.deepEqual(realOnly.classes[0]!.byOrigin.syntheticAccepted, { images: 20, boxes: 20 });
    // Rejected images are never counted nor reported.
    assert.equal(realOnly.classes[0]!.bySplitAndOrigin.TRAIN.syntheticAccepted.images, 20);
  });

  it("restricts everything to the selected splits", () => {
    const stats = balanceStatistics(
      classes.slice(0, 2),
      [
        real("insulator", "TRAIN", 30),
        real("insulator", "TEST", 70),
        real("nest", "TEST", 5),
        synthetic("nest", "ACCEPTED", 10),
      ],
      { countSynthetic: "accepted", splits: ["TRAIN"] },
    );
    assert.deepEqual(stats.options.splits, ["TRAIN"]);
    assert.deepEqual(
      stats.classes.map((c) => c.images),
      [30, 10],
    );
    assert.deepEqual(stats.classes[0]!.bySplit.TEST, { images: 0, boxes: 0 });
    assert.equal(stats.classes[1]!.byOrigin.real.images, 0);
  });

  it("sums duplicate rows and lists rows of unknown classes", () => {
    const stats = balanceStatistics(
      classes.slice(0, 1),
      [
        real("insulator", "TRAIN", 3),
        real("insulator", "TRAIN", 4),
        real("deleted-class", "TRAIN", 9),
      ],
      { countSynthetic: "accepted" },
    );
    assert.equal(stats.classes[0]!.images, 7);
    assert.deepEqual(stats.unknownClassIds, ["deleted-class"]);
  });

  it("gives a null ratio and lists empty classes, with the ratio over non-empty classes alongside", () => {
    const stats = balanceStatistics(
      classes,
      [real("insulator", "TRAIN", 40), real("nest", "TRAIN", 10)],
      {
        countSynthetic: "accepted",
      },
    );
    assert.equal(stats.imbalanceRatio, null);
    assert.equal(stats.imbalanceRatioNonEmpty, 4);
    assert.deepEqual(stats.emptyClasses, ["rust"]);
    assert.deepEqual(stats.minClass, { classId: "rust", name: "Rust", count: 0 });
    // The empty class still counts in C: p = 0.8, 0.2 → H = 0.500402, / ln 3 = 0.455486
    assert.ok(Math.abs(stats.normalizedEntropy! - 0.455486) < 1e-6);
  });

  it("handles an empty dataset", () => {
    const stats = balanceStatistics(classes, [], { countSynthetic: "accepted" });
    assert.equal(stats.total, 0);
    assert.equal(stats.imbalanceRatio, null);
    assert.equal(stats.imbalanceRatioNonEmpty, null);
    assert.equal(stats.normalizedEntropy, null);
    assert.deepEqual(stats.emptyClasses, ["insulator", "nest", "rust"]);
    assert.ok(stats.classes.every((c) => c.share === null));

    const none = balanceStatistics([], [], { countSynthetic: "accepted" });
    assert.deepEqual(
      [none.total, none.imbalanceRatio, none.normalizedEntropy, none.maxClass, none.minClass],
      [0, null, null, null, null],
    );
  });

  it("treats a single class as perfectly balanced", () => {
    const stats = balanceStatistics(classes.slice(0, 1), [real("insulator", "TRAIN", 9)], {
      countSynthetic: "accepted",
    });
    assert.equal(stats.imbalanceRatio, 1);
    assert.equal(stats.normalizedEntropy, 1);
    assert.equal(stats.classes[0]!.share, 1);
  });

  it("reads exactly 1 for equal classes", () => {
    const rows = classes.map((c) => real(c.id, "TRAIN", 7));
    const stats = balanceStatistics(classes, rows, { countSynthetic: "accepted" });
    assert.equal(stats.imbalanceRatio, 1);
    assert.equal(stats.normalizedEntropy, 1);
  });

  it("rejects negative or fractional counters and duplicate classes", () => {
    assert.throws(
      () => balanceStatistics(classes, [real("nest", "TRAIN", -1)], { countSynthetic: "accepted" }),
      RangeError,
    );
    assert.throws(
      () =>
        balanceStatistics(classes, [real("nest", "TRAIN", 1, 1.5)], { countSynthetic: "accepted" }),
      RangeError,
    );
    assert.throws(
      () => balanceStatistics([...classes, classes[0]!], [], { countSynthetic: "accepted" }),
      RangeError,
    );
    assert.throws(
      () =>
        balanceStatistics(
          classes,
          [{ ...real("nest", "TRAIN", 2, 3), unreviewedPredictedImages: 3 }],
          { countSynthetic: "accepted" },
        ),
      RangeError,
      "more unreviewed predicted images than images",
    );
  });

  it("counts unreviewed predicted boxes, or leaves them out with the images that have only them", () => {
    // nest: 5 real TRAIN images with 9 boxes, 4 of them unreviewed predicted boxes, which are all
    // the boxes of 2 images; 1 VAL image whose one box is one; a pending synthetic image with one.
    const rows: CounterRow[] = [
      { ...real("nest", "TRAIN", 5, 9), unreviewedPredictedImages: 2, unreviewedPredictedBoxes: 4 },
      { ...real("nest", "VAL", 1, 1), unreviewedPredictedImages: 1, unreviewedPredictedBoxes: 1 },
      {
        ...synthetic("nest", "PENDING", 1, 2),
        unreviewedPredictedImages: 0,
        unreviewedPredictedBoxes: 1,
      },
      real("rust", "TRAIN", 3),
    ];
    const counted = balanceStatistics(classes, rows, { countSynthetic: "accepted" });
    assert.equal(counted.options.countUnreviewedPredicted, true);
    const nest = counted.classes[1]!;
    assert.deepEqual([nest.images, nest.boxes], [6, 10]);
    assert.deepEqual(nest.unreviewedPredicted, { images: 3, boxes: 6 });

    const left = balanceStatistics(classes, rows, {
      countSynthetic: "accepted",
      countUnreviewedPredicted: false,
    });
    const without = left.classes[1]!;
    assert.deepEqual([without.images, without.boxes], [3, 5]);
    assert.deepEqual(without.bySplitAndOrigin.TRAIN.real, { images: 3, boxes: 5 });
    assert.deepEqual(without.bySplit.VAL, { images: 0, boxes: 0 });
    assert.deepEqual(without.byOrigin.syntheticPending, { images: 1, boxes: 1 });
    assert.deepEqual(without.unreviewedPredicted, { images: 3, boxes: 6 });
    assert.equal(left.total, 3 + 3);
    assert.deepEqual(left.classes[2]!.images, 3, "other classes are untouched");
    const [root] = rollUp(left).filter((n) => n.classId === "nest");
    assert.deepEqual(root!.unreviewedPredicted, { images: 3, boxes: 6 });
  });
});

describe("summarizeDistribution", () => {
  it("works on bare counts", () => {
    const s = summarizeDistribution([5, 5, 0]);
    assert.deepEqual(s.emptyIndexes, [2]);
    assert.equal(s.imbalanceRatio, null);
    assert.equal(s.imbalanceRatioNonEmpty, 1);
    // p = ½, ½, 0 → H = ln 2, / ln 3 = 0.630930
    assert.ok(Math.abs(s.normalizedEntropy! - Math.log(2) / Math.log(3)) < 1e-12);
  });
});

describe("rollUp", () => {
  const taxonomy: ClassInfo[] = [
    { id: "defect", name: "Defect" },
    { id: "insulator-crack", name: "Insulator crack", parentId: "defect" },
    { id: "rust", name: "Rust", parentId: "defect" },
    { id: "heavy-rust", name: "Heavy rust", parentId: "rust" },
    { id: "nest", name: "Bird nest" },
    { id: "orphan", name: "Orphan", parentId: "removed-parent" },
  ];

  it("aggregates descendants into their ancestors", () => {
    const stats = balanceStatistics(
      taxonomy,
      [
        real("defect", "TRAIN", 1),
        real("insulator-crack", "TRAIN", 10, 12),
        real("rust", "VAL", 5),
        real("heavy-rust", "TRAIN", 2),
        synthetic("heavy-rust", "PENDING", 3),
        real("nest", "TRAIN", 20),
        real("orphan", "TRAIN", 2),
      ],
      { countSynthetic: "accepted" },
    );
    const roots = rollUp(stats);
    assert.deepEqual(
      roots.map((r) => r.classId),
      ["defect", "nest", "orphan"],
    );

    const defect = roots[0]!;
    assert.equal(defect.images, 18); // 1 + 10 + 5 + 2
    assert.equal(defect.boxes, 20);
    assert.equal(defect.share, 18 / 40);
    assert.equal(defect.own.images, 1);
    assert.deepEqual(defect.bySplit.VAL, { images: 5, boxes: 5 });
    assert.equal(defect.byOrigin.syntheticPending.images, 3);

    const rust = defect.children[1]!;
    assert.deepEqual([rust.classId, rust.depth, rust.images], ["rust", 1, 7]);
    assert.deepEqual(
      rust.children.map((c) => [c.classId, c.depth]),
      [["heavy-rust", 2]],
    );
  });

  it("refuses a taxonomy with a cycle", () => {
    const cyclic: ClassInfo[] = [
      { id: "a", name: "A", parentId: "b" },
      { id: "b", name: "B", parentId: "a" },
    ];
    assert.throws(
      () => rollUp(balanceStatistics(cyclic, [], { countSynthetic: "accepted" })),
      RangeError,
    );
  });
});
