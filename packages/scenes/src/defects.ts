/**
 * Defect appearance generators. Each returns SVG markup plus the exact bounds of
 * what it paints, so annotation boxes come from the geometry rather than guesses.
 */
import { Bounds, fmt, intersect, polyPoints } from "./geometry.ts";
import type { BBox, Point } from "./geometry.ts";
import { MATERIALS, unitExtent, unitShapes } from "./parts.ts";
import type { InsulatorString, MaterialName } from "./parts.ts";
import type { Rng } from "./prng.ts";
import { op } from "./svg.ts";
import type { SvgDoc } from "./svg.ts";

export interface Painted {
  markup: string;
  bounds: BBox;
}

/** Irregular blob around a centre: the base shape for stains, scorch and rust. */
export function blob(rng: Rng, c: Point, rx: number, ry: number, lumps = 9): Point[] {
  const phase = rng.float(0, Math.PI * 2);
  return Array.from({ length: lumps }, (_, i) => {
    const t = phase + (i / lumps) * Math.PI * 2;
    const r = rng.float(0.6, 1.1);
    return { x: c.x + Math.cos(t) * rx * r, y: c.y + Math.sin(t) * ry * r };
  });
}

const RUST = ["#8b3a0f", "#a44a17", "#c0642a", "#6a2b0b", "#b5561b"];

/** Rust-coloured patches scattered over a region, clipped to the part they grow on. */
export function rustPatches(
  doc: SvgDoc,
  rng: Rng,
  region: BBox,
  clipShapes: string,
  clipBounds: BBox,
  size: number,
): Painted | null {
  const clip = doc.clip(clipShapes);
  const b = new Bounds();
  const parts: string[] = [];
  const n = rng.int(3, 7);
  for (let i = 0; i < n; i++) {
    const c = { x: rng.float(region.xmin, region.xmax), y: rng.float(region.ymin, region.ymax) };
    const r = size * rng.float(0.5, 1);
    const pts = blob(rng, c, r, r * rng.float(0.6, 1));
    b.points(pts);
    parts.push(
      `<polygon points="${polyPoints(pts)}" fill="${rng.pick(RUST)}" opacity="${op(rng.float(0.8, 0.95))}"/>`,
    );
    // Pitting: darker specks inside each patch.
    for (let k = 0; k < 3; k++) {
      parts.push(
        `<circle cx="${fmt(c.x + rng.float(-0.4, 0.4) * r)}" cy="${fmt(c.y + rng.float(-0.4, 0.4) * r)}" r="${fmt(r * rng.float(0.1, 0.22))}" fill="#4a1d06"/>`,
      );
    }
  }
  const bounds = intersect(b.toBox(), clipBounds);
  if (!bounds) return null;
  return { markup: `<g clip-path="url(#${clip})">${parts.join("")}</g>`, bounds };
}

/** Dark arc scorch across consecutive units, shaped like a flashover trail. */
export function flashoverBurn(
  doc: SvgDoc,
  rng: Rng,
  s: InsulatorString,
  first: number,
  count: number,
): BBox {
  const b = new Bounds();
  const offset = rng.float(-0.45, 0.45);
  for (let i = first; i < first + count; i++) {
    const un = s.units[i];
    if (!un) continue;
    const clip = doc.clip(unitShapes(un));
    const c = { x: un.cx + offset * un.rx + rng.float(-0.1, 0.1) * un.rx, y: un.cy + un.ry * 0.3 };
    const halo = blob(rng, c, un.rx * rng.float(0.6, 0.85), un.ry * 2.4, 14);
    const core = blob(
      rng,
      { x: c.x + rng.float(-0.1, 0.1) * un.rx, y: c.y },
      un.rx * rng.float(0.35, 0.55),
      un.ry * 1.8,
      11,
    );
    const hb = intersect(new Bounds().points(halo).toBox(), unitExtent(un));
    if (hb) b.box(hb);
    const arr = [
      `<polygon points="${polyPoints(halo)}" fill="#4a2a14" opacity="0.55"/>`,
      `<polygon points="${polyPoints(core)}" fill="#120a05" opacity="0.9"/>`,
    ];
    // Arc tracks: short dark streaks running down the surface.
    for (let k = 0, n = rng.int(2, 4); k < n; k++) {
      const x = c.x + rng.float(-0.4, 0.4) * un.rx;
      arr.push(
        `<path d="M${fmt(x)} ${fmt(un.cy - un.ry)}l${fmt(rng.float(-0.1, 0.1) * un.rx)} ${fmt(un.ry * 2.6)}" stroke="#0d0805" stroke-width="${fmt(un.rx * 0.07)}" opacity="0.8"/>`,
      );
    }
    const list = s.overlays.get(i) ?? [];
    list.push(`<g clip-path="url(#${clip})">${arr.join("")}</g>`);
    s.overlays.set(i, list);
  }
  return b.toBox();
}

/** Jagged crack over the top surface and rim of one disc. */
export function crack(rng: Rng, s: InsulatorString, index: number): BBox {
  const un = s.units[index];
  if (!un) throw new Error("crack on missing unit");
  const light = s.material === "glass";
  const theta = rng.float(0.2, 0.8) * Math.PI; // front half of the rim, facing the camera
  const rimX = un.cx + Math.cos(theta) * un.rx * 0.92;
  const pts: Point[] = [
    { x: rimX, y: un.cy + un.ry * 0.55 + Math.sin(theta) * un.ry * 0.9 },
    { x: rimX, y: un.cy + Math.sin(theta) * un.ry * 0.9 },
  ];
  const target = {
    x: un.cx + rng.float(-0.35, 0.35) * un.rx,
    y: un.cy - un.ry * rng.float(0.2, 0.6),
  };
  const steps = rng.int(4, 6);
  const start = pts[1] as Point;
  for (let k = 1; k <= steps; k++) {
    const t = k / steps;
    const x = start.x + (target.x - start.x) * t + rng.float(-0.09, 0.09) * un.rx;
    const y = start.y + (target.y - start.y) * t + rng.float(-0.2, 0.2) * un.ry;
    // Keep the crack on the visible disc surface.
    const nx = (x - un.cx) / un.rx;
    const ny = (y - un.cy) / un.ry;
    const r = Math.hypot(nx, ny);
    pts.push(
      r > 0.92
        ? { x: un.cx + (nx / r) * 0.92 * un.rx, y: un.cy + (ny / r) * 0.92 * un.ry }
        : { x, y },
    );
  }
  // A short side branch makes it read as a fracture rather than a scratch.
  const mid = pts[3] ?? start;
  const branch = { x: mid.x + rng.pick([-1, 1]) * un.rx * 0.22, y: mid.y - un.ry * 0.35 };
  const width = Math.max(0.9, un.rx * 0.07);
  const d =
    "M" +
    pts.map((p) => `${fmt(p.x)} ${fmt(p.y)}`).join("L") +
    `M${fmt(mid.x)} ${fmt(mid.y)}L${fmt(branch.x)} ${fmt(branch.y)}`;
  const edge = light ? "#0e2a27" : "#f1e6d6";
  const line = light ? "#f4fffd" : "#120b07";
  const markup =
    `<path d="${d}" stroke="${edge}" stroke-width="${fmt(width * 2.4)}" fill="none" stroke-linejoin="round" opacity="0.6"/>` +
    `<path d="${d}" stroke="${line}" stroke-width="${fmt(width)}" fill="none" stroke-linejoin="round"/>`;
  const list = s.overlays.get(index) ?? [];
  list.push(markup);
  s.overlays.set(index, list);
  return new Bounds().points([...pts, branch], width * 1.2).toBox();
}

/** Grey-white pollution film with speckles over consecutive units. */
export function contamination(
  doc: SvgDoc,
  rng: Rng,
  s: InsulatorString,
  first: number,
  count: number,
): BBox {
  const b = new Bounds();
  const tone = rng.pick(["#d8d6cc", "#c9c7bf", "#e4e2da", "#b7b5ad"]);
  const opacity = rng.float(0.62, 0.8);
  for (let i = first; i < first + count; i++) {
    const un = s.units[i];
    if (!un) continue;
    const clip = doc.clip(unitShapes(un));
    const parts = [`<g fill="${tone}" opacity="${op(opacity)}">${unitShapes(un)}</g>`];
    for (let k = 0, n = rng.int(6, 12); k < n; k++) {
      const a = rng.float(0, Math.PI * 2);
      const r = Math.sqrt(rng.next());
      parts.push(
        `<circle cx="${fmt(un.cx + Math.cos(a) * r * un.rx)}" cy="${fmt(un.cy + Math.sin(a) * r * un.ry + un.ry * 0.3)}" r="${fmt(un.rx * rng.float(0.04, 0.1))}" fill="${rng.pick(["#f6f5f0", "#8f8d86", "#a9a69c"])}"/>`,
      );
    }
    // Rain streaks through the film on the rim.
    parts.push(
      `<path d="M${fmt(un.cx - un.rx * 0.5)} ${fmt(un.cy + un.ry * 0.4)}l0 ${fmt(un.ry)}M${fmt(un.cx + un.rx * 0.2)} ${fmt(un.cy + un.ry * 0.5)}l0 ${fmt(un.ry * 0.9)}" stroke="#8d8b84" stroke-width="${fmt(un.rx * 0.05)}" opacity="0.6"/>`,
    );
    const list = s.overlays.get(i) ?? [];
    list.push(`<g clip-path="url(#${clip})">${parts.join("")}</g>`);
    s.overlays.set(i, list);
    b.box(unitExtent(un));
  }
  return b.toBox();
}

/** Mass of twigs sitting on a crossarm chord. */
export function birdNest(rng: Rng, c: Point, w: number, h: number, u: number): Painted {
  const b = new Bounds();
  const base = blob(rng, c, w * 0.45, h * 0.42, 12);
  b.points(base);
  const parts = [`<polygon points="${polyPoints(base)}" fill="#3a2817"/>`];
  const colors = ["#5c4128", "#7a5a36", "#8e6d45", "#4a331f", "#a3835a", "#6b5030"];
  const twigs = new Map<string, string[]>();
  const n = rng.int(45, 75);
  for (let i = 0; i < n; i++) {
    const a = rng.float(-0.6, 0.6) + (rng.chance(0.5) ? 0 : Math.PI);
    const len = w * rng.float(0.15, 0.45);
    const r = Math.sqrt(rng.next());
    const t = rng.float(0, Math.PI * 2);
    const p = { x: c.x + Math.cos(t) * r * w * 0.42, y: c.y + Math.sin(t) * r * h * 0.38 };
    const q = { x: p.x + Math.cos(a) * len, y: p.y + Math.sin(a) * len * 0.5 };
    const sw = u * rng.float(0.7, 1.5);
    b.point(p.x, p.y, sw / 2).point(q.x, q.y, sw / 2);
    const key = `${rng.pick(colors)}|${fmt(sw)}`;
    twigs.set(key, [...(twigs.get(key) ?? []), `M${fmt(p.x)} ${fmt(p.y)}L${fmt(q.x)} ${fmt(q.y)}`]);
  }
  // A few straws hanging below the chord.
  for (let i = 0, k = rng.int(2, 5); i < k; i++) {
    const p = { x: c.x + rng.float(-0.35, 0.35) * w, y: c.y + h * 0.25 };
    const q = { x: p.x + rng.float(-0.15, 0.15) * w, y: p.y + h * rng.float(0.3, 0.7) };
    b.point(p.x, p.y, u).point(q.x, q.y, u);
    const key = `#8e6d45|${fmt(u)}`;
    twigs.set(key, [...(twigs.get(key) ?? []), `M${fmt(p.x)} ${fmt(p.y)}L${fmt(q.x)} ${fmt(q.y)}`]);
  }
  for (const [key, ds] of twigs) {
    const [color, width] = key.split("|");
    parts.push(
      `<path d="${ds.join("")}" stroke="${color}" stroke-width="${width}" stroke-linecap="round" fill="none"/>`,
    );
  }
  return { markup: parts.join(""), bounds: b.toBox() };
}

/** A kite or a plastic bag caught on the conductor at p. */
export function foreignObject(rng: Rng, p: Point, angle: number, size: number, u: number): Painted {
  const b = new Bounds();
  const parts: string[] = [];
  const along = { x: Math.cos(angle), y: Math.sin(angle) };
  if (rng.chance(0.5)) {
    // Kite hanging from its tangled line.
    const colors = rng.pick([
      ["#d62828", "#fcbf49"],
      ["#1d4ed8", "#f8fafc"],
      ["#16a34a", "#facc15"],
      ["#9333ea", "#f97316"],
    ]) as string[];
    const tilt = rng.float(-0.5, 0.5);
    const c = { x: p.x + rng.float(-0.3, 0.3) * size, y: p.y + size * 0.75 };
    const rot = (x: number, y: number): Point => ({
      x: c.x + x * Math.cos(tilt) - y * Math.sin(tilt),
      y: c.y + x * Math.sin(tilt) + y * Math.cos(tilt),
    });
    const top = rot(0, -size * 0.55);
    const right = rot(size * 0.38, -size * 0.12);
    const bottom = rot(0, size * 0.5);
    const left = rot(-size * 0.38, -size * 0.12);
    const mid = rot(0, -size * 0.12);
    parts.push(`<polygon points="${polyPoints([top, right, bottom, mid])}" fill="${colors[0]}"/>`);
    parts.push(`<polygon points="${polyPoints([top, mid, bottom, left])}" fill="${colors[1]}"/>`);
    parts.push(
      `<path d="M${fmt(top.x)} ${fmt(top.y)}L${fmt(bottom.x)} ${fmt(bottom.y)}M${fmt(left.x)} ${fmt(left.y)}L${fmt(right.x)} ${fmt(right.y)}" stroke="#3b2f23" stroke-width="${fmt(u)}"/>`,
    );
    b.points([top, right, bottom, left]);
    // Line wrapped around the conductor, then down to the kite.
    const wraps: Point[] = [];
    for (let k = -2; k <= 2; k++) {
      wraps.push({
        x: p.x + along.x * k * size * 0.06,
        y: p.y + along.y * k * size * 0.06 + (k % 2 === 0 ? -1 : 1) * size * 0.05,
      });
    }
    wraps.push(top);
    parts.push(
      `<path d="M${wraps.map((q) => `${fmt(q.x)} ${fmt(q.y)}`).join("L")}" stroke="#f5f5f0" stroke-width="${fmt(u * 0.8)}" fill="none"/>`,
    );
    b.points(wraps, u);
    // Tail with bows.
    const tail: Point[] = [bottom];
    for (let k = 1; k <= 6; k++) {
      const prev = tail[tail.length - 1] as Point;
      tail.push({ x: prev.x + rng.float(-0.15, 0.15) * size, y: prev.y + size * 0.2 });
    }
    parts.push(
      `<path d="M${tail.map((q) => `${fmt(q.x)} ${fmt(q.y)}`).join("L")}" stroke="#3b2f23" stroke-width="${fmt(u * 0.7)}" fill="none"/>`,
    );
    for (let k = 2; k < tail.length; k += 2) {
      const q = tail[k] as Point;
      const bow = [
        { x: q.x - size * 0.08, y: q.y - size * 0.05 },
        { x: q.x + size * 0.08, y: q.y + size * 0.05 },
        { x: q.x + size * 0.08, y: q.y - size * 0.05 },
        { x: q.x - size * 0.08, y: q.y + size * 0.05 },
      ];
      parts.push(`<polygon points="${polyPoints(bow)}" fill="${colors[0]}"/>`);
      b.points(bow);
    }
    b.points(tail, u);
  } else {
    // Plastic bag snagged over the wire, bellying downward.
    const color = rng.pick(["#f2f2ee", "#e8eef5", "#5b8fd6", "#2b2b2b", "#d9534f"]);
    const c = { x: p.x, y: p.y + size * 0.35 };
    const body = blob(rng, c, size * 0.4, size * 0.45, 12);
    const handles = [
      { x: p.x - size * 0.25, y: p.y - size * 0.12 },
      { x: p.x - size * 0.05, y: p.y - size * 0.22 },
      { x: p.x + size * 0.2, y: p.y - size * 0.1 },
    ];
    parts.push(`<polygon points="${polyPoints(body)}" fill="${color}" opacity="0.92"/>`);
    parts.push(
      `<polygon points="${polyPoints([handles[0] as Point, handles[1] as Point, handles[2] as Point, { x: p.x, y: p.y + size * 0.1 }])}" fill="${color}" opacity="0.85"/>`,
    );
    const fold = blob(
      rng,
      { x: c.x - size * 0.1, y: c.y + size * 0.05 },
      size * 0.18,
      size * 0.25,
      7,
    );
    parts.push(`<polygon points="${polyPoints(fold)}" fill="#000000" opacity="0.15"/>`);
    const streamer = [
      { x: c.x + size * 0.1, y: c.y + size * 0.35 },
      { x: c.x + size * 0.2, y: c.y + size * 0.7 },
      { x: c.x + size * 0.05, y: c.y + size * 0.95 },
    ];
    parts.push(
      `<path d="M${streamer.map((q) => `${fmt(q.x)} ${fmt(q.y)}`).join("L")}" stroke="${color}" stroke-width="${fmt(size * 0.08)}" fill="none" opacity="0.85"/>`,
    );
    b.points(body)
      .points(handles)
      .points(streamer, size * 0.04);
  }
  return { markup: parts.join(""), bounds: b.toBox() };
}

export function isDiscMaterial(m: MaterialName): boolean {
  return MATERIALS[m].kind === "disc";
}
