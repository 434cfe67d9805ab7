import { test } from "node:test";
import assert from "node:assert/strict";
import { parseShareCap } from "./shareCap";

test("an empty cap means the dataset's own", () => {
  assert.deepEqual(parseShareCap("  "), { value: null, error: null });
});

test("a cap is a fraction from 0 up to, not including, 1", () => {
  assert.equal(parseShareCap("0").value, 0);
  assert.equal(parseShareCap("0.35").value, 0.35);
  for (const bad of ["1", "1.5", "-0.1", "abc", "Infinity"])
    assert.ok(parseShareCap(bad).error, bad);
});
