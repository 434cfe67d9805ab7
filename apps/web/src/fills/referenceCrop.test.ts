import { test } from "node:test";
import assert from "node:assert/strict";
import { referenceCropStyle } from "./referenceCrop.ts";

test("a reference's crop is its box's square with the generator's margin, centred on the box", () => {
  // 40×20 box centred at (120, 60) in a 400×200 image: a 50 px square from (95, 35).
  const style = referenceCropStyle(
    { x: 100, y: 50, width: 40, height: 20 },
    { width: 400, height: 200 },
  );
  assert.deepEqual(style, { width: "800.000%", left: "-190.000%", top: "-70.000%" });
  assert.equal(
    referenceCropStyle({ x: 0, y: 0, width: 0, height: 0 }, { width: 10, height: 10 }),
    null,
  );
});
