// Which way a host object runs inside its box. Insulator strings photographed from a UAV are often
// slanted: their axis-aligned box is mostly background, and only the diagonal the string runs
// along is on it. The two corners the string passes through differ from the background just
// outside the box; the other two corners are that background.
import type { Raster } from "./raster.ts";
import type { PixelBox } from "./placement.ts";

/** "down": from the top-left corner to the bottom-right one; "up": bottom-left to top-right. */
export type Diagonal = "down" | "up";

/** How much more the string's corners must differ from the surroundings than the other two. */
const CONTRAST = 1.25;

function meanColour(r: Raster, x0: number, y0: number, x1: number, y1: number): number[] | null {
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(r.height, Math.ceil(y1)); y++)
    for (let x = Math.max(0, Math.floor(x0)); x < Math.min(r.width, Math.ceil(x1)); x++) {
      const o = (y * r.width + x) * 3;
      sum[0]! += r.data[o]!;
      sum[1]! += r.data[o + 1]!;
      sum[2]! += r.data[o + 2]!;
      n++;
    }
  return n ? sum.map((s) => s / n) : null;
}

const distance = (a: number[], b: number[]) =>
  Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

/** The diagonal the object in `box` runs along, or null when the corners do not tell. */
export function objectDiagonal(r: Raster, box: PixelBox): Diagonal | null {
  const p = Math.max(2, Math.round(0.15 * Math.min(box.width, box.height)));
  const { x, y, width: w, height: h } = box;
  // the surroundings: bands just above and below the box (and beside it, when above and below are off the image)
  const ring =
    meanColour(r, x, y - p, x + w, y) && meanColour(r, x, y + h, x + w, y + h + p)
      ? [meanColour(r, x, y - p, x + w, y)!, meanColour(r, x, y + h, x + w, y + h + p)!]
      : [meanColour(r, x - p, y, x, y + h), meanColour(r, x + w, y, x + w + p, y + h)].filter(
          (c): c is number[] => c !== null,
        );
  if (ring.length === 0) return null;
  const around = [0, 1, 2].map((c) => ring.reduce((s, m) => s + m[c]!, 0) / ring.length);
  const corner = (cx: number, cy: number) => meanColour(r, cx, cy, cx + p, cy + p);
  const [tl, tr, bl, br] = [
    corner(x, y),
    corner(x + w - p, y),
    corner(x, y + h - p),
    corner(x + w - p, y + h - p),
  ];
  if (!tl || !tr || !bl || !br) return null;
  const down = distance(tl, around) + distance(br, around);
  const up = distance(bl, around) + distance(tr, around);
  if (down > up * CONTRAST) return "down";
  if (up > down * CONTRAST) return "up";
  return null;
}
