import { test } from "node:test";
import assert from "node:assert/strict";
import { CLASS_SCORE_FLOOR, selectBest, selectionScore } from "./selection.ts";

test("the selection score adds realism and the log class score, floored; realism alone without one", () => {
  assert.equal(selectionScore(1.5, 1), 1.5);
  assert.equal(selectionScore(0.25, 0.5), 0.25 + Math.log(0.5));
  assert.equal(selectionScore(2, 0), 2 + Math.log(CLASS_SCORE_FLOOR));
  assert.equal(selectionScore(-0.75, null), -0.75);
});

test("the highest score is kept, ties go to the lowest candidate, NaN never wins", () => {
  assert.deepEqual(selectBest([0.1, 0.7, -2, 0.7]), {
    candidate: 1,
    of: 4,
    score: 0.7,
    scores: [0.1, 0.7, -2, 0.7],
  });
  assert.equal(selectBest([3]).candidate, 0);
  assert.equal(selectBest([NaN, -5]).candidate, 1);
  assert.equal(selectBest([-5, NaN]).candidate, 0);
  assert.throws(() => selectBest([]), /at least one candidate/);
});
