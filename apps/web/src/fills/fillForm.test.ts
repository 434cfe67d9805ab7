import { test } from "node:test";
import assert from "node:assert/strict";
import { bestOfInput, parseFillForm } from "./fillForm";

test("a count and no seed ask for a random seed", () => {
  assert.deepEqual(parseFillForm(" 8 ", ""), { count: 8, seed: null });
});

test("a 64-bit seed is kept exactly, leading zeros dropped", () => {
  assert.deepEqual(parseFillForm("1", "18446744073709551615"), {
    count: 1,
    seed: "18446744073709551615",
  });
  assert.deepEqual(parseFillForm("3", "0042"), { count: 3, seed: "42" });
});

test("bad counts and seeds are refused with a reason", () => {
  for (const count of ["", "0", "-2", "2.5", "abc"])
    assert.match(parseFillForm(count, "") as string, /whole number of images/);
  assert.match(parseFillForm("4", "-1") as string, /whole decimal number/);
  assert.match(parseFillForm("4", "1e3") as string, /whole decimal number/);
  assert.match(parseFillForm("4", "18446744073709551616") as string, /64 bits/);
});

test("keep the best of N is sent only for a model fill whose model has a critic", () => {
  assert.deepEqual(bestOfInput("MODEL", true, 4), { bestOf: 4 });
  assert.deepEqual(bestOfInput("MODEL", true, 1), {});
  assert.deepEqual(bestOfInput("MODEL", false, 4), {}, "a model without a critic cannot choose");
  assert.deepEqual(
    bestOfInput("COPY_PASTE", true, 4),
    {},
    "copy-paste generates nothing to choose",
  );
});
