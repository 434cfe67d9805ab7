import { test } from "node:test";
import assert from "node:assert/strict";
import { formatAp, utilityEvidence } from "./utilityEvidence";

const card = (model: unknown, copyPaste: unknown) => ({
  trainingStep: 541,
  detectorUtility: {
    rareClass: "bird_nest",
    rareTrainBoxes: 10,
    rareAp50: { real: { mean: 0.2, std: 0.02, runs: 3 }, "copy-paste": copyPaste, model },
  },
});

test("no utility measurement on the card: nothing to show", () => {
  assert.equal(utilityEvidence(null), null);
  assert.equal(utilityEvidence({ trainingStep: 541 }), null);
  assert.equal(utilityEvidence({ detectorUtility: { rareAp50: {} } }), null);
  assert.equal(
    utilityEvidence({ detectorUtility: { rareAp50: { model: { mean: "high" } } } }),
    null,
  );
});

test("a model that beats copy-paste beyond twice the spread is suggested", () => {
  const e = utilityEvidence(
    card({ mean: 0.6, std: 0.02, runs: 3 }, { mean: 0.5, std: 0.03, runs: 3 }),
  )!;
  assert.equal(e.better, "MODEL");
  assert.equal(e.suggested, "MODEL");
  assert.equal(e.rareClass, "bird_nest");
  assert.deepEqual(e.realOnly, { mean: 0.2, std: 0.02, runs: 3 });
});

test("within the spread nobody wins, and copy-paste stays the suggestion", () => {
  const e = utilityEvidence(
    card({ mean: 0.55, std: 0.03, runs: 3 }, { mean: 0.5, std: 0.03, runs: 3 }),
  )!;
  assert.equal(e.better, "UNDECIDED");
  assert.equal(e.suggested, "COPY_PASTE");
});

test("a model worse than copy-paste says so", () => {
  const e = utilityEvidence(card({ mean: 0.1, std: 0, runs: 1 }, { mean: 0.5, std: 0, runs: 1 }))!;
  assert.equal(e.better, "COPY_PASTE");
  assert.equal(e.suggested, "COPY_PASTE");
});

test("without a copy-paste measurement the model stays the default", () => {
  const e = utilityEvidence(card({ mean: 0.3, std: 0.01, runs: 3 }, undefined))!;
  assert.equal(e.copyPaste, null);
  assert.equal(e.better, "UNDECIDED");
  assert.equal(e.suggested, "MODEL");
});

test("AP is printed with its spread when there is one", () => {
  assert.equal(formatAp({ mean: 0.41234, std: 0.0311, runs: 3 }), "0.412 ± 0.031 (3 runs)");
  assert.equal(formatAp({ mean: 0.4, std: 0, runs: 1 }), "0.400 (1 run)");
});
