// Where a new defect goes in a host image. With a host class (a defect that sits on an insulator,
// say), inside one of the host image's host-class boxes at the size ratio the real data shows
// between the two; otherwise where and how large the class's real boxes are (normalised to image
// size), redrawn until it overlaps no existing box by IoU 0.1 or more. Every draw comes from the
// sample's PRNG, so a placement is replayable.
import type { Xoshiro128StarStar } from "../sampling.ts";

export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A real box of the class relative to its image: centre and size in [0, 1]. */
export interface NormalisedBox {
  cx: number;
  cy: number;
  w: number;
  h: number;
}

export const MAX_OVERLAP_IOU = 0.1;
const MIN_SIDE = 6;
const PLACEMENT_TRIES = 64;

export interface PlacementInput {
  width: number;
  height: number;
  /** Every box of the host image. */
  existing: readonly PixelBox[];
  /** The class's real TRAIN boxes, normalised (at least one). */
  classBoxes: readonly NormalisedBox[];
  /**
   * The host image's boxes of the class's host class (with the diagonal the object runs along,
   * when known); with them, `sizeRatio` is needed.
   */
  hostObjects?: readonly (PixelBox & { diagonal?: "down" | "up" | null })[];
  /** sqrt(area of the defect box / area of the host-class box it lies on), from real data. */
  sizeRatio?: number;
  /** Width / height the new box must have (copy-paste keeps its source's); drawn otherwise. */
  aspect?: number;
}

export function iou(a: PixelBox, b: PixelBox): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

function between(rng: Xoshiro128StarStar, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.uniform01();
}

function pick<T>(rng: Xoshiro128StarStar, items: readonly T[]): T {
  return items[rng.uniformInt(items.length)]!;
}

function aspectOf(box: NormalisedBox, width: number, height: number): number {
  return (box.w * width) / Math.max(box.h * height, 1e-6);
}

/** Scales (w, h) down uniformly so that it fits in (maxW, maxH). */
function fit(w: number, h: number, maxW: number, maxH: number): [number, number] {
  const k = Math.min(1, maxW / w, maxH / h);
  return [Math.max(MIN_SIDE, Math.floor(w * k)), Math.max(MIN_SIDE, Math.floor(h * k))];
}

function clearOf(box: PixelBox, existing: readonly PixelBox[]): boolean {
  return existing.every((e) => iou(box, e) < MAX_OVERLAP_IOU);
}

function onHostObject(input: PlacementInput, rng: Xoshiro128StarStar): PixelBox {
  const host = pick(rng, input.hostObjects!);
  const real = pick(rng, input.classBoxes);
  const aspect = input.aspect ?? aspectOf(real, input.width, input.height);
  const side = input.sizeRatio! * Math.sqrt(host.width * host.height) * between(rng, 0.85, 1.15);
  const [w, h] = fit(
    side * Math.sqrt(aspect),
    side / Math.sqrt(aspect),
    Math.min(host.width, input.width),
    Math.min(host.height, input.height),
  );
  const x0 = Math.max(0, Math.ceil(host.x)),
    y0 = Math.max(0, Math.ceil(host.y));
  const x1 = Math.min(input.width, Math.floor(host.x + host.width)) - w;
  const y1 = Math.min(input.height, Math.floor(host.y + host.height)) - h;
  if (host.diagonal) {
    // along the object: a point of the diagonal, then kept inside the box
    const t = between(rng, 0.08, 0.92);
    const cx = host.x + t * host.width;
    const cy = host.y + (host.diagonal === "down" ? t : 1 - t) * host.height;
    const clamp = (v: number, lo: number, hi: number) =>
      Math.min(Math.max(v, lo), Math.max(lo, hi));
    return {
      x: clamp(Math.round(cx - w / 2), x0, x1),
      y: clamp(Math.round(cy - h / 2), y0, y1),
      width: w,
      height: h,
    };
  }
  return {
    x: x0 + rng.uniformInt(Math.max(1, x1 - x0 + 1)),
    y: y0 + rng.uniformInt(Math.max(1, y1 - y0 + 1)),
    width: w,
    height: h,
  };
}

/**
 * Size from a real box of the class; centre near that box's (or, when `anywhere`, anywhere in the
 * image: hosts whose own boxes sit where the class's usually do leave no room there).
 */
function likeRealBoxes(
  input: PlacementInput,
  rng: Xoshiro128StarStar,
  anywhere: boolean,
): PixelBox {
  const real = pick(rng, input.classBoxes);
  const { width: W, height: H } = input;
  const aspect = input.aspect ?? aspectOf(real, W, H);
  const side = Math.sqrt(real.w * W * real.h * H) * between(rng, 0.8, 1.2);
  const [w, h] = fit(side * Math.sqrt(aspect), side / Math.sqrt(aspect), W, H);
  const cx = (anywhere ? rng.uniform01() : real.cx + between(rng, -0.15, 0.15)) * W;
  const cy = (anywhere ? rng.uniform01() : real.cy + between(rng, -0.15, 0.15)) * H;
  return {
    x: Math.min(Math.max(0, Math.round(cx - w / 2)), W - w),
    y: Math.min(Math.max(0, Math.round(cy - h / 2)), H - h),
    width: w,
    height: h,
  };
}

/**
 * A placement inside the image (and inside a host-class box when the host has one), clear of the
 * existing boxes; null when none was found in a bounded number of draws (the caller takes
 * another host).
 */
export function choosePlacement(input: PlacementInput, rng: Xoshiro128StarStar): PixelBox | null {
  if (input.classBoxes.length === 0) throw new Error("a placement needs real boxes of the class");
  const onHost = (input.hostObjects?.length ?? 0) > 0 && (input.sizeRatio ?? 0) > 0;
  // On a host object, the other boxes to keep clear of are the defects already on it.
  const avoid = onHost
    ? input.existing.filter((e) => !input.hostObjects!.some((h) => sameBox(h, e)))
    : input.existing;
  for (let attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
    const box = onHost
      ? onHostObject(input, rng)
      : likeRealBoxes(input, rng, attempt >= PLACEMENT_TRIES / 2);
    if (box.width >= MIN_SIDE && box.height >= MIN_SIDE && clearOf(box, avoid)) return box;
  }
  return null;
}

function sameBox(a: PixelBox, b: PixelBox): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}
