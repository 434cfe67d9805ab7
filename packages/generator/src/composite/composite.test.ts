import { test } from "node:test";
import assert from "node:assert/strict";
import {
  choosePlacement,
  compositeRng,
  blendInstance,
  DEFAULT_BLEND,
  decodeRaster,
  drawTransform,
  encodeRaster,
  instanceCrop,
  iou,
  objectDiagonal,
  MAX_OVERLAP_IOU,
  renderComposite,
  type NormalisedBox,
  type PixelBox,
  type Raster,
} from "./index.ts";

function gradient(width: number, height: number, seed = 0): Raster {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      data[o] = (x * 3 + seed) % 256;
      data[o + 1] = (y * 2 + seed * 7) % 256;
      data[o + 2] = ((x ^ y) + seed * 13) % 256;
    }
  return { width, height, data };
}

const classBoxes: NormalisedBox[] = [
  { cx: 0.3, cy: 0.4, w: 0.06, h: 0.05 },
  { cx: 0.7, cy: 0.6, w: 0.1, h: 0.08 },
  { cx: 0.5, cy: 0.2, w: 0.04, h: 0.07 },
];

const inside = (b: PixelBox, o: PixelBox) =>
  b.x >= o.x && b.y >= o.y && b.x + b.width <= o.x + o.width && b.y + b.height <= o.y + o.height;

test("placements lie inside the image and overlap no existing box by IoU 0.1 or more", () => {
  const existing: PixelBox[] = [
    { x: 150, y: 160, width: 60, height: 40 },
    { x: 400, y: 250, width: 80, height: 70 },
    { x: 300, y: 80, width: 30, height: 50 },
  ];
  let placed = 0;
  for (let index = 0; index < 300; index++) {
    const box = choosePlacement(
      { width: 640, height: 480, existing, classBoxes },
      compositeRng(42n, index),
    );
    if (!box) continue;
    placed++;
    assert.ok(inside(box, { x: 0, y: 0, width: 640, height: 480 }), JSON.stringify(box));
    for (const e of existing) assert.ok(iou(box, e) < MAX_OVERLAP_IOU);
  }
  assert.ok(placed > 250, `only ${placed} of 300 samples were placed`);
});

test("with a host class, placements lie inside one of the host image's host-class boxes", () => {
  const hostObjects: PixelBox[] = [
    { x: 100, y: 50, width: 90, height: 300 },
    { x: 500, y: 120, width: 60, height: 200 },
  ];
  for (let index = 0; index < 200; index++) {
    const box = choosePlacement(
      { width: 640, height: 480, existing: hostObjects, classBoxes, hostObjects, sizeRatio: 0.3 },
      compositeRng(7n, index),
    );
    assert.ok(box, `sample ${index} found no placement`);
    assert.ok(
      hostObjects.some((h) => inside(box, h)),
      `${JSON.stringify(box)} is on no host object`,
    );
  }
});

test("a crowded image with no room gives no placement rather than an overlapping one", () => {
  const box = choosePlacement(
    {
      width: 100,
      height: 100,
      existing: [{ x: 0, y: 0, width: 100, height: 100 }],
      classBoxes: [{ cx: 0.5, cy: 0.5, w: 0.9, h: 0.9 }],
    },
    compositeRng(1n, 0),
  );
  assert.equal(box, null);
});

test("a composite keeps the host's size and format family, changes only the pasted region, and is the same bytes every time", async () => {
  const host = gradient(320, 240);
  const source = gradient(200, 200, 99);
  const instance = instanceCrop(source, { x: 80, y: 70, width: 40, height: 50 });
  const placement = { x: 100, y: 90, width: 32, height: 40 };
  for (const format of ["png", "jpeg"] as const) {
    const spec = {
      placement,
      transform: drawTransform(compositeRng(5n, 3), "COPY_PASTE"),
      blend: DEFAULT_BLEND,
      format,
    };
    const a = await renderComposite(host, instance, spec);
    const b = await renderComposite(await encodeRaster(host, "png"), instance, spec);
    assert.deepEqual(a.bytes, b.bytes);
    assert.equal(a.mimeType, format === "png" ? "image/png" : "image/jpeg");
    assert.deepEqual([a.width, a.height], [320, 240]);
    if (format !== "png") continue;
    const out = await decodeRaster(a.bytes);
    let changedInBox = 0;
    for (let y = 0; y < 240; y++)
      for (let x = 0; x < 320; x++) {
        const o = (y * 320 + x) * 3;
        const same = out.data[o] === host.data[o] && out.data[o + 1] === host.data[o + 1];
        const farOutside = x < 85 || x > 150 || y < 75 || y > 145;
        if (farOutside) assert.ok(same, `pixel (${x}, ${y}) outside the patch changed`);
        else if (!same && inside({ x, y, width: 1, height: 1 }, placement)) changedInBox++;
      }
    assert.ok(changedInBox > 32 * 40 * 0.8, `only ${changedInBox} pixels of the box changed`);
  }
});

test("the same seed and index draw the same transform; another index draws another", () => {
  const a = drawTransform(compositeRng(11n, 0), "COPY_PASTE");
  assert.deepEqual(a, drawTransform(compositeRng(11n, 0), "COPY_PASTE"));
  assert.notDeepEqual(a, drawTransform(compositeRng(11n, 1), "COPY_PASTE"));
  assert.deepEqual(drawTransform(compositeRng(11n, 0), "MODEL").rotation, 0);
});

test("a host whose own box sits where the class's boxes lie still takes a placement elsewhere", () => {
  // the class's only real box is exactly the host's box: every draw near it overlaps
  const existing = [{ x: 40, y: 30, width: 48, height: 40 }];
  for (let index = 0; index < 50; index++) {
    const box = choosePlacement(
      {
        width: 128,
        height: 96,
        existing,
        classBoxes: [{ cx: 64 / 128, cy: 50 / 96, w: 48 / 128, h: 40 / 96 }],
      },
      compositeRng(3n, index),
    );
    assert.ok(box, `sample ${index} found no placement`);
    assert.ok(iou(box, existing[0]!) < MAX_OVERLAP_IOU);
  }
});

test("a slanted object is found along its diagonal, and placements on it follow that diagonal", () => {
  // background grey, a dark band from the box's top-left to its bottom-right
  const raster = gradient(200, 160);
  raster.data.fill(180);
  const box = { x: 40, y: 30, width: 120, height: 100 };
  for (let y = 0; y < 160; y++)
    for (let x = 0; x < 200; x++) {
      const t = (x - box.x) / box.width;
      const onBand = t >= 0 && t <= 1 && Math.abs(y - (box.y + t * box.height)) < 10;
      if (onBand) raster.data.fill(60, (y * 200 + x) * 3, (y * 200 + x) * 3 + 3);
    }
  const diagonal = objectDiagonal(raster, box);
  assert.equal(diagonal, "down");
  const flipped = { ...raster, data: new Uint8Array(raster.data.length) };
  for (let y = 0; y < 160; y++)
    flipped.data.set(raster.data.subarray((159 - y) * 600, (160 - y) * 600), y * 600);
  assert.equal(objectDiagonal(flipped, { ...box, y: 160 - box.y - box.height }), "up");
  for (let index = 0; index < 40; index++) {
    const p = choosePlacement(
      {
        width: 200,
        height: 160,
        existing: [box],
        classBoxes,
        hostObjects: [{ ...box, diagonal }],
        sizeRatio: 0.15,
      },
      compositeRng(9n, index),
    )!;
    const cx = p.x + p.width / 2,
      cy = p.y + p.height / 2;
    const onDiagonal = box.y + ((cx - box.x) / box.width) * box.height;
    assert.ok(Math.abs(cy - onDiagonal) <= p.height, `(${cx}, ${cy}) is off the diagonal`);
  }
});

test("the fade starts inside the box (the instance's own background does not show as a rectangle); blends recorded without it replay as before", () => {
  const host: Raster = { width: 100, height: 100, data: new Uint8Array(100 * 100 * 3).fill(20) };
  const instance: Raster = { width: 40, height: 40, data: new Uint8Array(40 * 40 * 3).fill(230) };
  const box = { x: 30, y: 30, width: 40, height: 40 };
  const none = { flip: false, rotation: 0, brightness: 0, contrast: 0, saturation: 0 };
  const at = (r: Raster, x: number, y: number) => r.data[(y * r.width + x) * 3]!;
  const faded = blendInstance(host, instance, box, none, {
    ...DEFAULT_BLEND,
    colourStrength: 0,
  }).raster;
  assert.equal(at(faded, 50, 50), 230, "the centre is the instance");
  assert.ok(at(faded, 30, 50) < 200, `the box's edge is already mixed (${at(faded, 30, 50)})`);
  const before = { feather: 1, colourStrength: 0 };
  assert.deepEqual(
    blendInstance(host, instance, box, none, before).raster.data,
    blendInstance(host, instance, box, none, { ...before, inner: 0 }).raster.data,
  );
  assert.ok(at(blendInstance(host, instance, box, none, before).raster, 31, 50) > 200);
});
