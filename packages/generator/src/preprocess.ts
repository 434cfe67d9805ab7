// Reference image bytes + the class's box → one shot tensor: float32 CHW in [-1, 1], as the
// generator's `images` input wants it (x / 127.5 - 1, the training normalisation).
import sharp, { type Metadata, type OutputInfo } from "sharp";
import type { Box } from "@gridfill/balance";
import { GeneratorError, invalid } from "./errors.ts";

export interface CropOptions {
  /** Output side H = W, from the model metadata (image_size). */
  size: number;
  /** Crop side = (1 + margin) × the box's longest side; default 0.15. */
  margin?: number;
  /**
   * "clamp" (default): the square is shifted (and if need be shrunk) to lie inside the image, so
   * it holds only real pixels. "replicate": the square stays centred on the box and pixels
   * outside the image repeat the edge — the geometry of mvsa-gan's training crops.
   */
  border?: "clamp" | "replicate";
}

export interface CropRect {
  left: number;
  top: number;
  /** Side of the square, in source pixels. */
  side: number;
}

/** The square crop (integer pixels) for a box in a width×height image. Pure; exported for tests and previews. */
export function cropRect(
  box: Box,
  image: { width: number; height: number },
  opts: Omit<CropOptions, "size"> = {},
): CropRect {
  const margin = opts.margin ?? 0.15;
  const { width: W, height: H } = image;
  if (
    ![box.x, box.y, box.width, box.height].every(Number.isFinite) ||
    box.width <= 0 ||
    box.height <= 0
  ) {
    throw invalid(`box must have a finite position and positive size, got ${JSON.stringify(box)}`);
  }
  if (!(margin >= 0) || !Number.isFinite(margin))
    throw invalid(`margin must be ≥ 0, got ${margin}`);
  // Only the part of the box inside the image counts (boxes may overhang by rounding).
  const x0 = Math.max(0, box.x),
    y0 = Math.max(0, box.y);
  const x1 = Math.min(W, box.x + box.width),
    y1 = Math.min(H, box.y + box.height);
  if (x1 <= x0 || y1 <= y0) {
    throw new GeneratorError(
      "INVALID_IMAGE",
      `box ${JSON.stringify(box)} lies outside the ${W}×${H} image`,
    );
  }
  const cx = (x0 + x1) / 2,
    cy = (y0 + y1) / 2;
  const wanted = Math.max(x1 - x0, y1 - y0) * (1 + margin);
  if ((opts.border ?? "clamp") === "replicate") {
    const side = Math.max(1, Math.round(wanted));
    return { left: Math.round(cx - side / 2), top: Math.round(cy - side / 2), side };
  }
  const side = Math.max(1, Math.min(Math.round(wanted), W, H));
  const clamp = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  return {
    left: clamp(Math.round(cx - side / 2), W - side),
    top: clamp(Math.round(cy - side / 2), H - side),
    side,
  };
}

/**
 * Crops the box's square from an encoded image (PNG, JPEG, WebP, TIFF; raw pixel grid, EXIF
 * orientation not applied — boxes are in stored-pixel coordinates), resizes it to size×size
 * (bicubic) and returns float32 [3, size, size] in [-1, 1].
 */
export async function preprocessReference(
  bytes: Uint8Array,
  box: Box,
  opts: CropOptions,
): Promise<Float32Array> {
  const size = opts.size;
  if (!Number.isSafeInteger(size) || size < 1)
    throw invalid(`size must be a positive integer, got ${size}`);
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (err) {
    throw new GeneratorError(
      "INVALID_IMAGE",
      `reference image cannot be decoded: ${(err as Error).message}`,
    );
  }
  const W = meta.width,
    H = meta.height;
  if (!W || !H) throw new GeneratorError("INVALID_IMAGE", "reference image has no dimensions");
  const r = cropRect(box, { width: W, height: H }, opts);
  // Inside part of the square, then edge-replicated padding for any part outside the image.
  const ix0 = Math.max(0, r.left),
    iy0 = Math.max(0, r.top);
  const ix1 = Math.min(W, r.left + r.side),
    iy1 = Math.min(H, r.top + r.side);
  let img = sharp(bytes)
    .removeAlpha()
    .toColourspace("srgb")
    .extract({ left: ix0, top: iy0, width: ix1 - ix0, height: iy1 - iy0 });
  const pad = {
    left: ix0 - r.left,
    top: iy0 - r.top,
    right: r.left + r.side - ix1,
    bottom: r.top + r.side - iy1,
  };
  if (pad.left || pad.top || pad.right || pad.bottom) {
    // materialised between steps: within one sharp pipeline, resize runs before extend
    const inside = await img.raw().toBuffer({ resolveWithObject: true });
    const padded = await sharp(inside.data, {
      raw: { width: inside.info.width, height: inside.info.height, channels: inside.info.channels },
    })
      .extend({ ...pad, extendWith: "copy" })
      .raw()
      .toBuffer({ resolveWithObject: true });
    img = sharp(padded.data, {
      raw: { width: padded.info.width, height: padded.info.height, channels: padded.info.channels },
    });
  }
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await img
      .resize(size, size, { kernel: "cubic", fit: "fill" })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new GeneratorError(
      "INVALID_IMAGE",
      `reference image cannot be decoded: ${(err as Error).message}`,
    );
  }
  const { data, info } = out;
  if (info.channels !== 3 || info.width !== size || info.height !== size) {
    throw new GeneratorError(
      "INVALID_IMAGE",
      `unexpected decoded layout ${info.width}×${info.height}×${info.channels}`,
    );
  }
  const plane = size * size;
  const chw = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) chw[c * plane + p] = data[p * 3 + c]! / 127.5 - 1;
  }
  return chw;
}
