/** Scene composition: lays out one inspection view, places defects, and emits SVG + boxes. */
import sharp from "sharp";
import { drawSky, drawTerrain, drawTint, planBackdrop } from "./backdrop.ts";
import type { Terrain, TimeOfDay } from "./backdrop.ts";
import { INSULATOR_CLASS } from "./classes.ts";
import type { DefectClassName, ObjectClassName } from "./classes.ts";
import {
  birdNest,
  contamination,
  crack,
  flashoverBurn,
  foreignObject,
  isDiscMaterial,
  rustPatches,
} from "./defects.ts";
import { classWeights, sampleDefects } from "./distribution.ts";
import type { DistributionOptions } from "./distribution.ts";
import { Bounds, fmt, overlaps, polyPoints } from "./geometry.ts";
import type { BBox, Point } from "./geometry.ts";
import {
  catenarySpan,
  damperShape,
  drawDistantTower,
  drawSpan,
  drawString,
  drawTower,
  layoutString,
  spanAt,
  spanLength,
  stringPaints,
  unitExtent,
} from "./parts.ts";
import type {
  DamperShape,
  DamperState,
  InsulatorString,
  MaterialName,
  Span,
  Tower,
} from "./parts.ts";
import { createRng } from "./prng.ts";
import { SvgDoc, mix } from "./svg.ts";

export interface SceneOptions extends DistributionOptions {
  /** Image width in pixels. Default 640. */
  width?: number;
  /** Image height in pixels. Default 480. */
  height?: number;
  /** Fewest defects per image. Default 1. */
  minDefects?: number;
  /** Most defects per image. Default 3. */
  maxDefects?: number;
  /** Exact defect list for this image; overrides sampling from the distribution. */
  defects?: readonly DefectClassName[];
  /** Emit normal-part boxes (class `insulator`, one per string) for context. Default true. */
  includeNormalParts?: boolean;
}

/**
 * Box in pixel-edge coordinates, 0-based: the object covers pixel columns
 * xmin..xmax-1 and rows ymin..ymax-1, so 0 <= xmin < xmax <= width.
 */
export interface SceneObject {
  name: ObjectClassName;
  bbox: BBox;
  /** The object extends past the image border and its box was clipped. */
  truncated: boolean;
}

export interface SceneMeta {
  timeOfDay: TimeOfDay;
  terrain: Terrain;
  material: MaterialName;
  strings: number;
  /** Defects sampled for the scene but impossible to place (rare; only with crowded requests). */
  dropped: DefectClassName[];
}

export interface ComposedScene {
  svg: string;
  width: number;
  height: number;
  objects: SceneObject[];
  meta: SceneMeta;
}

export interface RenderedScene {
  png: Buffer;
  width: number;
  height: number;
  objects: SceneObject[];
  meta: SceneMeta;
}

export const DEFAULT_WIDTH = 640;
export const DEFAULT_HEIGHT = 480;

const INSULATOR_DEFECTS: ReadonlySet<DefectClassName> = new Set([
  "missing_cap",
  "flashover_burn",
  "crack",
  "contamination",
]);

interface DamperSlot {
  span: Span;
  dist: number;
  state: DamperState;
  brokenSide: number;
  bend: number;
  shape: DamperShape;
  overlays: string[];
}

/** Builds the scene SVG and its annotations; pure and synchronous, the PNG step is separate. */
export function composeScene(seed: number | string, options: SceneOptions = {}): ComposedScene {
  const W = Math.round(options.width ?? DEFAULT_WIDTH);
  const H = Math.round(options.height ?? DEFAULT_HEIGHT);
  if (!(W >= 64 && H >= 64 && W <= 8192 && H <= 8192))
    throw new Error(`image size must be 64..8192 px, got ${W}x${H}`);
  const root = createRng(seed);
  const doc = new SvgDoc(W, H);

  // Each concern draws from its own stream so tweaking one layer never reshuffles the others.
  const wanted = options.defects
    ? [...options.defects]
    : sampleDefects(
        root.fork("classes"),
        classWeights(options),
        options.minDefects ?? 1,
        options.maxDefects ?? 3,
      );
  const rng = root.fork("layout");
  const s = Math.min(W, H) / 480;
  const u = s * rng.float(0.85, 1.2);

  const backdrop = planBackdrop(rng, H);

  // ---- tower layout
  const margin = 26 * u;
  const cx = W * rng.float(0.4, 0.6);
  const yTop = H * rng.float(0.12, 0.24);
  const armH = 22 * u;
  const tower: Tower = {
    cx,
    yTop,
    yBot: yTop + armH,
    armL: Math.min(W * rng.float(0.32, 0.44), cx - margin, W - cx - margin),
    bw: 26 * u,
    peakY: yTop - 75 * u,
    heavyMembers: [],
    earthPeaks: [],
  };

  // ---- insulator strings
  const needsDiscs = wanted.includes("missing_cap") || wanted.includes("crack");
  let material = rng.pick<MaterialName>([
    "porcelain_brown",
    "porcelain_brown",
    "porcelain_white",
    "glass",
    "glass",
    "composite_grey",
    "composite_red",
  ]);
  if (needsDiscs && !isDiscMaterial(material))
    material = rng.pick<MaterialName>(["porcelain_brown", "porcelain_white", "glass"]);
  const disc = isDiscMaterial(material);
  const radius = (disc ? 16 : 13) * u * rng.float(0.9, 1.1);
  let count = disc ? rng.int(7, 12) : rng.int(14, 22);
  const xs: number[] = [];
  const innerRoom = tower.armL - tower.bw > radius * 5;
  for (const side of [-1, 1]) {
    xs.push(cx + side * (tower.armL - 8 * u));
    if (innerRoom && rng.chance(0.45))
      xs.push(cx + side * (tower.bw + (tower.armL - tower.bw) * 0.42));
  }
  xs.sort((a, b) => a - b);
  let strings = xs.map((x) => layoutString(x, tower.yBot, material, radius, count, u));
  // Keep strings (and their clamps) above the bottom edge on short images.
  while (count > (disc ? 4 : 8) && (strings[0] as InsulatorString).clamp.y > H * 0.86) {
    count--;
    strings = xs.map((x) => layoutString(x, tower.yBot, material, radius, count, u));
  }
  const paints = stringPaints(doc, material);

  // ---- conductors: the line runs toward the camera on one side and away on the other.
  const dir = rng.chance(0.5) ? 1 : -1;
  const farH = (H * 0.13 * u) / s;
  const farBase = {
    x: Math.min(W * 0.97, Math.max(W * 0.03, cx - dir * W * rng.float(0.25, 0.5))),
    y: backdrop.horizonY + farH * 0.08,
  };
  const nearDrop = H * rng.float(0.08, 0.5);
  const nearReach = W * rng.float(0.9, 1.3);
  const nearSpans: Span[] = [];
  const farSpans: Span[] = [];
  for (const st of strings) {
    const c = { x: st.clamp.x, y: st.clamp.y };
    const near = {
      x: c.x + dir * nearReach + (c.x - cx) * 0.7,
      y: c.y + nearDrop + (c.x - cx) * dir * 0.15,
    };
    nearSpans.push(catenarySpan(c, near, rng.float(0.05, 0.09), 3.2 * u));
    const far = { x: farBase.x + (c.x - cx) * 0.12, y: farBase.y - farH * 0.6 };
    farSpans.push(catenarySpan(c, far, 0.03, 2 * u));
  }

  // ---- defect placement
  const place = root.fork("defects");
  const reserved: BBox[] = strings.map((st) => st.bounds);
  const objects: { name: ObjectClassName; box: BBox }[] = [];
  const dropped: DefectClassName[] = [];
  const usedUnits = strings.map(() => new Set<number>());
  const towerOverlays: string[] = [];
  const conductorOverlays: string[] = [];
  const dampers: DamperSlot[] = [];
  const corrodedClamps = new Set<number>();
  const inImage = (b: BBox, pad = 2) =>
    b.xmin >= pad && b.ymin >= pad && b.xmax <= W - pad && b.ymax <= H - pad;
  const free = (b: BBox, pad = 2) => inImage(b) && !reserved.some((r) => overlaps(r, b, pad));

  const pickUnits = (kind: DefectClassName): { si: number; first: number; n: number } | null => {
    for (let attempt = 0; attempt < 30; attempt++) {
      const si = place.int(0, strings.length - 1);
      const st = strings[si] as InsulatorString;
      const total = st.units.length;
      const n =
        kind === "contamination"
          ? place.int(2, Math.min(5, total - 1))
          : kind === "flashover_burn"
            ? place.int(1, 3)
            : 1;
      const lo = kind === "missing_cap" ? 1 : 0;
      const hi = kind === "missing_cap" ? total - 2 : total - n;
      if (hi < lo) continue;
      const first = place.int(lo, hi);
      let clash = false;
      for (let i = first - 1; i <= first + n; i++) if (usedUnits[si]?.has(i)) clash = true;
      if (clash) continue;
      const ext = new Bounds();
      for (let i = first; i < first + n; i++)
        ext.box(unitExtent(st.units[i] as (typeof st.units)[number]));
      if (!inImage(ext.toBox(), 0)) continue;
      for (let i = first; i < first + n; i++) usedUnits[si]?.add(i);
      return { si, first, n };
    }
    return null;
  };

  const makeDamper = (state: DamperState): DamperSlot | null => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const si = place.int(0, strings.length - 1);
      const span = (place.chance(0.6) ? nearSpans : farSpans)[si] as Span;
      const st = strings[si] as InsulatorString;
      const dist = st.radius * place.float(3.2, 6);
      if (dist > spanLength(span) * 0.6) continue;
      const at = spanAt(span, dist);
      const shape = damperShape(
        at.p,
        at.angle,
        6.5 * u,
        state,
        place.chance(0.5) ? 1 : -1,
        place.float(0.6, 1.1),
      );
      if (!free(shape.bounds)) continue;
      const slot: DamperSlot = { span, dist, state, brokenSide: 0, bend: 0, shape, overlays: [] };
      dampers.push(slot);
      reserved.push(shape.bounds);
      return slot;
    }
    return null;
  };

  const placeDefect = (kind: DefectClassName): BBox | null => {
    if (INSULATOR_DEFECTS.has(kind)) {
      const spot = pickUnits(kind);
      if (!spot) return null;
      const st = strings[spot.si] as InsulatorString;
      if (kind === "missing_cap") {
        st.missing.add(spot.first);
        return unitExtent(st.units[spot.first] as (typeof st.units)[number]);
      }
      if (kind === "crack") return crack(place, st, spot.first);
      if (kind === "flashover_burn") return flashoverBurn(doc, place, st, spot.first, spot.n);
      return contamination(doc, place, st, spot.first, spot.n);
    }
    if (kind === "broken_damper") {
      const state: DamperState = place.chance(0.5) ? "missing_weight" : "bent";
      return makeDamper(state)?.shape.bounds ?? null;
    }
    if (kind === "corrosion") {
      for (let attempt = 0; attempt < 12; attempt++) {
        const target = place.weightedIndex([0.35, 0.3, 0.35]);
        if (target === 0) {
          const si = place.int(0, strings.length - 1);
          if (corrodedClamps.has(si)) continue;
          const st = strings[si] as InsulatorString;
          const c = st.clamp;
          const box = {
            xmin: c.x - c.w / 2,
            ymin: c.y - c.h / 2,
            xmax: c.x + c.w / 2,
            ymax: c.y + c.h / 2,
          };
          if (!inImage(box)) continue;
          const clip = `<rect x="${fmt(box.xmin)}" y="${fmt(box.ymin)}" width="${fmt(c.w)}" height="${fmt(c.h)}" rx="${fmt(c.h * 0.4)}"/>`;
          const rust = rustPatches(doc, place, box, clip, box, c.h * 0.6);
          if (!rust) continue;
          corrodedClamps.add(si);
          st.clampOverlays.push(rust.markup);
          return rust.bounds;
        }
        if (target === 1) {
          const slot = makeDamper("ok");
          if (!slot) continue;
          const rust = rustPatches(
            doc,
            place,
            slot.shape.weightsBounds,
            slot.shape.weights,
            slot.shape.weightsBounds,
            6.5 * u * 0.9,
          );
          if (!rust) continue;
          slot.overlays.push(rust.markup);
          return rust.bounds;
        }
        const m = tower.heavyMembers.length ? place.pick(tower.heavyMembers) : null;
        if (!m) continue;
        const len = Math.hypot(m.b.x - m.a.x, m.b.y - m.a.y);
        const patchLen = Math.min(len * 0.5, 40 * u * place.float(0.6, 1.2));
        const t0 = place.float(0, 1 - patchLen / len);
        const t1 = t0 + patchLen / len;
        const p0 = { x: m.a.x + (m.b.x - m.a.x) * t0, y: m.a.y + (m.b.y - m.a.y) * t0 };
        const p1 = { x: m.a.x + (m.b.x - m.a.x) * t1, y: m.a.y + (m.b.y - m.a.y) * t1 };
        const nx = -(m.b.y - m.a.y) / len;
        const ny = (m.b.x - m.a.x) / len;
        const hw = m.w * 0.5 + 0.8 * u;
        const quad: Point[] = [
          { x: p0.x + nx * hw, y: p0.y + ny * hw },
          { x: p1.x + nx * hw, y: p1.y + ny * hw },
          { x: p1.x - nx * hw, y: p1.y - ny * hw },
          { x: p0.x - nx * hw, y: p0.y - ny * hw },
        ];
        const qb = new Bounds().points(quad).toBox();
        if (!free(qb)) continue;
        const rust = rustPatches(
          doc,
          place,
          new Bounds().point(p0.x, p0.y).point(p1.x, p1.y).toBox(),
          `<polygon points="${polyPoints(quad)}"/>`,
          qb,
          hw * 1.6,
        );
        if (!rust) continue;
        towerOverlays.push(rust.markup);
        reserved.push(rust.bounds);
        return rust.bounds;
      }
      return null;
    }
    if (kind === "bird_nest") {
      for (let attempt = 0; attempt < 25; attempt++) {
        const w = place.float(30, 44) * u;
        const h = w * place.float(0.45, 0.6);
        const x = cx + place.float(-tower.armL + w * 0.5, tower.armL - w * 0.5);
        const c = { x, y: tower.yBot - h * 0.3 };
        const probe = { xmin: x - w * 0.6, ymin: c.y - h * 0.6, xmax: x + w * 0.6, ymax: c.y + h };
        if (!free(probe)) continue;
        const nest = birdNest(place, c, w, h, u);
        if (!inImage(nest.bounds, 0)) continue;
        towerOverlays.push(nest.markup);
        reserved.push(nest.bounds);
        return nest.bounds;
      }
      return null;
    }
    // foreign_object
    for (let attempt = 0; attempt < 30; attempt++) {
      const si = place.int(0, strings.length - 1);
      const span = (place.chance(0.7) ? nearSpans : farSpans)[si] as Span;
      const at = spanAt(span, spanLength(span) * place.float(0.12, 0.6));
      const obj = foreignObject(place, at.p, at.angle, place.float(26, 42) * u, u);
      if (!free(obj.bounds, 4)) continue;
      conductorOverlays.push(obj.markup);
      reserved.push(obj.bounds);
      return obj.bounds;
    }
    return null;
  };

  for (const kind of wanted) {
    const box = placeDefect(kind);
    if (box) objects.push({ name: kind, box });
    else dropped.push(kind);
  }
  // Healthy dampers for context, so a damper alone is not a defect cue.
  for (let i = 0, n = place.int(0, strings.length); i < n; i++) makeDamper("ok");

  // ---- paint, back to front
  const paint = root.fork("paint");
  drawSky(doc, paint, backdrop, s);
  drawTerrain(doc, paint, backdrop, s);
  const haze = mix("#4f575f", backdrop.sky.horizon, 0.35);
  const farArms = drawDistantTower(doc, farBase, farH, tower.armL * 0.12, haze);
  const steel = paint.pick(["#7d858c", "#8a9197", "#6f777e"]);
  const wire = paint.pick(["#3a3d40", "#4a4d50", "#2f3337"]);
  for (const sp of farSpans) drawSpan(doc, sp, mix(wire, backdrop.sky.horizon, 0.2));
  const backShift = { x: -dir * 5 * u, y: -4 * u };
  drawTower(doc, tower, u, steel, backShift);
  // Earth wires from the peak to the far tower and toward the camera.
  for (const [i, p] of tower.earthPeaks.entries()) {
    const far = farArms[i] ?? farBase;
    drawSpan(doc, catenarySpan(p, { x: far.x, y: far.y - farH * 0.3 }, 0.02, 1.3 * u), wire, 0.9);
    drawSpan(
      doc,
      catenarySpan(
        p,
        { x: p.x + dir * nearReach + (p.x - cx) * 0.7, y: p.y + nearDrop * 0.8 },
        0.05,
        1.6 * u,
      ),
      wire,
      0.9,
    );
  }
  for (const m of towerOverlays) doc.add(m);
  for (const sp of nearSpans) drawSpan(doc, sp, wire);
  for (const st of strings) drawString(doc, st, paints);
  for (const d of dampers) doc.add(d.shape.markup + d.overlays.join(""));
  for (const m of conductorOverlays) doc.add(m);
  drawTint(doc, backdrop);

  // ---- annotations
  const final: SceneObject[] = [];
  const push = (name: ObjectClassName, box: BBox) => {
    const clipped = {
      xmin: Math.max(0, Math.floor(box.xmin)),
      ymin: Math.max(0, Math.floor(box.ymin)),
      xmax: Math.min(W, Math.ceil(box.xmax)),
      ymax: Math.min(H, Math.ceil(box.ymax)),
    };
    if (clipped.xmax - clipped.xmin < 2 || clipped.ymax - clipped.ymin < 2) return;
    const truncated = box.xmin < 0 || box.ymin < 0 || box.xmax > W || box.ymax > H;
    final.push({ name, bbox: clipped, truncated });
  };
  if (options.includeNormalParts ?? true)
    for (const st of strings) push(INSULATOR_CLASS.name, st.bounds);
  for (const o of objects) push(o.name, o.box);

  return {
    svg: doc.toString(),
    width: W,
    height: H,
    objects: final,
    meta: {
      timeOfDay: backdrop.timeOfDay,
      terrain: backdrop.terrain,
      material,
      strings: strings.length,
      dropped,
    },
  };
}

/** Renders one scene to PNG. Same seed and options give byte-identical PNG and boxes. */
export async function renderScene(
  seed: number | string,
  options: SceneOptions = {},
): Promise<RenderedScene> {
  const scene = composeScene(seed, options);
  const png = await svgToPng(scene.svg);
  return {
    png,
    width: scene.width,
    height: scene.height,
    objects: scene.objects,
    meta: scene.meta,
  };
}

export function svgToPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg)).removeAlpha().png({ compressionLevel: 6 }).toBuffer();
}
