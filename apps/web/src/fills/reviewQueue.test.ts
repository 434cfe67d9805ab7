import { test } from "node:test";
import assert from "node:assert/strict";
import {
  goTo,
  move,
  reload,
  remove,
  restore,
  selectedIds,
  toggleAll,
  toggleSelected,
  type QueueState,
} from "./reviewQueue";

type Item = { id: string };
const items = (...ids: string[]): Item[] => ids.map((id) => ({ id }));
const ids = (state: QueueState<Item>) => state.items.map((item) => item.id);
const start = (index = 0): QueueState<Item> => ({
  items: items("a", "b", "c", "d", "e"),
  index,
  selected: new Set(),
});

test("a decision takes the current item out and the next one becomes current", () => {
  const { state, removed } = remove(start(1), ["b"]);
  assert.deepEqual(ids(state), ["a", "c", "d", "e"]);
  assert.equal(state.items[state.index]!.id, "c");
  assert.deepEqual(removed, [{ item: { id: "b" }, position: 1 }]);
});

test("deciding the last item moves the cursor back to the new last one", () => {
  const { state } = remove(start(4), ["e"]);
  assert.equal(state.items[state.index]!.id, "d");
  const emptied = remove(state, ["a", "b", "c", "d"]).state;
  assert.deepEqual(emptied.items, []);
  assert.equal(emptied.index, 0);
});

test("a bulk decision keeps the cursor on the same item when it is not in the selection", () => {
  let state = toggleSelected(toggleSelected(start(3), "a"), "b");
  const result = remove(state, [...state.selected]);
  state = result.state;
  assert.deepEqual(ids(state), ["c", "d", "e"]);
  assert.equal(state.items[state.index]!.id, "d");
  assert.equal(state.selected.size, 0);
});

test("undo puts the items back where they were and makes the first current", () => {
  const first = remove(start(1), ["b", "d"]);
  const undone = restore(move(first.state, 5), first.removed);
  assert.deepEqual(ids(undone), ["a", "b", "c", "d", "e"]);
  assert.equal(undone.items[undone.index]!.id, "b");
  // Restoring twice adds nothing.
  assert.deepEqual(ids(restore(undone, first.removed)), ["a", "b", "c", "d", "e"]);
});

test("moving stops at both ends; space toggles selection", () => {
  assert.equal(move(start(0), -1).index, 0);
  assert.equal(move(start(4), 1).index, 4);
  const once = toggleSelected(start(), "c");
  assert.ok(once.selected.has("c"));
  assert.ok(!toggleSelected(once, "c").selected.has("c"));
});

test("a reload drops items decided here and follows the current item", () => {
  const state = toggleSelected(start(2), "e");
  const next = reload(state, items("b", "c", "x", "e"), new Set(["b"]));
  assert.deepEqual(ids(next), ["c", "x", "e"]);
  assert.equal(next.items[next.index]!.id, "c");
  assert.deepEqual([...next.selected], ["e"]);
});

test("select all on page selects every item, then none; the selection is listed in queue order", () => {
  const some = toggleSelected(toggleSelected(start(), "d"), "b");
  assert.deepEqual(selectedIds(some), ["b", "d"]);
  const all = toggleAll(some);
  assert.deepEqual(selectedIds(all), ["a", "b", "c", "d", "e"]);
  assert.deepEqual(selectedIds(toggleAll(all)), []);
});

test("clicking a thumbnail makes it current, within the list", () => {
  assert.equal(goTo(start(), 3).index, 3);
  assert.equal(goTo(start(), 9).index, 4);
});
