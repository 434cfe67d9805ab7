import { test } from "node:test";
import assert from "node:assert/strict";
import { countedLine, policySummary } from "./policies";

test("the overview's summary names both balance settings", () => {
  assert.equal(
    policySummary({ countPendingSynthetic: false, countUnreviewedPredicted: true }),
    "only accepted synthetic images count · unreviewed pre-labels count",
  );
  assert.equal(
    policySummary({ countPendingSynthetic: true, countUnreviewedPredicted: false }),
    "pending synthetic images count · only reviewed pre-labels count",
  );
});

test("the line under the chart says when unreviewed pre-labels are left out", () => {
  assert.equal(
    countedLine({ syntheticPolicy: "ACCEPTED", countUnreviewedPredicted: true, unit: "IMAGES" }),
    "Counted: real images and accepted synthetic ones; an image showing two classes counts for both.",
  );
  assert.equal(
    countedLine({ syntheticPolicy: "NONE", countUnreviewedPredicted: false, unit: "BOXES" }),
    "Counted: real images, without unreviewed pre-labels.",
  );
});
