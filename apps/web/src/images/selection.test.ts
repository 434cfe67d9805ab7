import { test } from "node:test";
import assert from "node:assert/strict";
import { EMPTY_SELECTION, retain, selectAll, selectRange, toggle } from "./selection";

const order = ["a", "b", "c", "d", "e"];

test("click toggles and shift-click extends from the last clicked tile", () => {
  let selection = toggle(EMPTY_SELECTION, "b");
  selection = selectRange(selection, order, "d");
  assert.deepEqual([...selection.ids].sort(), ["b", "c", "d"]);
  // Backwards ranges work too, and keep what was already selected.
  selection = selectRange(toggle(selection, "e"), order, "c");
  assert.deepEqual([...selection.ids].sort(), ["b", "c", "d", "e"]);
  selection = toggle(selection, "c");
  assert.equal(selection.ids.has("c"), false);
});

test("shift-click without an anchor selects just that tile", () => {
  assert.deepEqual([...selectRange(EMPTY_SELECTION, order, "c").ids], ["c"]);
});

test("select all, then drop what disappeared from the list", () => {
  const all = selectAll(order);
  assert.equal(all.ids.size, 5);
  const kept = retain(all, ["a", "c"]);
  assert.deepEqual([...kept.ids], ["a", "c"]);
  assert.equal(retain(kept, ["a", "c"]), kept, "unchanged selections keep their identity");
});
