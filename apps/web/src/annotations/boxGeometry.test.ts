import { test } from "node:test";
import assert from "node:assert/strict";
import { boxFromCorners, isUsable, moveBox, resizeBox } from "./boxGeometry";

const image = { width: 100, height: 80 };

test("a box drawn in any direction is normalised and clipped to the image", () => {
  assert.deepEqual(boxFromCorners({ x: 50, y: 40 }, { x: 10.4, y: 5.6 }, image), {
    x: 10,
    y: 6,
    width: 40,
    height: 34,
  });
  assert.deepEqual(boxFromCorners({ x: 90, y: 70 }, { x: 140, y: 95 }, image), {
    x: 90,
    y: 70,
    width: 10,
    height: 10,
  });
});

test("moving stops at the edges without shrinking the box", () => {
  const box = { x: 10, y: 10, width: 20, height: 20 };
  assert.deepEqual(moveBox(box, -50, 5, image), { x: 0, y: 15, width: 20, height: 20 });
  assert.deepEqual(moveBox(box, 500, 500, image), { x: 80, y: 60, width: 20, height: 20 });
});

test("resizing moves only the dragged edges and flips past the opposite one", () => {
  const box = { x: 10, y: 10, width: 20, height: 20 };
  assert.deepEqual(resizeBox(box, "se", 5, 10, image), { x: 10, y: 10, width: 25, height: 30 });
  assert.deepEqual(resizeBox(box, "w", -4, 99, image), { x: 6, y: 10, width: 24, height: 20 });
  assert.deepEqual(resizeBox(box, "n", 0, 30, image), { x: 10, y: 30, width: 20, height: 10 });
});

test("degenerate boxes are not usable", () => {
  assert.equal(isUsable({ x: 0, y: 0, width: 1, height: 40 }), false);
  assert.equal(isUsable({ x: 0, y: 0, width: 2, height: 2 }), true);
});
