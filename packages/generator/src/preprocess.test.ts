import { test } from "node:test";
import assert from "node:assert/strict";
import sharp from "sharp";
import { GeneratorError } from "./errors.ts";
import { cropRect, preprocessReference } from "./preprocess.ts";
import { toPng, toRgbBytes } from "./postprocess.ts";
import { boxImage } from "./testing.ts";

const red: [number, number, number] = [230, 20, 20];
const px = (t: Float32Array, size: number, x: number, y: number) =>
  [0, 1, 2].map((c) => t[c * size * size + y * size + x]!);

test("cropRect: square around the box with the margin, clamped inside the image", () => {
  // 40×30 box: side 40 × 1.15 = 46, centred on (140, 45)
  assert.deepEqual(
    cropRect({ x: 120, y: 30, width: 40, height: 30 }, { width: 200, height: 100 }),
    { left: 117, top: 22, side: 46 },
  );
  // box at the top-left corner: shifted inside, never negative
  assert.deepEqual(
    cropRect({ x: 0, y: 0, width: 20, height: 20 }, { width: 200, height: 100 }, { margin: 0.5 }),
    { left: 0, top: 0, side: 30 },
  );
  // box at the bottom-right corner
  assert.deepEqual(
    cropRect(
      { x: 180, y: 80, width: 20, height: 20 },
      { width: 200, height: 100 },
      { margin: 0.5 },
    ),
    { left: 170, top: 70, side: 30 },
  );
  // larger than the image's short side: shrunk to it
  assert.deepEqual(cropRect({ x: 10, y: 5, width: 150, height: 90 }, { width: 200, height: 100 }), {
    left: 35,
    top: 0,
    side: 100,
  });
  // replicate keeps it centred even off the image
  assert.deepEqual(
    cropRect(
      { x: 0, y: 0, width: 20, height: 20 },
      { width: 200, height: 100 },
      { margin: 0.5, border: "replicate" },
    ),
    { left: -5, top: -5, side: 30 },
  );
  assert.throws(
    () => cropRect({ x: 300, y: 0, width: 10, height: 10 }, { width: 200, height: 100 }),
    (e: unknown) => e instanceof GeneratorError && e.code === "INVALID_IMAGE",
  );
  assert.throws(
    () => cropRect({ x: 0, y: 0, width: 0, height: 10 }, { width: 200, height: 100 }),
    /positive size/,
  );
});

test("preprocess: CHW float32 in [-1, 1], the box where it should be", async () => {
  const box = { x: 120, y: 30, width: 40, height: 30 };
  const img = await boxImage(200, 100, box, red);
  // margin 0: the crop is the 40×40 square rows 25..65, cols 120..160; the box fills rows 5..35
  const t = await preprocessReference(img, box, { size: 40, margin: 0 });
  assert.equal(t.length, 3 * 40 * 40);
  assert.ok(t.every((v) => v >= -1 && v <= 1));
  const near = (got: number[], want: number[]) =>
    got.every((v, i) => Math.abs(v - (want[i]! / 127.5 - 1)) < 0.03);
  assert.ok(near(px(t, 40, 20, 20), red), `centre ${px(t, 40, 20, 20)}`);
  assert.ok(near(px(t, 40, 20, 6), red));
  assert.ok(near(px(t, 40, 20, 34), red));
  for (const [x, y] of [
    [20, 1],
    [20, 38],
    [0, 2],
  ] as const) {
    const v = px(t, 40, x, y);
    assert.ok(Math.abs(v[0]! - v[1]!) < 0.05, `grey outside the box at ${x},${y}: ${v}`); // grey, not red
  }
  // resized to the model size
  const small = await preprocessReference(img, box, { size: 16 });
  assert.equal(small.length, 3 * 16 * 16);
  assert.ok(near(px(small, 16, 8, 8), red));
});

test("preprocess: replicate border repeats the edge; greyscale and alpha inputs become RGB", async () => {
  const box = { x: 0, y: 0, width: 10, height: 10 };
  const img = await boxImage(40, 40, box, red);
  const t = await preprocessReference(img, box, { size: 20, margin: 1, border: "replicate" });
  // the square starts at (-5, -5): the padded corner copies the red corner pixel
  const corner = px(t, 20, 0, 0);
  assert.ok(corner[0]! > 0.7 && corner[1]! < -0.7, `corner ${corner}`);
  const grey = await sharp(Buffer.alloc(32 * 32, 200), {
    raw: { width: 32, height: 32, channels: 1 },
  })
    .png()
    .toBuffer();
  const g = await preprocessReference(grey, { x: 4, y: 4, width: 8, height: 8 }, { size: 8 });
  assert.equal(g.length, 3 * 64);
  assert.ok(g.every((v) => Math.abs(v - (200 / 127.5 - 1)) < 1e-6));
  const rgba = await sharp({
    create: { width: 20, height: 20, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0.5 } },
  })
    .png()
    .toBuffer();
  const a = await preprocessReference(rgba, { x: 0, y: 0, width: 20, height: 20 }, { size: 4 });
  assert.equal(a.length, 3 * 16);
});

test("preprocess: undecodable bytes are INVALID_IMAGE", async () => {
  await assert.rejects(
    preprocessReference(
      Buffer.from("not an image"),
      { x: 0, y: 0, width: 2, height: 2 },
      { size: 8 },
    ),
    (e: unknown) => e instanceof GeneratorError && e.code === "INVALID_IMAGE",
  );
});

test("postprocess: fixed rounding and clamping, deterministic PNG that decodes back to the same pixels", async () => {
  const chw = Float32Array.from([
    -1,
    0,
    1,
    2,
    -3,
    Number.NaN,
    0.5,
    -0.5,
    0.999,
    -0.999,
    0.25,
    1e-7,
  ]);
  // [3, 2, 2]: pixel p channel c at c*4 + p
  assert.deepEqual([...toRgbBytes(chw, 2, 2)], [0, 0, 255, 128, 0, 0, 255, 191, 159, 255, 64, 128]);
  const a = await toPng(chw, 2);
  const b = await toPng(Float32Array.from(chw), 2);
  assert.ok(a.equals(b));
  const back = await sharp(a).raw().toBuffer();
  assert.deepEqual([...back], [...toRgbBytes(chw, 2, 2)]);
  assert.throws(() => toRgbBytes(chw, 3, 3), /expected 3×3×3/);
});
