import { test } from "node:test";
import assert from "node:assert/strict";
import { describeSelection, readSelection } from "./selection";

test("a best-of lineage reads as the kept candidate, of how many, with its score", () => {
  const selection = readSelection({
    candidate: 2,
    of: 4,
    score: 0.8312,
    scores: [0.1, 0.2, 0.8312, -1],
  });
  assert.deepEqual(selection, {
    candidate: 2,
    of: 4,
    score: 0.8312,
    scores: [0.1, 0.2, 0.8312, -1],
  });
  assert.equal(describeSelection(selection!), "best of 4 (candidate 2, score 0.83)");
  assert.equal(
    describeSelection({ candidate: 0, of: 2, score: -1.5, scores: [-1.5, -2] }),
    "best of 2 (candidate 0, score -1.50)",
  );
});

test("a lineage without selection, or with a malformed one, shows none", () => {
  assert.equal(readSelection(null), null);
  assert.equal(readSelection(undefined), null);
  assert.equal(readSelection("best of 4"), null);
  assert.equal(readSelection({ of: 4 }), null);
});
