import { test } from "node:test";
import assert from "node:assert/strict";
import { metricRows } from "./metrics";

test("flat metrics are one row each, numbers to four significant digits", () => {
  assert.deepEqual(metricRows({ fid: 41.2567, epochs: 12, status: "undertrained" }), [
    { key: "fid", value: "41.26" },
    { key: "epochs", value: "12" },
    { key: "status", value: "undertrained" },
  ]);
});

test("an object one level down becomes dotted rows; arrays and deeper objects stay JSON", () => {
  assert.deepEqual(
    metricRows({ f1: { fill: 0.00645161, real: 0.9063 }, tags: ["a"], deep: { x: { y: 1 } } }),
    [
      { key: "f1.fill", value: "0.006452" },
      { key: "f1.real", value: "0.9063" },
      { key: "tags", value: '["a"]' },
      { key: "deep.x", value: '{"y":1}' },
    ],
  );
});

test("no metrics, or metrics that are not an object", () => {
  assert.equal(metricRows(null), null);
  assert.equal(metricRows(undefined), null);
  assert.equal(metricRows([1, 2]), "[1,2]");
  assert.deepEqual(metricRows({}), []);
});
