// Composite samples: a generated or copied defect instance blended into a full-size real host
// image. The draws (host, placement, instance transform) come from a PRNG of their own, seeded by
// (request seed, sample index) like the sample plan; rendering is a pure function of the host's
// bytes, the instance and the recorded parameters, so regenerate replays it byte for byte.
import { createHash } from "node:crypto";
import { canonicalSeed, Xoshiro128StarStar } from "../sampling.ts";
import { cropRect } from "../preprocess.ts";
import {
  blendInstance,
  INSTANCE_MARGIN,
  IDENTITY_TRANSFORM,
  type BlendParams,
  type ColourTransfer,
  type InstanceTransform,
} from "./blend.ts";
import {
  cropSquare,
  decodeRaster,
  encodeRaster,
  mimeTypeOf,
  type CompositeFormat,
  type Raster,
} from "./raster.ts";
import type { PixelBox } from "./placement.ts";

export * from "./blend.ts";
export * from "./placement.ts";
export * from "./raster.ts";
export * from "./host-objects.ts";

export const COMPOSITE_ALGORITHM = "gridfill-composite-v1";

export type FillMethod = "MODEL" | "COPY_PASTE";

/** The sample's composite PRNG: independent of the plan's, same (seed, index) addressing. */
export function compositeRng(
  requestSeed: bigint | string | number,
  index: number,
): Xoshiro128StarStar {
  const digest = createHash("sha256")
    .update(`${COMPOSITE_ALGORITHM}:${canonicalSeed(requestSeed)}:${index}`, "utf8")
    .digest();
  return Xoshiro128StarStar.fromSeed64(digest.readBigUInt64BE(0));
}

/** Copy-paste augments its real instance (flip, small rotation, colour jitter); the model's output is pasted as it is. */
export function drawTransform(rng: Xoshiro128StarStar, method: FillMethod): InstanceTransform {
  if (method === "MODEL") return IDENTITY_TRANSFORM;
  const between = (lo: number, hi: number) => lo + (hi - lo) * rng.uniform01();
  return {
    flip: rng.uniform01() < 0.5,
    rotation: between(-8, 8),
    brightness: between(-0.06, 0.06),
    contrast: between(-0.1, 0.1),
    saturation: between(-0.15, 0.15),
  };
}

/** A real instance as copy-paste uses it: the box's square with the instance margin, edges replicated. */
export function instanceCrop(source: Raster, box: PixelBox): Raster {
  const r = cropRect(box, source, { margin: INSTANCE_MARGIN, border: "replicate" });
  return cropSquare(source, r.left, r.top, r.side);
}

export interface CompositeSpec {
  placement: PixelBox;
  transform: InstanceTransform;
  blend: BlendParams;
  format: CompositeFormat;
}

export interface Composite {
  bytes: Buffer;
  mimeType: string;
  width: number;
  height: number;
  colourTransfer: ColourTransfer;
}

/** Renders a composite from the host's stored bytes (or its decoded raster). */
export async function renderComposite(
  host: Uint8Array | Raster,
  instance: Raster,
  spec: CompositeSpec,
): Promise<Composite> {
  const raster = host instanceof Uint8Array ? await decodeRaster(host) : host;
  const { raster: out, colourTransfer } = blendInstance(
    raster,
    instance,
    spec.placement,
    spec.transform,
    spec.blend,
  );
  return {
    bytes: await encodeRaster(out, spec.format),
    mimeType: mimeTypeOf(spec.format),
    width: out.width,
    height: out.height,
    colourTransfer,
  };
}

/** Placed object side / source object side: the scale the lineage records. */
export function placementScale(
  placement: PixelBox,
  source: { width: number; height: number },
): number {
  return Math.max(placement.width, placement.height) / Math.max(source.width, source.height);
}
