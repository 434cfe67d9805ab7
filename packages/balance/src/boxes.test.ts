import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  clampBox,
  fromCoco,
  fromVoc,
  fromYolo,
  iou,
  toCoco,
  toVoc,
  toYolo,
  validateBox,
} from "./index.ts";
import type { Box } from "./index.ts";

const image = { width: 640, height: 480 };

describe("validateBox", () => {
  it("accepts a box inside the image and rounds it to hundredths of a pixel", () => {
    assert.deepEqual(validateBox({ x: 10.123, y: 20.456, width: 30.5, height: 40 }, image), {
      ok: true,
      // corners rounded: x 10.12, x2 40.623 → 40.62, so width 30.5; y 20.46, y2 60.456 → 60.46
      box: { x: 10.12, y: 20.46, width: 30.5, height: 40 },
    });
  });

  it("accepts a box covering the whole image (no margin needed)", () => {
    assert.deepEqual(validateBox({ x: 0, y: 0, width: 640, height: 480 }, image), {
      ok: true,
      box: { x: 0, y: 0, width: 640, height: 480 },
    });
  });

  it("rejects non-finite coordinates", () => {
    for (const box of [
      { x: Number.NaN, y: 0, width: 1, height: 1 },
      { x: 0, y: Infinity, width: 1, height: 1 },
      { x: 0, y: 0, width: -Infinity, height: 1 },
    ]) {
      const result = validateBox(box, image);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.code, "NOT_FINITE");
    }
  });

  it("rejects zero or negative sizes", () => {
    assert.equal(
      code(validateBox({ x: 5, y: 5, width: 0, height: 10 }, image)),
      "NON_POSITIVE_SIZE",
    );
    assert.equal(
      code(validateBox({ x: 5, y: 5, width: 10, height: -3 }, image)),
      "NON_POSITIVE_SIZE",
    );
  });

  it("rejects boxes overshooting any border by any amount", () => {
    assert.equal(
      code(validateBox({ x: -0.001, y: 0, width: 10, height: 10 }, image)),
      "OUT_OF_BOUNDS",
    );
    assert.equal(code(validateBox({ x: 0, y: -1, width: 10, height: 10 }, image)), "OUT_OF_BOUNDS");
    assert.equal(
      code(validateBox({ x: 630.5, y: 0, width: 10, height: 10 }, image)),
      "OUT_OF_BOUNDS",
    );
    assert.equal(
      code(validateBox({ x: 0, y: 470, width: 10, height: 10.01 }, image)),
      "OUT_OF_BOUNDS",
    );
  });

  it("rejects boxes smaller than minSize (1 px by default)", () => {
    assert.equal(code(validateBox({ x: 5, y: 5, width: 0.5, height: 10 }, image)), "TOO_SMALL");
    assert.equal(code(validateBox({ x: 5, y: 5, width: 1, height: 1 }, image)), null);
    assert.equal(
      code(validateBox({ x: 5, y: 5, width: 7, height: 10 }, image, { minSize: 8 })),
      "TOO_SMALL",
    );
    // A box that only exists below a hundredth of a pixel rounds away, whatever minSize.
    assert.equal(
      code(validateBox({ x: 5, y: 5, width: 0.001, height: 10 }, image, { minSize: 0 })),
      "TOO_SMALL",
    );
  });

  it("throws for an invalid image size, which is not an annotation error", () => {
    assert.throws(
      () => validateBox({ x: 0, y: 0, width: 1, height: 1 }, { width: 0, height: 10 }),
      RangeError,
    );
  });
});

function code(result: ReturnType<typeof validateBox>): string | null {
  return result.ok ? null : result.code;
}

describe("clampBox", () => {
  it("clips boxes overshooting the borders", () => {
    assert.deepEqual(clampBox({ x: -5, y: 470, width: 20, height: 30 }, image), {
      x: 0,
      y: 470,
      width: 15,
      height: 10,
    });
    assert.deepEqual(clampBox({ x: 600, y: -1, width: 100, height: 500 }, image), {
      x: 600,
      y: 0,
      width: 40,
      height: 480,
    });
  });

  it("leaves inside boxes alone and drops boxes with nothing inside", () => {
    const inside = { x: 1, y: 2, width: 3, height: 4 };
    assert.deepEqual(clampBox(inside, image), inside);
    assert.equal(clampBox({ x: 700, y: 0, width: 10, height: 10 }, image), null);
    assert.equal(clampBox({ x: -10, y: 0, width: 10, height: 10 }, image), null); // touches the edge only
    assert.equal(clampBox({ x: Number.NaN, y: 0, width: 10, height: 10 }, image), null);
  });
});

describe("iou", () => {
  const a: Box = { x: 0, y: 0, width: 10, height: 10 };

  it("is 1 for identical boxes and 0 for disjoint or touching ones", () => {
    assert.equal(iou(a, a), 1);
    assert.equal(iou(a, { x: 20, y: 20, width: 5, height: 5 }), 0);
    assert.equal(iou(a, { x: 10, y: 0, width: 10, height: 10 }), 0);
  });

  it("computes partial overlaps", () => {
    // Overlap 5×10 = 50, union 100 + 100 − 50 = 150
    assert.equal(iou(a, { x: 5, y: 0, width: 10, height: 10 }), 1 / 3);
    // Contained: 4 / 100
    assert.equal(iou(a, { x: 3, y: 3, width: 2, height: 2 }), 0.04);
    assert.equal(iou({ x: 3, y: 3, width: 2, height: 2 }, a), 0.04);
  });

  it("is 0 for degenerate boxes", () => {
    assert.equal(iou({ x: 0, y: 0, width: 0, height: 0 }, { x: 0, y: 0, width: 0, height: 0 }), 0);
    assert.equal(iou(a, { x: 2, y: 2, width: -5, height: 5 }), 0);
  });
});

describe("format conversions", () => {
  it("VOC: 1-based inclusive corners", () => {
    // The top-left pixel alone is VOC (1,1)-(1,1) and pixel box {0, 0, 1, 1}.
    assert.deepEqual(toVoc({ x: 0, y: 0, width: 1, height: 1 }), {
      xmin: 1,
      ymin: 1,
      xmax: 1,
      ymax: 1,
    });
    assert.deepEqual(fromVoc({ xmin: 1, ymin: 1, xmax: 640, ymax: 480 }), {
      x: 0,
      y: 0,
      width: 640,
      height: 480,
    });
    assert.deepEqual(toVoc({ x: 10, y: 20, width: 30, height: 40 }), {
      xmin: 11,
      ymin: 21,
      xmax: 40,
      ymax: 60,
    });
  });

  it("VOC: integer boxes round-trip exactly, fractional ones snap to pixels", () => {
    const box = { x: 10, y: 20, width: 30, height: 40 };
    assert.deepEqual(fromVoc(toVoc(box)), box);
    const voc = { xmin: 5, ymin: 7, xmax: 5, ymax: 100 };
    assert.deepEqual(toVoc(fromVoc(voc)), voc);
    assert.deepEqual(toVoc({ x: 10.4, y: 19.6, width: 0.2, height: 10.2 }), {
      xmin: 11,
      ymin: 21,
      xmax: 11,
      ymax: 30,
    });
  });

  it("YOLO: normalised centre and size, round-trip within 1e-9", () => {
    assert.deepEqual(toYolo({ x: 0, y: 0, width: 640, height: 480 }, image), {
      xCenter: 0.5,
      yCenter: 0.5,
      width: 1,
      height: 1,
    });
    assert.deepEqual(toYolo({ x: 64, y: 48, width: 128, height: 96 }, image), {
      xCenter: 0.2,
      yCenter: 0.2,
      width: 0.2,
      height: 0.2,
    });
    const box = { x: 12.34, y: 56.78, width: 90.12, height: 33.33 };
    const back = fromYolo(toYolo(box, image), image);
    for (const key of ["x", "y", "width", "height"] as const)
      assert.ok(Math.abs(back[key] - box[key]) < 1e-9, key);
  });

  it("COCO: [x, y, width, height] in the same pixel convention", () => {
    const box = { x: 1.5, y: 2, width: 3, height: 4.25 };
    assert.deepEqual(toCoco(box), [1.5, 2, 3, 4.25]);
    assert.deepEqual(fromCoco(toCoco(box)), box);
  });
});
