/**
 * Bounding box in continuous pixel coordinates: (x, y) is the top-left corner, origin at the
 * image's top-left corner, so a box covering the whole W×H image is {x: 0, y: 0, width: W, height: H}.
 */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ImageSize {
  width: number;
  height: number;
}

export type BoxErrorCode = "NOT_FINITE" | "NON_POSITIVE_SIZE" | "OUT_OF_BOUNDS" | "TOO_SMALL";

export type BoxValidation =
  { ok: true; box: Box } | { ok: false; code: BoxErrorCode; message: string };

export interface BoxValidationOptions {
  /** Smallest width and height accepted, in pixels; default 1. */
  minSize?: number;
}

/** Pascal VOC corners: 1-based, inclusive pixel indexes. */
export interface VocBox {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/** YOLO box: centre and size, each divided by the image width or height. */
export interface YoloBox {
  xCenter: number;
  yCenter: number;
  width: number;
  height: number;
}

/** COCO bbox: [x, y, width, height] in pixels, same convention as `Box`. */
export type CocoBbox = [x: number, y: number, width: number, height: number];

// A hundredth of a pixel is far below annotation precision and keeps stored values stable.
const round2 = (value: number): number => Math.round(value * 100) / 100;

function checkImage(image: ImageSize): void {
  if (!(
    Number.isFinite(image.width) &&
    Number.isFinite(image.height) &&
    image.width > 0 &&
    image.height > 0
  )) {
    throw new RangeError(`image size must be finite and positive: ${image.width}×${image.height}`);
  }
}

/**
 * Validates a box against its image. Checks, in order: every field finite, positive size,
 * fully inside [0, W]×[0, H] (no tolerance), width and height ≥ minSize. The accepted box is
 * normalised to 2 decimals by rounding its corners, so it stays inside the image; a box that
 * rounding shrinks below minSize is rejected as TOO_SMALL.
 * Throws RangeError for an invalid image size (a caller bug, not bad annotation data).
 */
export function validateBox(
  box: Box,
  image: ImageSize,
  options: BoxValidationOptions = {},
): BoxValidation {
  checkImage(image);
  const minSize = options.minSize ?? 1;
  const { x, y, width, height } = box;
  if (![x, y, width, height].every(Number.isFinite)) {
    return {
      ok: false,
      code: "NOT_FINITE",
      message: `box has a non-finite coordinate: ${JSON.stringify(box)}`,
    };
  }
  if (width <= 0 || height <= 0) {
    return {
      ok: false,
      code: "NON_POSITIVE_SIZE",
      message: `box size must be positive: ${width}×${height}`,
    };
  }
  if (x < 0 || y < 0 || x + width > image.width || y + height > image.height) {
    return {
      ok: false,
      code: "OUT_OF_BOUNDS",
      message: `box [${x}, ${y}, ${x + width}, ${y + height}] is not inside the ${image.width}×${image.height} image`,
    };
  }
  const x1 = round2(x);
  const y1 = round2(y);
  const normalised: Box = {
    x: x1,
    y: y1,
    width: round2(round2(x + width) - x1),
    height: round2(round2(y + height) - y1),
  };
  const smallest = Math.max(minSize, 0.01);
  if (
    width < minSize ||
    height < minSize ||
    normalised.width < smallest ||
    normalised.height < smallest
  ) {
    return {
      ok: false,
      code: "TOO_SMALL",
      message: `box ${width}×${height} is smaller than ${minSize} px`,
    };
  }
  return { ok: true, box: normalised };
}

/**
 * Clips a box to the image, for importers whose sources overshoot the borders.
 * Returns null when nothing of the box lies inside the image or a coordinate is not finite.
 */
export function clampBox(box: Box, image: ImageSize): Box | null {
  checkImage(image);
  if (![box.x, box.y, box.width, box.height].every(Number.isFinite)) return null;
  const x1 = Math.max(0, box.x);
  const y1 = Math.max(0, box.y);
  const x2 = Math.min(image.width, box.x + box.width);
  const y2 = Math.min(image.height, box.y + box.height);
  if (x2 <= x1 || y2 <= y1) return null;
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

/** Intersection over union; 0 when the union is empty. Non-positive sizes count as empty boxes. */
export function iou(a: Box, b: Box): number {
  const area = (box: Box) => Math.max(0, box.width) * Math.max(0, box.height);
  const iw = Math.min(a.x + Math.max(0, a.width), b.x + Math.max(0, b.width)) - Math.max(a.x, b.x);
  const ih =
    Math.min(a.y + Math.max(0, a.height), b.y + Math.max(0, b.height)) - Math.max(a.y, b.y);
  const intersection = Math.max(0, iw) * Math.max(0, ih);
  const union = area(a) + area(b) - intersection;
  return union > 0 ? intersection / union : 0;
}

/**
 * Pixel box → VOC corners. VOC numbers pixels from 1 and includes both corners, and the pixel
 * with index i covers [i − 1, i] in continuous coordinates, hence xmin = x + 1, xmax = x + width.
 * Corners are rounded to whole pixels; a box thinner than half a pixel still keeps one pixel.
 */
export function toVoc(box: Box): VocBox {
  const xmin = Math.round(box.x) + 1;
  const ymin = Math.round(box.y) + 1;
  return {
    xmin,
    ymin,
    xmax: Math.max(xmin, Math.round(box.x + box.width)),
    ymax: Math.max(ymin, Math.round(box.y + box.height)),
  };
}

/** VOC corners → pixel box: x = xmin − 1, width = xmax − xmin + 1 (inverse of `toVoc`). */
export function fromVoc(voc: VocBox): Box {
  return {
    x: voc.xmin - 1,
    y: voc.ymin - 1,
    width: voc.xmax - voc.xmin + 1,
    height: voc.ymax - voc.ymin + 1,
  };
}

/** Pixel box → YOLO: centre and size divided by the image size (no rounding). */
export function toYolo(box: Box, image: ImageSize): YoloBox {
  checkImage(image);
  return {
    xCenter: (box.x + box.width / 2) / image.width,
    yCenter: (box.y + box.height / 2) / image.height,
    width: box.width / image.width,
    height: box.height / image.height,
  };
}

/** YOLO → pixel box (no rounding). */
export function fromYolo(yolo: YoloBox, image: ImageSize): Box {
  checkImage(image);
  const width = yolo.width * image.width;
  const height = yolo.height * image.height;
  return {
    x: yolo.xCenter * image.width - width / 2,
    y: yolo.yCenter * image.height - height / 2,
    width,
    height,
  };
}

/** Pixel box → COCO bbox; COCO uses the same top-left, continuous-pixel convention. */
export function toCoco(box: Box): CocoBbox {
  return [box.x, box.y, box.width, box.height];
}

/** COCO bbox → pixel box. */
export function fromCoco(bbox: readonly [number, number, number, number]): Box {
  const [x, y, width, height] = bbox;
  return { x, y, width, height };
}
