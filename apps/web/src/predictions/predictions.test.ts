import { test } from "node:test";
import assert from "node:assert/strict";
import {
  curvePath,
  deltaTone,
  formatDelta,
  heatColor,
  largestChange,
  rowShare,
} from "./evaluationChart";
import { actionOfKey, actionsFor, indexAfterDecision, step } from "./labelErrorQueue";

test("the PR curve runs from the top left as recall grows", () => {
  const path = curvePath(
    [
      { recall: 0, precision: 1, score: 0.9 },
      { recall: 1, precision: 0.5, score: 0.1 },
    ],
    { width: 120, height: 120, padding: 10 },
  );
  assert.equal(path, "M10.0,10.0 L110.0,60.0");
});

test("confusion heat is a share of the row, green on the diagonal", () => {
  const matrix = [
    [3, 1],
    [0, 0],
  ];
  assert.equal(rowShare(matrix, 0, 0), 0.75);
  assert.equal(rowShare(matrix, 1, 0), 0);
  assert.equal(heatColor(0.75, true), "rgba(34, 139, 84, 0.75)");
  assert.equal(heatColor(2, false), "rgba(200, 60, 50, 1.00)");
});

test("AP changes read as better, worse or the same, and the largest is found", () => {
  assert.equal(deltaTone(0.1), "better");
  assert.equal(deltaTone(-0.02), "worse");
  assert.equal(deltaTone(0.001), "same");
  assert.equal(deltaTone(null), "same");
  assert.equal(formatDelta(-0.25), "−0.250");
  const rows = [
    { name: "a", ap50Delta: 0.01 },
    { name: "b", ap50Delta: -0.3 },
    { name: "c", ap50Delta: null },
  ];
  assert.equal(largestChange(rows)?.name, "b");
});

test("queue keys act only where the candidate's kind allows it", () => {
  assert.equal(actionOfKey("a", "MISSING_LABEL"), "ACCEPT");
  assert.equal(actionOfKey("d", "MISSING_LABEL"), null, "a missing box has nothing to delete");
  assert.equal(actionOfKey("D", "SPURIOUS_LABEL"), "DELETE");
  assert.equal(actionOfKey("ArrowRight", undefined), "NEXT");
  assert.deepEqual(actionsFor("CLASS_CONFUSION"), ["ACCEPT", "CONFIRM", "DELETE", "DISMISS"]);
});

test("after a decision the cursor stays in place, or steps back at the end", () => {
  assert.equal(indexAfterDecision(0, 3), 0);
  assert.equal(indexAfterDecision(2, 3), 1);
  assert.equal(indexAfterDecision(0, 1), 0);
  assert.equal(step(0, 3, -1), 0);
  assert.equal(step(1, 3, 1), 2);
});
