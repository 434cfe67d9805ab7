/** Sky and terrain behind the line: varied so detectors do not learn a fixed background. */
import { fmt, polyPoints } from "./geometry.ts";
import type { Point } from "./geometry.ts";
import type { Rng } from "./prng.ts";
import { mix, op } from "./svg.ts";
import type { SvgDoc } from "./svg.ts";

export const TIMES_OF_DAY = ["morning", "noon", "golden", "overcast", "dusk"] as const;
export type TimeOfDay = (typeof TIMES_OF_DAY)[number];

export const TERRAINS = ["fields", "hills", "forest"] as const;
export type Terrain = (typeof TERRAINS)[number];

interface SkyPalette {
  top: string;
  horizon: string;
  cloud: string;
  cloudShade: string;
  sun: string | null;
  /** Whole-image tint that sells the light of the hour. */
  tint: string;
  tintOpacity: number;
  /** How far terrain colours fade toward the horizon colour. */
  haze: number;
}

const SKIES: Record<TimeOfDay, SkyPalette> = {
  morning: {
    top: "#6f9fd2",
    horizon: "#e4ecef",
    cloud: "#ffffff",
    cloudShade: "#c9d3de",
    sun: "#fff6dc",
    tint: "#fff2d8",
    tintOpacity: 0.05,
    haze: 0.35,
  },
  noon: {
    top: "#3b78c4",
    horizon: "#b8d5ee",
    cloud: "#ffffff",
    cloudShade: "#cfd8e3",
    sun: null,
    tint: "#ffffff",
    tintOpacity: 0,
    haze: 0.25,
  },
  golden: {
    top: "#5b7eb0",
    horizon: "#f2c088",
    cloud: "#fde3c4",
    cloudShade: "#c99a86",
    sun: "#ffd890",
    tint: "#ff9a3c",
    tintOpacity: 0.1,
    haze: 0.4,
  },
  overcast: {
    top: "#8c96a2",
    horizon: "#d4d8dc",
    cloud: "#e3e6e9",
    cloudShade: "#9ea5ad",
    sun: null,
    tint: "#8a9099",
    tintOpacity: 0.08,
    haze: 0.5,
  },
  dusk: {
    top: "#2d3c63",
    horizon: "#e39a6c",
    cloud: "#b58a97",
    cloudShade: "#5a4a66",
    sun: "#ffb070",
    tint: "#2a2450",
    tintOpacity: 0.16,
    haze: 0.45,
  },
};

const GROUND_PALETTES = [
  { far: "#6d8a5e", mid: "#5d7d3e", near: "#6f8f3a", stripe: "#87a24a", tree: "#2f4a26" },
  { far: "#8a9070", mid: "#9c9a55", near: "#b3a55c", stripe: "#c9b870", tree: "#3d4d2a" },
  { far: "#718674", mid: "#4f7048", near: "#5a7a3c", stripe: "#6d8e45", tree: "#243d22" },
  { far: "#8d8a78", mid: "#8a7d56", near: "#a08a5a", stripe: "#b59c68", tree: "#3e4630" },
];

export interface Backdrop {
  timeOfDay: TimeOfDay;
  terrain: Terrain;
  horizonY: number;
  sky: SkyPalette;
}

export function planBackdrop(rng: Rng, height: number): Backdrop {
  const timeOfDay = rng.pick(TIMES_OF_DAY);
  return {
    timeOfDay,
    terrain: rng.pick(TERRAINS),
    horizonY: height * rng.float(0.58, 0.78),
    sky: SKIES[timeOfDay],
  };
}

export function drawSky(doc: SvgDoc, rng: Rng, b: Backdrop, scale: number): void {
  const { width: W, height: H } = doc;
  const sky = doc.linearGradient(
    [
      [0, b.sky.top],
      [1, b.sky.horizon],
    ],
    0,
    0,
    0,
    b.horizonY,
    true,
  );
  doc.add(`<rect width="${W}" height="${H}" fill="url(#${sky})"/>`);
  if (b.sky.sun) {
    const sx = W * rng.float(0.05, 0.95);
    const sy =
      b.timeOfDay === "morning" ? H * rng.float(0.05, 0.3) : b.horizonY - H * rng.float(0.05, 0.2);
    const glow = doc.radialGradient(
      [
        [0, b.sky.sun, 0.95],
        [0.12, b.sky.sun, 0.8],
        [1, b.sky.sun, 0],
      ],
      sx,
      sy,
      160 * scale,
      true,
    );
    doc.add(
      `<circle cx="${fmt(sx)}" cy="${fmt(sy)}" r="${fmt(160 * scale)}" fill="url(#${glow})"/>`,
    );
  }
  const clouds = b.timeOfDay === "overcast" ? rng.int(6, 10) : rng.int(0, 5);
  for (let i = 0; i < clouds; i++) {
    const cx = rng.float(-0.1, 1.1) * W;
    const cy = rng.float(0.04, 0.85) * b.horizonY;
    // Perspective: clouds near the horizon look flatter and smaller.
    const depth = 1 - (cy / b.horizonY) * 0.6;
    const size = rng.float(30, 70) * scale * depth;
    const puffs: string[] = [];
    const shade: string[] = [];
    const n = rng.int(4, 8);
    for (let k = 0; k < n; k++) {
      const px = cx + rng.float(-1.6, 1.6) * size;
      const py = cy + rng.float(-0.35, 0.2) * size;
      const rx = rng.float(0.6, 1.1) * size;
      const ry = rx * rng.float(0.45, 0.65);
      shade.push(
        `<ellipse cx="${fmt(px)}" cy="${fmt(py + ry * 0.35)}" rx="${fmt(rx)}" ry="${fmt(ry * 0.8)}"/>`,
      );
      puffs.push(
        `<ellipse cx="${fmt(px)}" cy="${fmt(py)}" rx="${fmt(rx * 0.95)}" ry="${fmt(ry)}"/>`,
      );
    }
    const alpha = rng.float(0.55, 0.9);
    doc.add(`<g fill="${b.sky.cloudShade}" opacity="${op(alpha)}">${shade.join("")}</g>`);
    doc.add(`<g fill="${b.sky.cloud}" opacity="${op(alpha * 0.9)}">${puffs.join("")}</g>`);
  }
}

/** Smooth random ridge line across the image width. */
function ridge(rng: Rng, W: number, base: number, amplitude: number, steps = 28): Point[] {
  const waves = Array.from({ length: 3 }, (_, i) => ({
    a: (amplitude * rng.float(0.3, 1)) / (i + 1),
    f: ((i + 1) * rng.float(1.2, 2.6) * Math.PI) / W,
    p: rng.float(0, Math.PI * 2),
  }));
  const pts: Point[] = [];
  for (let i = 0; i <= steps; i++) {
    const x = (i / steps) * W;
    let y = base;
    for (const w of waves) y -= w.a * (0.5 + 0.5 * Math.sin(w.f * x + w.p));
    pts.push({ x, y });
  }
  return pts;
}

function groundPolygon(line: Point[], W: number, H: number): string {
  return polyPoints([...line, { x: W, y: H + 2 }, { x: 0, y: H + 2 }]);
}

export function drawTerrain(doc: SvgDoc, rng: Rng, b: Backdrop, scale: number): void {
  const { width: W, height: H } = doc;
  const pal = rng.pick(GROUND_PALETTES);
  const hz = b.horizonY;
  const haze = (c: string, amount: number) => mix(c, b.sky.horizon, amount);

  // Far range: hazy, faded toward the sky colour.
  const far = ridge(rng, W, hz, (b.terrain === "hills" ? 70 : 30) * scale);
  doc.add(
    `<polygon points="${groundPolygon(far, W, H)}" fill="${haze(pal.far, b.sky.haze + 0.25)}"/>`,
  );

  const midBase = hz + H * 0.04;
  const mid = ridge(rng, W, midBase, (b.terrain === "hills" ? 55 : 18) * scale);
  const midGrad = doc.linearGradient(
    [
      [0, haze(pal.mid, b.sky.haze)],
      [1, pal.near],
    ],
    0,
    midBase - 60 * scale,
    0,
    H,
    true,
  );
  doc.add(`<polygon points="${groundPolygon(mid, W, H)}" fill="url(#${midGrad})"/>`);

  if (b.terrain === "forest" || (b.terrain === "hills" && rng.chance(0.5))) {
    drawTreeLine(doc, rng, mid, haze(pal.tree, b.sky.haze * 0.6), scale, 1);
  }

  const nearBase = hz + (H - hz) * rng.float(0.3, 0.55);
  const near = ridge(rng, W, nearBase, 14 * scale);
  const nearPoly = groundPolygon(near, W, H);
  doc.add(`<polygon points="${nearPoly}" fill="${pal.near}"/>`);

  if (b.terrain === "fields") {
    // Crop rows converge on a vanishing point at the horizon.
    const clip = doc.clip(`<polygon points="${nearPoly}"/>`);
    const vx = W * rng.float(-0.5, 1.5);
    const rows: string[] = [];
    const n = rng.int(10, 22);
    for (let i = 0; i < n; i += 2) {
      const x0 = -W * 1.5 + (i / n) * W * 4;
      const x1 = -W * 1.5 + ((i + 1) / n) * W * 4;
      rows.push(
        `<polygon points="${fmt(vx)},${fmt(hz)} ${fmt(x0)},${fmt(H)} ${fmt(x1)},${fmt(H)}"/>`,
      );
    }
    doc.add(
      `<g clip-path="url(#${clip})" fill="${pal.stripe}" opacity="0.55">${rows.join("")}</g>`,
    );
  } else if (b.terrain === "forest") {
    drawTreeLine(doc, rng, near, pal.tree, scale, 1.6);
  } else {
    // Scattered shrubs on grassy hills.
    const shrubs: string[] = [];
    for (let i = 0, n = rng.int(8, 20); i < n; i++) {
      const x = rng.float(0, W);
      const y = rng.float(nearBase, H);
      const r = rng.float(3, 7) * scale * (1 + (y - nearBase) / (H - nearBase + 1));
      shrubs.push(`<ellipse cx="${fmt(x)}" cy="${fmt(y)}" rx="${fmt(r * 1.4)}" ry="${fmt(r)}"/>`);
    }
    doc.add(`<g fill="${pal.tree}" opacity="0.75">${shrubs.join("")}</g>`);
  }
}

function drawTreeLine(
  doc: SvgDoc,
  rng: Rng,
  line: Point[],
  color: string,
  scale: number,
  size: number,
): void {
  const W = doc.width;
  const crowns: string[] = [];
  const light: string[] = [];
  let x = -5;
  while (x < W + 5) {
    const seg = Math.min(line.length - 2, Math.max(0, Math.floor((x / W) * (line.length - 1))));
    const a = line[seg] as Point;
    const c = line[seg + 1] as Point;
    const t = Math.min(1, Math.max(0, (x - a.x) / (c.x - a.x || 1)));
    const y = a.y + (c.y - a.y) * t;
    const rx = rng.float(4, 8) * scale * size;
    const ry = rx * rng.float(1.1, 1.7);
    const cy = y - ry * rng.float(0.2, 0.7);
    crowns.push(`<ellipse cx="${fmt(x)}" cy="${fmt(cy)}" rx="${fmt(rx)}" ry="${fmt(ry)}"/>`);
    light.push(
      `<ellipse cx="${fmt(x - rx * 0.3)}" cy="${fmt(cy - ry * 0.3)}" rx="${fmt(rx * 0.5)}" ry="${fmt(ry * 0.5)}"/>`,
    );
    x += rx * rng.float(0.9, 1.5);
  }
  doc.add(`<g fill="${color}">${crowns.join("")}</g>`);
  doc.add(`<g fill="${mix(color, "#d8e6a0", 0.25)}" opacity="0.5">${light.join("")}</g>`);
}

export function drawTint(doc: SvgDoc, b: Backdrop): void {
  if (b.sky.tintOpacity > 0) {
    doc.add(
      `<rect width="${doc.width}" height="${doc.height}" fill="${b.sky.tint}" opacity="${op(b.sky.tintOpacity)}"/>`,
    );
  }
}
