// Composite samples in the worker: the host pool, the class's box distribution and host-class size
// ratio, read once per job; per sample, a host and a placement drawn from the sample's composite
// PRNG, the instance (generator output, or a real instance copied with augmentation), and the
// blended full-size image with the host's boxes plus the new one.
import { createHash } from "node:crypto";
import type { Prisma, PrismaClient } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import { composite as c, GeneratorError, type Xoshiro128StarStar } from "@gridfill/generator";
import {
  classBoxDistribution,
  hostBoxes,
  hostSizeRatio,
  type HostBox,
} from "@gridfill/core/fills/hosts.ts";
import type { ReferenceBox } from "@gridfill/core/fills/service.ts";

/** Hosts tried per sample before the sample fails for want of room. */
const HOST_TRIES = 8;
const HOST_CACHE = 12;

export interface Host {
  id: string;
  sha256: string;
  mimeType: string;
  raster: c.Raster;
  boxes: HostBox[];
}

/** A stored image's pixels, checked against its sha256 (a host or a copy-paste source). */
async function loadHost(prisma: PrismaClient, storage: Storage, id: string): Promise<Host> {
  const image = await prisma.image.findUnique({
    where: { id },
    select: { objectKey: true, bytes: true, sha256: true, mimeType: true },
  });
  if (!image) throw new GeneratorError("INVALID_IMAGE", `image ${id} no longer exists`);
  const bytes = await storage.getBuffer("images", image.objectKey, { maxBytes: image.bytes + 1 });
  if (createHash("sha256").update(bytes).digest("hex") !== image.sha256)
    throw new GeneratorError("INVALID_IMAGE", `image ${id} no longer matches its sha256`);
  return {
    id,
    sha256: image.sha256,
    mimeType: image.mimeType,
    raster: await c.decodeRaster(bytes),
    boxes: await hostBoxes(prisma, id),
  };
}

/** Decoded hosts and sources, a few at a time (full-size rasters are large). */
export class HostCache {
  private readonly hosts = new Map<string, Promise<Host>>();
  constructor(
    private readonly prisma: PrismaClient,
    private readonly storage: Storage,
  ) {}
  get(id: string): Promise<Host> {
    let host = this.hosts.get(id);
    if (!host) {
      if (this.hosts.size >= HOST_CACHE) this.hosts.delete(this.hosts.keys().next().value!);
      host = loadHost(this.prisma, this.storage, id);
      this.hosts.set(id, host);
      host.catch(() => this.hosts.delete(id));
    }
    return host;
  }
}

export interface CompositeContext {
  classId: string;
  hostClassId: string | null;
  hostIds: readonly string[];
  classBoxes: c.NormalisedBox[];
  sizeRatio: number | null;
  hosts: HostCache;
}

export async function compositeContext(
  prisma: PrismaClient,
  storage: Storage,
  req: { classId: string; hostIds: readonly string[] },
): Promise<CompositeContext> {
  const cls = await prisma.defectClass.findUniqueOrThrow({
    where: { id: req.classId },
    select: { hostClassId: true },
  });
  return {
    classId: req.classId,
    hostClassId: cls.hostClassId,
    hostIds: req.hostIds,
    classBoxes: await classBoxDistribution(prisma, req.classId),
    sizeRatio: cls.hostClassId ? await hostSizeRatio(prisma, req.classId, cls.hostClassId) : null,
    hosts: new HostCache(prisma, storage),
  };
}

export interface Placed {
  host: Host;
  placement: c.PixelBox;
}

/** Draws hosts until one has room for the new box. */
export async function drawPlacement(
  ctx: CompositeContext,
  rng: Xoshiro128StarStar,
  aspect?: number,
): Promise<Placed> {
  if (ctx.hostIds.length === 0) throw new GeneratorError("INVALID_IMAGE", "there is no host image");
  if (ctx.classBoxes.length === 0)
    throw new GeneratorError("INVALID_IMAGE", "the class has no real train box to place after");
  for (let attempt = 0; attempt < HOST_TRIES; attempt++) {
    const host = await ctx.hosts.get(ctx.hostIds[rng.uniformInt(ctx.hostIds.length)]!);
    const hostObjects = ctx.hostClassId
      ? host.boxes
          .filter((b) => b.classId === ctx.hostClassId)
          .map((b) => ({ ...b, diagonal: c.objectDiagonal(host.raster, b) }))
      : [];
    const placement = c.choosePlacement(
      {
        width: host.raster.width,
        height: host.raster.height,
        existing: host.boxes,
        classBoxes: ctx.classBoxes,
        ...(hostObjects.length && ctx.sizeRatio ? { hostObjects, sizeRatio: ctx.sizeRatio } : {}),
        ...(aspect ? { aspect } : {}),
      },
      rng,
    );
    if (placement) return { host, placement };
  }
  throw new GeneratorError(
    "INVALID_IMAGE",
    `no room for a new box in ${HOST_TRIES} drawn hosts: the hosts are too crowded`,
  );
}

/** A stored composite and what its lineage records beside the plan. */
export interface CompositeSample {
  bytes: Buffer;
  mimeType: string;
  width: number;
  height: number;
  /** The host's boxes, then the new one. */
  annotations: {
    classId: string;
    x: number;
    y: number;
    width: number;
    height: number;
    source: HostBox["source"];
    authorId: string | null;
    /** The host box's review state, carried over; a new box's is the default. */
    review?: HostBox["review"];
  }[];
  lineage: {
    hostImageId: string;
    hostSha256: string;
    placement: Prisma.InputJsonValue;
    scale: number;
    blend: Prisma.InputJsonValue;
    colourTransfer: Prisma.InputJsonValue;
  };
}

/** What `blend` records: everything rendering needs beside the host, the instance and the box. */
export interface RecordedBlend extends c.BlendParams {
  algorithm: string;
  transform: c.InstanceTransform;
  format: c.CompositeFormat;
}

export async function renderOnHost(
  placed: Placed,
  instance: c.Raster,
  transform: c.InstanceTransform,
  source: { width: number; height: number },
  classId: string,
  authorId: string | null,
): Promise<CompositeSample> {
  const { host, placement } = placed;
  const blend: RecordedBlend = {
    algorithm: c.COMPOSITE_ALGORITHM,
    ...c.DEFAULT_BLEND,
    transform,
    format: c.formatOf(host.mimeType),
  };
  const out = await c.renderComposite(host.raster, instance, {
    placement,
    transform,
    ...blendSpec(blend),
  });
  return {
    bytes: out.bytes,
    mimeType: out.mimeType,
    width: out.width,
    height: out.height,
    annotations: [
      ...host.boxes.map((b) => ({ ...b })),
      { classId, ...placement, source: "GENERATED" as const, authorId },
    ],
    lineage: {
      hostImageId: host.id,
      hostSha256: host.sha256,
      placement: { ...placement },
      scale: c.placementScale(placement, source),
      blend: blend as unknown as Prisma.InputJsonValue,
      colourTransfer: out.colourTransfer as unknown as Prisma.InputJsonValue,
    },
  };
}

export function blendSpec(blend: RecordedBlend): Omit<c.CompositeSpec, "placement" | "transform"> {
  return {
    blend: {
      feather: blend.feather,
      colourStrength: blend.colourStrength,
      ...(blend.inner !== undefined ? { inner: blend.inner } : {}),
    },
    format: blend.format,
  };
}

/** The model's instance: the generator output, whose object fills 1 / (1 + margin) of the square. */
export function modelInstance(image: Float32Array, size: number): c.Raster {
  return c.rasterFromChw(image, size);
}

/** A copy-paste instance: the source's box with the instance margin. */
export async function copiedInstance(hosts: HostCache, box: ReferenceBox): Promise<c.Raster> {
  const source = await hosts.get(box.imageId);
  return c.instanceCrop(source.raster, box);
}
