/** Drawing of grid hardware: tower lattice, insulator strings, conductors, dampers. */
import { Bounds, fmt, polyPoints } from "./geometry.ts";
import type { BBox, Point } from "./geometry.ts";
import { mix } from "./svg.ts";
import type { SvgDoc } from "./svg.ts";

// ---------------------------------------------------------------- materials

export type MaterialName =
  "porcelain_brown" | "porcelain_white" | "glass" | "composite_grey" | "composite_red";

export interface Material {
  kind: "disc" | "composite";
  dark: string;
  mid: string;
  light: string;
  under: string;
}

export const MATERIALS: Record<MaterialName, Material> = {
  porcelain_brown: {
    kind: "disc",
    dark: "#3e1d12",
    mid: "#7e4029",
    light: "#c27d5a",
    under: "#2e150d",
  },
  porcelain_white: {
    kind: "disc",
    dark: "#7f7c75",
    mid: "#cfccc3",
    light: "#f7f5ef",
    under: "#6a675f",
  },
  glass: { kind: "disc", dark: "#1b524d", mid: "#3f8f86", light: "#b4ece2", under: "#153f3b" },
  composite_grey: {
    kind: "composite",
    dark: "#55595d",
    mid: "#8f9397",
    light: "#d0d3d6",
    under: "#44474a",
  },
  composite_red: {
    kind: "composite",
    dark: "#5e2418",
    mid: "#9c4434",
    light: "#d9826d",
    under: "#4a1c12",
  },
};

export const METAL = { dark: "#4f555b", mid: "#9aa1a8", light: "#d5dade" };

// ---------------------------------------------------------------- tower

export interface Member {
  a: Point;
  b: Point;
  w: number;
}

export interface Tower {
  cx: number;
  /** Top chord height where the crossarm meets the body. */
  yTop: number;
  /** Bottom chord height: strings hang from here. */
  yBot: number;
  armL: number;
  bw: number;
  peakY: number;
  /** Heavy front members eligible for corrosion patches. */
  heavyMembers: Member[];
  earthPeaks: Point[];
}

export function drawTower(doc: SvgDoc, t: Tower, u: number, steel: string, backShift: Point): void {
  const H = doc.height;
  const bottom = H + 12 * u;
  const bwB = t.bw + (bottom - t.yTop) * 0.16;
  const half = (y: number) => t.bw + ((y - t.yTop) * (bwB - t.bw)) / (bottom - t.yTop);
  const topHalf = t.bw * 0.45;
  const heavy: Member[] = [];
  const light: Member[] = [];
  const seg = (list: Member[], a: Point, b: Point, w: number) => list.push({ a, b, w });

  // Body below the crossarm: legs plus X-braced panels growing toward the ground.
  const levels = [t.yBot];
  let panel = 34 * u;
  while ((levels[levels.length - 1] as number) < bottom) {
    levels.push((levels[levels.length - 1] as number) + panel);
    panel *= 1.18;
  }
  for (const side of [-1, 1]) {
    seg(
      heavy,
      { x: t.cx + side * topHalf, y: t.peakY },
      { x: t.cx + side * t.bw, y: t.yTop },
      4 * u,
    );
    seg(heavy, { x: t.cx + side * t.bw, y: t.yTop }, { x: t.cx + side * bwB, y: bottom }, 4.5 * u);
  }
  for (let k = 0; k + 1 < levels.length; k++) {
    const y0 = levels[k] as number;
    const y1 = levels[k + 1] as number;
    seg(light, { x: t.cx - half(y0), y: y0 }, { x: t.cx + half(y0), y: y0 }, 2.2 * u);
    seg(light, { x: t.cx - half(y0), y: y0 }, { x: t.cx + half(y1), y: y1 }, 1.6 * u);
    seg(light, { x: t.cx + half(y0), y: y0 }, { x: t.cx - half(y1), y: y1 }, 1.6 * u);
  }
  // Top section up to the earth-wire peak.
  const midY = (t.yTop + t.peakY) / 2;
  const midHalf = (t.bw + topHalf) / 2;
  seg(light, { x: t.cx - t.bw, y: t.yTop }, { x: t.cx + midHalf, y: midY }, 1.5 * u);
  seg(light, { x: t.cx + t.bw, y: t.yTop }, { x: t.cx - midHalf, y: midY }, 1.5 * u);
  seg(light, { x: t.cx - midHalf, y: midY }, { x: t.cx + topHalf, y: t.peakY }, 1.5 * u);
  seg(light, { x: t.cx + midHalf, y: midY }, { x: t.cx - topHalf, y: t.peakY }, 1.5 * u);
  seg(light, { x: t.cx - midHalf, y: midY }, { x: t.cx + midHalf, y: midY }, 1.8 * u);
  const ew = topHalf * 2.6;
  seg(heavy, { x: t.cx - ew, y: t.peakY }, { x: t.cx + ew, y: t.peakY }, 3 * u);
  seg(light, { x: t.cx - ew, y: t.peakY }, { x: t.cx - topHalf, y: t.peakY + 12 * u }, 1.5 * u);
  seg(light, { x: t.cx + ew, y: t.peakY }, { x: t.cx + topHalf, y: t.peakY + 12 * u }, 1.5 * u);
  t.earthPeaks = [
    { x: t.cx - ew, y: t.peakY },
    { x: t.cx + ew, y: t.peakY },
  ];

  // Crossarms: horizontal bottom chord, sloping top chord, zig-zag web.
  const armH = t.yBot - t.yTop;
  const armMembers: Member[] = [];
  for (const side of [-1, 1]) {
    const root = t.cx + side * t.bw;
    const tip = t.cx + side * t.armL;
    const tipTop = t.yBot - armH * 0.22;
    const bottomChord = { a: { x: root, y: t.yBot }, b: { x: tip, y: t.yBot }, w: 3.6 * u };
    seg(heavy, bottomChord.a, bottomChord.b, bottomChord.w);
    armMembers.push(bottomChord);
    seg(heavy, { x: root, y: t.yTop }, { x: tip, y: tipTop }, 3.2 * u);
    seg(light, { x: tip, y: tipTop }, { x: tip, y: t.yBot }, 2 * u);
    const m = Math.max(3, Math.round(Math.abs(tip - root) / (armH * 1.1)));
    for (let j = 0; j < m; j++) {
      const xa = root + ((tip - root) * j) / m;
      const xb = root + ((tip - root) * (j + 1)) / m;
      const topAt = (x: number) => t.yTop + ((x - root) / (tip - root)) * (tipTop - t.yTop);
      if (j % 2 === 0) seg(light, { x: xa, y: t.yBot }, { x: xb, y: topAt(xb) }, 1.5 * u);
      else seg(light, { x: xa, y: topAt(xa) }, { x: xb, y: t.yBot }, 1.5 * u);
      if (j > 0) seg(light, { x: xa, y: t.yBot }, { x: xa, y: topAt(xa) }, 1.2 * u);
    }
  }

  const pathOf = (list: Member[], dx = 0, dy = 0) =>
    list
      .map((m) => `M${fmt(m.a.x + dx)} ${fmt(m.a.y + dy)}L${fmt(m.b.x + dx)} ${fmt(m.b.y + dy)}`)
      .join("");
  const byWidth = (list: Member[], color: string, dx = 0, dy = 0, widthScale = 1) => {
    const groups = new Map<string, Member[]>();
    for (const m of list) {
      const key = fmt(m.w * widthScale);
      groups.set(key, [...(groups.get(key) ?? []), m]);
    }
    for (const [w, ms] of groups) {
      doc.add(
        `<path d="${pathOf(ms, dx, dy)}" stroke="${color}" stroke-width="${w}" stroke-linecap="round" fill="none"/>`,
      );
    }
  };
  // Back face first, paler and thinner, to give the lattice depth.
  byWidth([...heavy, ...light], mix(steel, "#c8ced4", 0.45), backShift.x, backShift.y, 0.7);
  byWidth(light, steel);
  byWidth(heavy, mix(steel, "#2c3136", 0.25));
  // Sunlit edge on heavy members.
  byWidth(heavy, mix(steel, "#ffffff", 0.35), -0.6 * u, -0.6 * u, 0.35);

  const H2 = doc.height;
  t.heavyMembers = [
    ...armMembers,
    ...heavy.filter((m) => Math.abs(m.b.y - m.a.y) > 40 * u && m.a.y < H2 && m.a.y >= t.yTop - 1),
  ];
}

export function drawDistantTower(
  doc: SvgDoc,
  base: Point,
  height: number,
  armHalf: number,
  color: string,
): Point[] {
  const h = height;
  const bw = h * 0.16;
  const top = base.y - h;
  const armY = base.y - h * 0.72;
  const p = (x: number, y: number) => `${fmt(x)} ${fmt(y)}`;
  const d =
    `M${p(base.x - bw, base.y)}L${p(base.x - bw * 0.3, top)}L${p(base.x + bw * 0.3, top)}L${p(base.x + bw, base.y)}` +
    `M${p(base.x - armHalf, armY)}L${p(base.x + armHalf, armY)}` +
    `M${p(base.x - bw * 0.8, base.y - h * 0.25)}L${p(base.x + bw * 0.6, base.y - h * 0.5)}` +
    `M${p(base.x + bw * 0.8, base.y - h * 0.25)}L${p(base.x - bw * 0.6, base.y - h * 0.5)}`;
  doc.add(
    `<path d="${d}" stroke="${color}" stroke-width="${fmt(Math.max(1, h * 0.028))}" fill="none" opacity="0.9"/>`,
  );
  return [
    { x: base.x - armHalf * 0.9, y: armY + h * 0.12 },
    { x: base.x + armHalf * 0.9, y: armY + h * 0.12 },
  ];
}

// ---------------------------------------------------------------- conductors

export interface Span {
  pts: Point[];
  cum: number[];
  width: number;
}

/**
 * Catenary span in screen space: the chord between supports plus a catenary-shaped
 * sag that vanishes at both ends (the usual inclined-span approximation).
 */
export function catenarySpan(
  a: Point,
  b: Point,
  sagFraction: number,
  width: number,
  samples = 40,
): Span {
  const chord = Math.hypot(b.x - a.x, b.y - a.y);
  const depth = sagFraction * chord;
  const c = 1.2; // shape parameter: larger means flatter near the middle
  const denom = Math.cosh(c) - 1;
  const pts: Point[] = [];
  const cum: number[] = [];
  for (let i = 0; i <= samples; i++) {
    const t = i / samples;
    const sag = (depth * (Math.cosh(c) - Math.cosh(c * (2 * t - 1)))) / denom;
    const p = { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t + sag };
    const prev = pts[pts.length - 1];
    cum.push(prev ? (cum[cum.length - 1] as number) + Math.hypot(p.x - prev.x, p.y - prev.y) : 0);
    pts.push(p);
  }
  return { pts, cum, width };
}

export function spanLength(s: Span): number {
  return s.cum[s.cum.length - 1] as number;
}

/** Point and tangent angle (radians) at an arc-length distance from the span start. */
export function spanAt(s: Span, dist: number): { p: Point; angle: number } {
  let i = 1;
  while (i < s.cum.length - 1 && (s.cum[i] as number) < dist) i++;
  const a = s.pts[i - 1] as Point;
  const b = s.pts[i] as Point;
  const l0 = s.cum[i - 1] as number;
  const l1 = s.cum[i] as number;
  const t = l1 > l0 ? Math.min(1, Math.max(0, (dist - l0) / (l1 - l0))) : 0;
  return {
    p: { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t },
    angle: Math.atan2(b.y - a.y, b.x - a.x),
  };
}

export function drawSpan(doc: SvgDoc, s: Span, color: string, opacity = 1): void {
  const d = "M" + s.pts.map((p) => `${fmt(p.x)} ${fmt(p.y)}`).join("L");
  const o = opacity < 1 ? ` opacity="${opacity}"` : "";
  doc.add(
    `<path d="${d}" stroke="${color}" stroke-width="${fmt(s.width)}" fill="none" stroke-linecap="round"${o}/>`,
  );
  if (s.width > 2) {
    doc.add(
      `<path d="${d}" stroke="${mix(color, "#ffffff", 0.45)}" stroke-width="${fmt(s.width * 0.3)}" fill="none" transform="translate(0 ${fmt(-s.width * 0.22)})"${o}/>`,
    );
  }
}

// ---------------------------------------------------------------- insulator strings

export interface Unit {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
}

export interface InsulatorString {
  x: number;
  yAttach: number;
  material: MaterialName;
  units: Unit[];
  radius: number;
  pitch: number;
  capH: number;
  clamp: { x: number; y: number; w: number; h: number };
  bounds: BBox;
  /** Indices of discs that are missing (drawn as a bare pin). */
  missing: Set<number>;
  /** Defect markup drawn right after a given unit so lower discs still overlap it. */
  overlays: Map<number, string[]>;
  /** Markup drawn on top of the clamp. */
  clampOverlays: string[];
}

export function layoutString(
  x: number,
  yAttach: number,
  material: MaterialName,
  radius: number,
  count: number,
  u: number,
): InsulatorString {
  const mat = MATERIALS[material];
  const units: Unit[] = [];
  const link = 10 * u;
  let pitch: number;
  let capH: number;
  let y: number;
  if (mat.kind === "disc") {
    // Standard cap-and-pin spacing is ~0.57 of the disc diameter, leaving the caps visible between sheds.
    pitch = radius * 0.82;
    capH = radius * 0.42;
    y = yAttach + link + capH + radius * 0.28;
    for (let i = 0; i < count; i++)
      units.push({ cx: x, cy: y + i * pitch, rx: radius, ry: radius * 0.28 });
  } else {
    pitch = radius * 0.36;
    capH = radius * 0.9; // end fitting length
    y = yAttach + link + capH + radius * 0.25;
    for (let i = 0; i < count; i++) {
      const rx = i % 2 === 0 ? radius * 0.85 : radius * 0.6;
      units.push({ cx: x, cy: y + i * pitch, rx, ry: rx * 0.28 });
    }
  }
  const last = units[units.length - 1] as Unit;
  const lastBottom = unitExtent(last).ymax + (mat.kind === "composite" ? capH : 0);
  const clampH = radius * 0.55;
  const clamp = { x, y: lastBottom + radius * 0.6 + clampH / 2, w: radius * 1.5, h: clampH };
  const bounds = new Bounds()
    .point(x - radius, yAttach)
    .point(x + radius, clamp.y + clampH / 2)
    .toBox();
  return {
    x,
    yAttach,
    material,
    units,
    radius,
    pitch,
    capH,
    clamp,
    bounds,
    missing: new Set(),
    overlays: new Map(),
    clampOverlays: [],
  };
}

/** Visible extent of one disc or shed: top surface plus the rim below it. */
export function unitExtent(un: Unit): BBox {
  return {
    xmin: un.cx - un.rx,
    ymin: un.cy - un.ry,
    xmax: un.cx + un.rx,
    ymax: un.cy + un.ry * 1.55,
  };
}

/** Clip-path shapes covering a unit's visible surface. */
export function unitShapes(un: Unit): string {
  return (
    `<ellipse cx="${fmt(un.cx)}" cy="${fmt(un.cy + un.ry * 0.55)}" rx="${fmt(un.rx * 0.97)}" ry="${fmt(un.ry)}"/>` +
    `<ellipse cx="${fmt(un.cx)}" cy="${fmt(un.cy)}" rx="${fmt(un.rx)}" ry="${fmt(un.ry)}"/>`
  );
}

export interface StringPaints {
  surface: string;
  metal: string;
  glare: boolean;
}

export function stringPaints(doc: SvgDoc, material: MaterialName): StringPaints {
  const m = MATERIALS[material];
  const surface = doc.linearGradient(
    [
      [0, m.dark],
      [0.22, m.mid],
      [0.42, m.light],
      [0.68, m.mid],
      [1, m.dark],
    ],
    0,
    0,
    1,
    0,
  );
  const metal = doc.linearGradient(
    [
      [0, METAL.dark],
      [0.4, METAL.light],
      [1, METAL.dark],
    ],
    0,
    0,
    1,
    0,
  );
  return { surface, metal, glare: material === "glass" };
}

export function drawString(doc: SvgDoc, s: InsulatorString, paints: StringPaints): void {
  const mat = MATERIALS[s.material];
  const R = s.radius;
  const out: string[] = [];
  const rect = (x: number, y: number, w: number, h: number, fill: string, r = 0) =>
    `<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(w)}" height="${fmt(h)}"${r ? ` rx="${fmt(r)}"` : ""} fill="${fill}"/>`;
  const first = s.units[0] as Unit;
  const last = s.units[s.units.length - 1] as Unit;
  // Attachment link from the crossarm.
  out.push(rect(s.x - R * 0.1, s.yAttach, R * 0.2, first.cy - s.yAttach, `url(#${paints.metal})`));
  out.push(
    `<circle cx="${fmt(s.x)}" cy="${fmt(s.yAttach + R * 0.12)}" r="${fmt(R * 0.16)}" fill="${METAL.dark}"/>`,
  );
  if (mat.kind === "composite") {
    const rodTop = first.cy - s.capH * 0.6;
    const rodBottom = last.cy + s.capH * 0.6;
    out.push(rect(s.x - R * 0.09, rodTop, R * 0.18, rodBottom - rodTop, mat.dark));
    out.push(
      rect(
        s.x - R * 0.17,
        first.cy - s.capH - R * 0.2,
        R * 0.34,
        s.capH,
        `url(#${paints.metal})`,
        R * 0.05,
      ),
    );
    out.push(
      rect(s.x - R * 0.17, last.cy + R * 0.3, R * 0.34, s.capH, `url(#${paints.metal})`, R * 0.05),
    );
  }
  s.units.forEach((un, i) => {
    if (mat.kind === "disc") {
      const capTop = un.cy - un.ry * 0.2 - s.capH;
      if (s.missing.has(i)) {
        // Shattered or dropped shell: only the steel cap and pin remain.
        out.push(rect(un.cx - R * 0.07, capTop, R * 0.14, s.pitch + un.ry * 0.4, METAL.dark));
        out.push(
          rect(un.cx - R * 0.18, capTop, R * 0.36, s.capH * 0.7, `url(#${paints.metal})`, R * 0.05),
        );
      } else {
        out.push(
          rect(un.cx - R * 0.18, capTop, R * 0.36, s.capH, `url(#${paints.metal})`, R * 0.05),
        );
        out.push(
          `<ellipse cx="${fmt(un.cx)}" cy="${fmt(un.cy + un.ry * 0.55)}" rx="${fmt(un.rx * 0.97)}" ry="${fmt(un.ry)}" fill="${mat.under}"/>`,
        );
        out.push(
          `<ellipse cx="${fmt(un.cx)}" cy="${fmt(un.cy)}" rx="${fmt(un.rx)}" ry="${fmt(un.ry)}" fill="url(#${paints.surface})"/>`,
        );
        out.push(
          `<ellipse cx="${fmt(un.cx - un.rx * 0.35)}" cy="${fmt(un.cy - un.ry * 0.15)}" rx="${fmt(un.rx * 0.22)}" ry="${fmt(un.ry * 0.35)}" fill="#ffffff" opacity="${paints.glare ? 0.5 : 0.22}"/>`,
        );
      }
    } else {
      out.push(
        `<ellipse cx="${fmt(un.cx)}" cy="${fmt(un.cy + un.ry * 0.55)}" rx="${fmt(un.rx * 0.97)}" ry="${fmt(un.ry)}" fill="${mat.under}"/>`,
      );
      out.push(
        `<ellipse cx="${fmt(un.cx)}" cy="${fmt(un.cy)}" rx="${fmt(un.rx)}" ry="${fmt(un.ry)}" fill="url(#${paints.surface})"/>`,
      );
    }
    out.push(...(s.overlays.get(i) ?? []));
  });
  // Yoke and suspension clamp gripping the conductor.
  const c = s.clamp;
  const lastBottom = unitExtent(last).ymax + (mat.kind === "composite" ? s.capH : 0);
  out.push(rect(c.x - R * 0.1, lastBottom - R * 0.1, R * 0.2, c.y - lastBottom, METAL.dark));
  out.push(rect(c.x - c.w / 2, c.y - c.h / 2, c.w, c.h, `url(#${paints.metal})`, c.h * 0.4));
  out.push(
    `<circle cx="${fmt(c.x - c.w * 0.28)}" cy="${fmt(c.y)}" r="${fmt(c.h * 0.16)}" fill="${METAL.dark}"/>`,
  );
  out.push(
    `<circle cx="${fmt(c.x + c.w * 0.28)}" cy="${fmt(c.y)}" r="${fmt(c.h * 0.16)}" fill="${METAL.dark}"/>`,
  );
  out.push(...s.clampOverlays);
  doc.add(`<g>${out.join("")}</g>`);
}

// ---------------------------------------------------------------- vibration dampers

export type DamperState = "ok" | "missing_weight" | "bent";

export interface DamperShape {
  markup: string;
  bounds: BBox;
  /** Clip shapes of the weights, for corrosion patches. */
  weights: string;
  weightsBounds: BBox;
}

/** Stockbridge damper hanging under the conductor at p, aligned with the span tangent. */
export function damperShape(
  p: Point,
  angle: number,
  size: number,
  state: DamperState,
  brokenSide: number,
  bend: number,
): DamperShape {
  // Orient the local frame so local +y always points toward the ground.
  let a = angle;
  if (Math.cos(a) < 0) a += Math.PI;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const w = (lx: number, ly: number): Point => ({
    x: p.x + lx * cos - ly * sin,
    y: p.y + lx * sin + ly * cos,
  });
  const deg = (a * 180) / Math.PI;
  const d = size;
  const b = new Bounds();
  const wb = new Bounds();
  const parts: string[] = [];
  const weights: string[] = [];
  // Clamp body.
  const clamp = [
    w(-0.45 * d, -0.5 * d),
    w(0.45 * d, -0.5 * d),
    w(0.35 * d, 1.2 * d),
    w(-0.35 * d, 1.2 * d),
  ];
  b.points(clamp);
  const cable = (from: Point, to: Point) => {
    parts.push(
      `<path d="M${fmt(from.x)} ${fmt(from.y)}L${fmt(to.x)} ${fmt(to.y)}" stroke="#5d6267" stroke-width="${fmt(d * 0.28)}" stroke-linecap="round"/>`,
    );
    b.point(from.x, from.y, d * 0.14).point(to.x, to.y, d * 0.14);
  };
  const weight = (c: Point, rot: number, outward: number) => {
    const neck = {
      x: c.x - outward * Math.cos((rot * Math.PI) / 180) * d * 0.9,
      y: c.y - outward * Math.sin((rot * Math.PI) / 180) * d * 0.9,
    };
    const shapes =
      `<ellipse cx="${fmt(neck.x)}" cy="${fmt(neck.y)}" rx="${fmt(d * 0.75)}" ry="${fmt(d * 0.38)}" transform="rotate(${fmt(rot)} ${fmt(neck.x)} ${fmt(neck.y)})"/>` +
      `<ellipse cx="${fmt(c.x)}" cy="${fmt(c.y)}" rx="${fmt(d * 1.05)}" ry="${fmt(d * 0.58)}" transform="rotate(${fmt(rot)} ${fmt(c.x)} ${fmt(c.y)})"/>`;
    weights.push(shapes);
    parts.push(`<g fill="#474c52">${shapes}</g>`);
    parts.push(
      `<ellipse cx="${fmt(c.x)}" cy="${fmt(c.y)}" rx="${fmt(d * 0.7)}" ry="${fmt(d * 0.18)}" transform="rotate(${fmt(rot)} ${fmt(c.x)} ${fmt(c.y)}) translate(0 ${fmt(-d * 0.25)})" fill="#9aa0a6"/>`,
    );
    for (const bb of [b, wb])
      bb.ellipse(neck.x, neck.y, d * 0.75, d * 0.38, rot).ellipse(
        c.x,
        c.y,
        d * 1.05,
        d * 0.58,
        rot,
      );
  };
  const hub = w(0, 1.1 * d);
  for (const side of [-1, 1]) {
    const broken = state !== "ok" && side === brokenSide;
    if (broken && state === "missing_weight") {
      // Weight slipped off: a short frayed messenger-cable stub is left.
      const end = w(side * 1.7 * d, 1.35 * d);
      cable(hub, end);
      const fray1 = w(side * 2.2 * d, 1.9 * d);
      const fray2 = w(side * 2.3 * d, 1.2 * d);
      parts.push(
        `<path d="M${fmt(end.x)} ${fmt(end.y)}L${fmt(fray1.x)} ${fmt(fray1.y)}M${fmt(end.x)} ${fmt(end.y)}L${fmt(fray2.x)} ${fmt(fray2.y)}" stroke="#7a7f84" stroke-width="${fmt(d * 0.12)}"/>`,
      );
      b.point(fray1.x, fray1.y, d * 0.06).point(fray2.x, fray2.y, d * 0.06);
    } else if (broken && state === "bent") {
      // Messenger cable kinked: the weight droops steeply toward the ground.
      const dx = Math.cos(bend) * side;
      const dy = Math.sin(bend);
      const end = w(dx * 2.6 * d, 1.1 * d + dy * 2.6 * d);
      cable(hub, end);
      weight(end, deg + side * ((bend * 180) / Math.PI), side);
    } else {
      const end = w(side * 2.8 * d, 1.15 * d);
      cable(hub, end);
      weight(w(side * 2.6 * d, 1.2 * d), deg, side);
    }
  }
  parts.push(`<polygon points="${polyPoints(clamp)}" fill="#6f757b"/>`);
  return {
    markup: parts.join(""),
    bounds: b.toBox(),
    weights: weights.join(""),
    weightsBounds: wb.empty ? b.toBox() : wb.toBox(),
  };
}
