import { test } from "node:test";
import assert from "node:assert/strict";
import { bandLabel, parseEdges } from "./bands";

test("edges are parsed, de-duplicated and sorted", () => {
  assert.deepEqual(parseEdges("60, 40 80;40"), { edges: [40, 60, 80] });
  assert.deepEqual(parseEdges(" -5.5 "), { edges: [-5.5] });
  assert.ok("error" in parseEdges(""));
  assert.ok("error" in parseEdges("40, warm"));
});

test("band labels show open ends and round long edges", () => {
  assert.equal(bandLabel(null, 40), "< 40");
  assert.equal(bandLabel(40, 60), "40–60");
  assert.equal(bandLabel(80, null), "≥ 80");
  assert.equal(bandLabel(null, null), "all");
  assert.equal(bandLabel(33.333333, 66.666666), "33.33–66.67");
});
