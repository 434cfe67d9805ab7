import assert from "node:assert/strict";
import { test } from "node:test";
import { labelErrorCandidates, rankCandidates } from "./label-errors.ts";

const box = (x: number, y: number) => ({ x, y, width: 20, height: 20 });

test("a confident prediction on no box is a possible missing label; a weak one is not", () => {
  const found = labelErrorCandidates({
    imageId: "i",
    truths: [{ id: "a1", ...box(0, 0), classIndex: 0 }],
    predictions: [
      { id: "p1", ...box(0, 0), classIndex: 0, score: 0.9 },
      { id: "p2", ...box(100, 100), classIndex: 1, score: 0.8 },
      { id: "p3", ...box(200, 200), classIndex: 1, score: 0.2 },
    ],
  });
  assert.deepEqual(
    found.map((c) => c.key),
    ["MISSING_LABEL:p2"],
  );
  assert.equal(found[0]!.classIndex, 1);
});

test("a box no prediction of its class reaches, at any score, is a possible spurious label", () => {
  const found = labelErrorCandidates({
    imageId: "i",
    truths: [
      { id: "a1", ...box(0, 0), classIndex: 0 },
      { id: "a2", ...box(100, 0), classIndex: 0 },
    ],
    predictions: [{ id: "p1", ...box(0, 0), classIndex: 0, score: 0.01 }],
  });
  assert.deepEqual(
    found.map((c) => c.key),
    ["SPURIOUS_LABEL:a2"],
  );
});

test("a confident other-class prediction on a box is a class confusion", () => {
  const found = labelErrorCandidates({
    imageId: "i",
    truths: [{ id: "a1", ...box(0, 0), classIndex: 0 }],
    predictions: [
      { id: "p1", ...box(1, 0), classIndex: 1, score: 0.9 },
      { id: "p2", ...box(0, 0), classIndex: 0, score: 0.3 },
    ],
  });
  assert.deepEqual(
    rankCandidates(found).map((c) => c.key),
    ["CLASS_CONFUSION:a1:p1"],
  );
  assert.equal(found[0]!.predictedClassIndex, 1);
});
