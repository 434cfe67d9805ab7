import { test } from "node:test";
import assert from "node:assert/strict";
import {
  EMPTY_BROWSE_QUERY,
  clearFilters,
  emptyErrorsTitle,
  isFiltered,
  parseBrowseQuery,
  serializeBrowseQuery,
  toImageFilter,
} from "./browseQuery";

test("a browse query survives the round trip through the URL", () => {
  const query = {
    classId: "cls_1",
    splits: ["TRAIN", "VAL"] as const,
    origin: "SYNTHETIC" as const,
    reviewState: "PENDING" as const,
    tags: ["night", "uav 3"],
    capturedFrom: "2024-05-01T00:00",
    capturedTo: "",
    runId: null,
    confidence: 0.5,
    errorKind: null,
    errorClassId: null,
  };
  const search = serializeBrowseQuery({ ...query, splits: [...query.splits] });
  assert.equal(
    search,
    "class=cls_1&split=TRAIN%2CVAL&origin=SYNTHETIC&review=PENDING&tag=night&tag=uav+3&from=2024-05-01T00%3A00",
  );
  assert.deepEqual(parseBrowseQuery(new URLSearchParams(search)), {
    ...query,
    splits: ["TRAIN", "VAL"],
  });
});

test("unknown values in a hand-edited URL are ignored", () => {
  const parsed = parseBrowseQuery(
    new URLSearchParams("split=train,bogus,TRAIN&origin=alien&review="),
  );
  assert.deepEqual(parsed, { ...EMPTY_BROWSE_QUERY, splits: ["TRAIN"] });
});

test("the GraphQL filter leaves out what is not filtered and sends instants", () => {
  assert.deepEqual(toImageFilter(EMPTY_BROWSE_QUERY), {});
  const filter = toImageFilter({
    ...EMPTY_BROWSE_QUERY,
    splits: ["TEST"],
    capturedFrom: "2024-05-01T08:30",
  });
  assert.deepEqual(filter.splits, ["TEST"]);
  assert.equal(filter.capturedAfter, new Date("2024-05-01T08:30").toISOString());
  assert.equal(filter.capturedBefore, undefined);
});

test("a prediction run, its confidence and its error filter survive the URL", () => {
  const query = {
    ...EMPTY_BROWSE_QUERY,
    runId: "run_1",
    confidence: 0.35,
    errorKind: "FALSE_NEGATIVE" as const,
    errorClassId: "cls_2",
  };
  const search = serializeBrowseQuery(query);
  assert.equal(search, "run=run_1&conf=0.35&errors=FALSE_NEGATIVE&errorClass=cls_2");
  assert.deepEqual(parseBrowseQuery(new URLSearchParams(search)), query);
  // The default confidence stays out of the URL; a bad one falls back to it.
  assert.equal(
    serializeBrowseQuery({ ...query, confidence: 0.5, errorKind: null }),
    "run=run_1&errorClass=cls_2",
  );
  assert.equal(parseBrowseQuery(new URLSearchParams("run=r&conf=7")).confidence, 0.5);
  // Without a run, error parameters mean nothing.
  assert.deepEqual(
    parseBrowseQuery(new URLSearchParams("errors=FALSE_POSITIVE&conf=0.2")),
    EMPTY_BROWSE_QUERY,
  );
});

test("the run filters only with an error kind", () => {
  const withRun = { ...EMPTY_BROWSE_QUERY, runId: "run_1", confidence: 0.4 };
  assert.deepEqual(toImageFilter(withRun), {});
  assert.equal(isFiltered(withRun), false);
  const errors = { ...withRun, errorKind: "FALSE_POSITIVE" as const };
  assert.deepEqual(toImageFilter(errors), {
    predictionError: { runId: "run_1", kind: "FALSE_POSITIVE", confidence: 0.4 },
  });
  assert.equal(isFiltered(errors), true);
  assert.deepEqual(toImageFilter({ ...errors, errorClassId: "cls_1" }).predictionError, {
    runId: "run_1",
    kind: "FALSE_POSITIVE",
    confidence: 0.4,
    classId: "cls_1",
  });
  assert.deepEqual(clearFilters({ ...errors, splits: ["TEST"] }), withRun);
});

test("an empty grid under the error filter says what was asked", () => {
  const query = {
    ...EMPTY_BROWSE_QUERY,
    runId: "run_1",
    errorKind: "FALSE_NEGATIVE" as const,
  };
  assert.equal(
    emptyErrorsTitle(query, "crack"),
    "No image has false negatives of crack at confidence 0.50",
  );
  assert.equal(
    emptyErrorsTitle(
      { ...query, errorKind: "FALSE_POSITIVE", confidence: 0.75, splits: ["VAL"] },
      null,
    ),
    "No image has false positives of any class at confidence 0.75 with these filters",
  );
  assert.equal(emptyErrorsTitle({ ...query, errorKind: null }, "crack"), null);
});
