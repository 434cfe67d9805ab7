/** Box arithmetic for the editor, in image pixels. Boxes always stay inside the image. */
import type { Box } from "./annotations.graphql";

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export type Handle = "n" | "s" | "e" | "w" | "ne" | "nw" | "se" | "sw";

export const HANDLES: readonly Handle[] = ["nw", "n", "ne", "e", "se", "s", "sw", "w"];

/** Smallest box the editor makes; a click without a drag makes none. */
export const MIN_BOX_SIZE = 2;

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** Whole pixels: annotators think in pixels and the numbers stay readable in exports. */
export function roundBox(box: Box): Box {
  const x = Math.round(box.x);
  const y = Math.round(box.y);
  return {
    x,
    y,
    width: Math.round(box.x + box.width) - x,
    height: Math.round(box.y + box.height) - y,
  };
}

export function clampPoint(point: Point, image: Size): Point {
  return { x: clamp(point.x, 0, image.width), y: clamp(point.y, 0, image.height) };
}

/** The box spanned by two corners, in either order, clipped to the image. */
export function boxFromCorners(a: Point, b: Point, image: Size): Box {
  const p = clampPoint(a, image);
  const q = clampPoint(b, image);
  return roundBox({
    x: Math.min(p.x, q.x),
    y: Math.min(p.y, q.y),
    width: Math.abs(p.x - q.x),
    height: Math.abs(p.y - q.y),
  });
}

/** Moves a box by (dx, dy), stopping at the image's edges without changing its size. */
export function moveBox(box: Box, dx: number, dy: number, image: Size): Box {
  return roundBox({
    x: clamp(box.x + dx, 0, Math.max(0, image.width - box.width)),
    y: clamp(box.y + dy, 0, Math.max(0, image.height - box.height)),
    width: box.width,
    height: box.height,
  });
}

/**
 * Drags one handle by (dx, dy). The opposite edge stays put; dragging past it flips the box
 * rather than giving it a negative size.
 */
export function resizeBox(box: Box, handle: Handle, dx: number, dy: number, image: Size): Box {
  let left = box.x;
  let top = box.y;
  let right = box.x + box.width;
  let bottom = box.y + box.height;
  if (handle.includes("w")) left += dx;
  if (handle.includes("e")) right += dx;
  if (handle.includes("n")) top += dy;
  if (handle.includes("s")) bottom += dy;
  return boxFromCorners({ x: left, y: top }, { x: right, y: bottom }, image);
}

export function isUsable(box: Box): boolean {
  return box.width >= MIN_BOX_SIZE && box.height >= MIN_BOX_SIZE;
}

export function sameBox(a: Box, b: Box): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}

/** Where a handle sits on the box. */
export function handlePoint(box: Box, handle: Handle): Point {
  const x = handle.includes("w")
    ? box.x
    : handle.includes("e")
      ? box.x + box.width
      : box.x + box.width / 2;
  const y = handle.includes("n")
    ? box.y
    : handle.includes("s")
      ? box.y + box.height
      : box.y + box.height / 2;
  return { x, y };
}

export function handleCursor(handle: Handle): string {
  switch (handle) {
    case "n":
    case "s":
      return "ns-resize";
    case "e":
    case "w":
      return "ew-resize";
    case "ne":
    case "sw":
      return "nesw-resize";
    default:
      return "nwse-resize";
  }
}
