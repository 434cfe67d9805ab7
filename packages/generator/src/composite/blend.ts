// Pastes an instance into a host raster: the instance square (object centred, longest side at
// 1 / (1 + INSTANCE_MARGIN) of the square, as reference crops and generator outputs have it) is
// warped onto the placement box with its margin (flip, small rotation), colour-jittered, its
// colour statistics moved towards the host's surroundings, and blended with an alpha that is 1
// inside the box and feathers to 0 across the margin. Plain float arithmetic with fixed rounding:
// the same inputs give the same pixels in any process.
import type { Raster } from "./raster.ts";
import { sampleBilinear } from "./raster.ts";
import type { PixelBox } from "./placement.ts";

/** The margin around the object in reference crops and generator outputs (REFERENCE_CROP). */
export const INSTANCE_MARGIN = 0.25;

export interface InstanceTransform {
  flip: boolean;
  /** Degrees, counter-clockwise. */
  rotation: number;
  /** Additive, as a share of the 0..255 range. */
  brightness: number;
  /** Multiplicative around mid-grey: 1 + contrast. */
  contrast: number;
  /** Multiplicative around the pixel's luma: 1 + saturation. */
  saturation: number;
}

export const IDENTITY_TRANSFORM: InstanceTransform = {
  flip: false,
  rotation: 0,
  brightness: 0,
  contrast: 0,
  saturation: 0,
};

export interface BlendParams {
  /** Feathered band, as a share of the margin around the box (the rest of the margin is unused). */
  feather: number;
  /**
   * How far inside the box the fade starts, as a share of the box's shorter side (a real
   * instance's box also holds the background around the defect, which should not show as a
   * rectangle). Absent in composites made before it existed: a quarter band, as then.
   */
  inner?: number;
  /** How far the instance's colour statistics move to the surroundings' (0: none, 1: all the way). */
  colourStrength: number;
}

export const DEFAULT_BLEND: BlendParams = { feather: 1, colourStrength: 0.5, inner: 0.2 };

export interface ChannelStats {
  mean: [number, number, number];
  std: [number, number, number];
}

/** What the colour transfer measured and applied (recorded in the lineage). */
export interface ColourTransfer {
  surroundings: ChannelStats;
  instance: ChannelStats;
  strength: number;
}

interface Patch {
  left: number;
  top: number;
  side: number;
  colour: Float32Array;
  alpha: Float32Array;
}

function smoothstep(t: number): number {
  const x = Math.min(1, Math.max(0, t));
  return x * x * (3 - 2 * x);
}

/** Signed distance of a pixel centre to the box outline: negative inside. */
function signedDistance(box: PixelBox, x: number, y: number): number {
  const dx = Math.max(box.x - x, x - (box.x + box.width));
  const dy = Math.max(box.y - y, y - (box.y + box.height));
  if (dx <= 0 && dy <= 0) return Math.max(dx, dy);
  return Math.hypot(Math.max(dx, 0), Math.max(dy, 0));
}

function jitter(rgb: [number, number, number], t: InstanceTransform): void {
  const luma = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
  for (let c = 0; c < 3; c++) {
    const saturated = luma + (rgb[c]! - luma) * (1 + t.saturation);
    rgb[c] = (saturated - 127.5) * (1 + t.contrast) + 127.5 + t.brightness * 255;
  }
}

/** The instance warped onto the box's square (with margin), and its alpha. */
function warpInstance(
  instance: Raster,
  box: PixelBox,
  t: InstanceTransform,
  blend: BlendParams,
): Patch {
  const longest = Math.max(box.width, box.height);
  const side = Math.max(1, Math.round(longest * (1 + INSTANCE_MARGIN)));
  const cx = box.x + box.width / 2,
    cy = box.y + box.height / 2;
  const left = Math.round(cx - side / 2),
    top = Math.round(cy - side / 2);
  const band = Math.max(1, ((longest * INSTANCE_MARGIN) / 2) * blend.feather);
  const inside = Math.max(band / 4, (blend.inner ?? 0) * Math.min(box.width, box.height));
  const cos = Math.cos((t.rotation * Math.PI) / 180),
    sin = Math.sin((t.rotation * Math.PI) / 180);
  const colour = new Float32Array(side * side * 3);
  const alpha = new Float32Array(side * side);
  const rgb: [number, number, number] = [0, 0, 0];
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const px = left + x + 0.5,
        py = top + y + 0.5;
      // 1 from `inside` within the outline inwards, 0 at the band's far edge
      const i = y * side + x;
      alpha[i] = 1 - smoothstep((signedDistance(box, px, py) + inside) / (band + inside));
      if (alpha[i] === 0) continue;
      let u = (px - cx) / side,
        v = (py - cy) / side;
      [u, v] = [cos * u + sin * v, -sin * u + cos * v];
      if (t.flip) u = -u;
      for (let c = 0; c < 3; c++)
        rgb[c] = sampleBilinear(
          instance,
          (u + 0.5) * instance.width,
          (v + 0.5) * instance.height,
          c,
        );
      jitter(rgb, t);
      colour.set(rgb, i * 3);
    }
  return { left, top, side, colour, alpha };
}

function stats(sums: number[], squares: number[], weight: number): ChannelStats {
  const w = Math.max(weight, 1e-9);
  const mean = [0, 1, 2].map((c) => sums[c]! / w) as [number, number, number];
  const std = [0, 1, 2].map((c) => Math.sqrt(Math.max(squares[c]! / w - mean[c]! ** 2, 0))) as [
    number,
    number,
    number,
  ];
  return { mean, std };
}

/** Statistics of the host around the box (inside the patch, outside the box) and of the visible instance. */
function measure(host: Raster, patch: Patch, box: PixelBox): Omit<ColourTransfer, "strength"> {
  const hs = [0, 0, 0],
    hq = [0, 0, 0],
    is = [0, 0, 0],
    iq = [0, 0, 0];
  let hw = 0,
    iw = 0;
  for (let y = 0; y < patch.side; y++) {
    const hy = patch.top + y;
    if (hy < 0 || hy >= host.height) continue;
    for (let x = 0; x < patch.side; x++) {
      const hx = patch.left + x;
      if (hx < 0 || hx >= host.width) continue;
      const i = y * patch.side + x;
      const a = patch.alpha[i]!;
      const inside = signedDistance(box, hx + 0.5, hy + 0.5) < 0;
      for (let c = 0; c < 3; c++) {
        if (!inside) {
          const h = host.data[(hy * host.width + hx) * 3 + c]!;
          hs[c]! += h;
          hq[c]! += h * h;
        }
        const v = patch.colour[i * 3 + c]!;
        is[c]! += a * v;
        iq[c]! += a * v * v;
      }
      if (!inside) hw++;
      iw += a;
    }
  }
  return { surroundings: stats(hs, hq, hw), instance: stats(is, iq, iw) };
}

export interface RenderedComposite {
  raster: Raster;
  colourTransfer: ColourTransfer;
}

/** The host with the instance blended onto `box`; the host raster is not modified. */
export function blendInstance(
  host: Raster,
  instance: Raster,
  box: PixelBox,
  transform: InstanceTransform,
  blend: BlendParams,
): RenderedComposite {
  const patch = warpInstance(instance, box, transform, blend);
  const measured = measure(host, patch, box);
  const k = blend.colourStrength;
  const { surroundings: s, instance: m } = measured;
  const gain = [0, 1, 2].map((c) => {
    const ratio = s.std[c]! / Math.max(m.std[c]!, 1);
    return Math.min(1.33, Math.max(0.75, ratio)) ** k;
  });
  const out = new Uint8Array(host.data);
  for (let y = 0; y < patch.side; y++) {
    const hy = patch.top + y;
    if (hy < 0 || hy >= host.height) continue;
    for (let x = 0; x < patch.side; x++) {
      const hx = patch.left + x;
      const i = y * patch.side + x;
      const a = patch.alpha[i]!;
      if (hx < 0 || hx >= host.width || a === 0) continue;
      const o = (hy * host.width + hx) * 3;
      for (let c = 0; c < 3; c++) {
        const v = patch.colour[i * 3 + c]!;
        const moved = (v - m.mean[c]!) * gain[c]! + m.mean[c]! + k * (s.mean[c]! - m.mean[c]!);
        const mixed = a * moved + (1 - a) * host.data[o + c]!;
        out[o + c] = Math.min(255, Math.max(0, Math.round(mixed)));
      }
    }
  }
  return {
    raster: { width: host.width, height: host.height, data: out },
    colourTransfer: { ...measured, strength: k },
  };
}
