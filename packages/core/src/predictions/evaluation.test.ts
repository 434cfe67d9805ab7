import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import {
  evaluateDetections,
  type EvaluationImage,
  type PredictedBox,
  type TruthBox,
} from "./evaluation.ts";

const PYTHON = "/usr/bin/python3";
const REFERENCE = fileURLToPath(new URL("./coco_reference.py", import.meta.url));

/** mulberry32: a small seeded PRNG, so the fixture is the same on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Scenes a detector could have produced: jittered hits, missed truths, duplicates, class swaps,
 * background false positives, crowd regions on class 2, class 3 never labelled, and scores
 * rounded to 0.05 so that ties occur (their order is part of COCO's definition).
 */
function fixture(seed: number, imageCount: number): EvaluationImage[] {
  const rand = prng(seed);
  const images: EvaluationImage[] = [];
  for (let i = 0; i < imageCount; i++) {
    const truths: TruthBox[] = [];
    const predictions: PredictedBox[] = [];
    const n = Math.floor(rand() * 6);
    for (let k = 0; k < n; k++) {
      const classIndex = Math.floor(rand() * 3);
      const box = {
        x: rand() * 500,
        y: rand() * 400,
        width: 8 + rand() * 120,
        height: 8 + rand() * 120,
      };
      truths.push({ ...box, classIndex, crowd: classIndex === 2 && rand() < 0.15 });
      const r = rand();
      if (r < 0.15) continue; // missed
      const jitter = (v: number, s: number) => v + (rand() - 0.5) * s;
      const predicted = {
        x: jitter(box.x, box.width * 0.5),
        y: jitter(box.y, box.height * 0.5),
        width: jitter(box.width, box.width * 0.4),
        height: jitter(box.height, box.height * 0.4),
        classIndex: r < 0.25 ? (classIndex + 1) % 4 : classIndex,
        score: Math.round(rand() * 20) / 20,
      };
      predictions.push(predicted);
      if (rand() < 0.2) predictions.push({ ...predicted, x: predicted.x + 3, score: rand() });
    }
    const extra = Math.floor(rand() * 3);
    for (let k = 0; k < extra; k++) {
      predictions.push({
        x: rand() * 500,
        y: rand() * 400,
        width: 8 + rand() * 100,
        height: 8 + rand() * 100,
        classIndex: Math.floor(rand() * 4),
        score: rand() * 0.6,
      });
    }
    images.push({ imageId: `img-${i}`, truths, predictions });
  }
  return images;
}

interface ReferenceClass {
  ap50: number | null;
  ap75: number | null;
  ap: number | null;
  apAtIou?: number;
  tp: number;
  fp: number;
  fn: number;
}

function reference(images: EvaluationImage[], classCount: number, iou: number, confidence: number) {
  const run = spawnSync(PYTHON, [REFERENCE], {
    input: JSON.stringify({ classCount, iou, confidence, images }),
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as ReferenceClass[];
}

const close = (actual: number | null, expected: number | null | undefined, what: string) => {
  if (expected === null || expected === undefined) return assert.equal(actual, null, what);
  assert.ok(actual !== null, `${what}: null, expected ${expected}`);
  assert.ok(Math.abs(actual - expected) <= 1e-4, `${what}: ${actual} vs ${expected}`);
};

const hasNumpy = existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import numpy"]).status === 0;

for (const [seed, iou, confidence] of [
  [1, 0.5, 0.5],
  [7, 0.65, 0.3],
  [42, 0.5, 0.0],
] as const) {
  test(
    `AP, AP50, AP75 and counts agree with the Python COCO reference to 1e-4 (seed ${seed})`,
    { skip: hasNumpy ? false : "needs /usr/bin/python3 with numpy" },
    () => {
      const images = fixture(seed, 150);
      const ours = evaluateDetections(images, { classCount: 4, iou, confidence });
      const theirs = reference(images, 4, iou, confidence);
      let compared = 0;
      ours.classes.forEach((c, i) => {
        const r = theirs[i]!;
        close(c.ap50, r.ap50, `class ${i} AP50`);
        close(c.ap75, r.ap75, `class ${i} AP75`);
        close(c.ap, r.ap, `class ${i} AP50:95`);
        if (r.apAtIou !== undefined) close(c.apAtIou, r.apAtIou, `class ${i} AP@${iou}`);
        assert.deepEqual(
          [c.truePositives, c.falsePositives, c.falseNegatives],
          [r.tp, r.fp, r.fn],
          `class ${i} counts`,
        );
        if (r.ap !== null) compared += 1;
      });
      assert.equal(compared, 3, "three classes have truths, the fourth none");
      assert.ok(ours.classes[0]!.ap! > 0.05 && ours.classes[0]!.ap! < 0.95, "a non-trivial AP");
    },
  );
}

test("a perfect detector scores 1 everywhere; a miss halves recall", () => {
  const truth = { x: 10, y: 10, width: 50, height: 40, classIndex: 0 };
  const images: EvaluationImage[] = [
    { imageId: "a", truths: [truth], predictions: [{ ...truth, score: 0.9 }] },
    { imageId: "b", truths: [truth], predictions: [] },
  ];
  const result = evaluateDetections(images, { classCount: 1 });
  const c = result.classes[0]!;
  assert.equal(c.recall, 0.5);
  assert.equal(c.precision, 1);
  assert.ok(Math.abs(c.f1 - 2 / 3) < 1e-12);
  // Precision 1 up to recall .5 (51 of 101 recall points), then 0.
  assert.ok(Math.abs(c.ap50! - 51 / 101) < 1e-12);
  assert.equal(c.curve.length, 101);
  assert.equal(c.curve[50]!.score, 0.9);
  assert.equal(c.curve[51]!.score, null);
});

test("the confusion matrix counts swaps, misses and background predictions", () => {
  const box = { x: 0, y: 0, width: 10, height: 10 };
  const far = { x: 100, y: 100, width: 10, height: 10 };
  const images: EvaluationImage[] = [
    {
      imageId: "a",
      truths: [
        { ...box, classIndex: 0 },
        { ...far, classIndex: 1 },
      ],
      predictions: [
        { ...box, classIndex: 1, score: 0.8 }, // class 0 seen as class 1
        { ...far, x: 300, classIndex: 0, score: 0.9 }, // background seen as class 0
        { ...far, classIndex: 1, score: 0.2 }, // below confidence: class 1 missed
      ],
    },
  ];
  const { confusion } = evaluateDetections(images, { classCount: 2, confidence: 0.5 });
  assert.deepEqual(confusion, [
    [0, 1, 0],
    [0, 0, 1],
    [1, 0, 0],
  ]);
});

test("predictions on a crowd region are ignored, neither true nor false", () => {
  const crowd = { x: 0, y: 0, width: 100, height: 100, classIndex: 0, crowd: true };
  const images: EvaluationImage[] = [
    {
      imageId: "a",
      truths: [crowd, { x: 200, y: 0, width: 20, height: 20, classIndex: 0 }],
      predictions: [
        { x: 10, y: 10, width: 20, height: 20, classIndex: 0, score: 0.95 },
        { x: 200, y: 0, width: 20, height: 20, classIndex: 0, score: 0.6 },
      ],
    },
  ];
  const c = evaluateDetections(images, { classCount: 1 }).classes[0]!;
  assert.equal(c.truths, 1);
  assert.deepEqual([c.truePositives, c.falsePositives, c.falseNegatives], [1, 0, 0]);
  assert.ok(Math.abs(c.ap! - 1) < 1e-12);
});

test("bad options and out-of-range classes are refused", () => {
  assert.throws(() => evaluateDetections([], { classCount: 1, iou: 0 }), /iou/);
  assert.throws(() => evaluateDetections([], { classCount: 1, confidence: 2 }), /confidence/);
  assert.throws(
    () =>
      evaluateDetections(
        [
          {
            imageId: "a",
            truths: [],
            predictions: [{ ...{ x: 0, y: 0, width: 1, height: 1 }, classIndex: 3, score: 1 }],
          },
        ],
        { classCount: 2 },
      ),
    /class index 3/,
  );
});
