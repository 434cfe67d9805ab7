// The model cache: session pools per model version and reference-shot tensors, loaded once per
// worker process (sha256-checked) and shared by its fill jobs and regenerate.
import type { ModelVersion, PrismaClient } from "@gridfill/db";
import type { Config } from "@gridfill/config";
import type { Storage } from "@gridfill/storage";
import { loadModelVersion, preprocessReference, type SessionPool } from "@gridfill/generator";
import type { ReferenceBox } from "@gridfill/core/fills/service.ts";
import { MAX_MODEL_BYTES } from "@gridfill/core/models/service.ts";

/** Reference crops: the box's square with this margin, edge pixels replicated (as in training). */
export const REFERENCE_CROP = { margin: 0.25, border: "replicate" as const };

/** Session pools per model version, loaded once (sha256-checked) and kept for the process. */
export class ModelCache {
  private readonly pools = new Map<string, Promise<SessionPool>>();
  constructor(
    private readonly storage: Storage,
    private readonly options: {
      executionProvider?: "cpu" | "cuda";
      maxBatch?: number;
      log?: (line: string) => void;
    } = {},
  ) {}

  get(model: ModelVersion): Promise<SessionPool> {
    let pool = this.pools.get(model.id);
    if (!pool) {
      pool = loadModelVersion({
        storage: this.storage,
        generatorKey: model.generatorKey,
        generatorSha256: model.generatorSha256,
        criticKey: model.criticKey,
        criticSha256: model.criticSha256,
        maxBytes: MAX_MODEL_BYTES,
        ...(this.options.executionProvider
          ? { executionProvider: this.options.executionProvider }
          : {}),
        ...(this.options.maxBatch ? { maxBatch: this.options.maxBatch } : {}),
        ...(this.options.log ? { log: this.options.log } : {}),
      });
      this.pools.set(model.id, pool);
      // a failed load is not cached: the next job tries again (storage may have been down)
      pool.catch(() => this.pools.delete(model.id));
    }
    return pool;
  }

  private readonly shotCaches = new Map<number, ShotCache>();
  private readonly featureCaches = new WeakMap<SessionPool, WeakMap<Float32Array, Float32Array>>();

  /**
   * Reference crops at one size, shared by the jobs of this process (a reference image's bytes
   * never change: its object key is its content's hash), within about 64 MiB.
   */
  shots(prisma: PrismaClient, size: number): ShotSource {
    let cache = this.shotCaches.get(size);
    if (!cache) {
      cache = new ShotCache(
        prisma,
        this.storage,
        size,
        Math.max(64, Math.floor((64 << 20) / (12 * size * size))),
      );
      this.shotCaches.set(size, cache);
    }
    return cache;
  }

  /** The critic features of reference crops, per loaded model. */
  features(pool: SessionPool): WeakMap<Float32Array, Float32Array> {
    let cache = this.featureCaches.get(pool);
    if (!cache) {
      cache = new WeakMap();
      this.featureCaches.set(pool, cache);
    }
    return cache;
  }

  async close(): Promise<void> {
    this.shotCaches.clear();
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.then((s) => s.release()).catch(() => undefined)));
  }
}

// One cache of loaded models per storage: the worker and the API's regenerate in one process
// share their sessions.
const processCaches = new WeakMap<Storage, ModelCache>();

export function processModelCache(
  storage: Storage,
  config: Config,
  log?: (line: string) => void,
): ModelCache {
  let cache = processCaches.get(storage);
  if (!cache) {
    cache = new ModelCache(storage, {
      executionProvider: config.fills.executionProvider,
      maxBatch: config.fills.batch,
      ...(log ? { log } : {}),
    });
    processCaches.set(storage, cache);
  }
  return cache;
}

/** Shot tensors of reference images, read from storage once per job (bounded). */
class ShotCache {
  private readonly shots = new Map<string, Promise<Float32Array>>();
  constructor(
    private readonly prisma: PrismaClient,
    private readonly storage: Storage,
    private readonly size: number,
    private readonly limit = 512,
  ) {}

  get(box: ReferenceBox): Promise<Float32Array> {
    const key = `${box.imageId}:${box.x},${box.y},${box.width},${box.height}`;
    let shot = this.shots.get(key);
    if (!shot) {
      if (this.shots.size >= this.limit) this.shots.delete(this.shots.keys().next().value!);
      shot = this.load(box);
      this.shots.set(key, shot);
      shot.catch(() => this.shots.delete(key));
    }
    return shot;
  }

  private async load(box: ReferenceBox): Promise<Float32Array> {
    const image = await this.prisma.image.findUnique({
      where: { id: box.imageId },
      select: { objectKey: true, bytes: true },
    });
    if (!image) throw new Error(`reference image ${box.imageId} no longer exists`);
    const bytes = await this.storage.getBuffer("images", image.objectKey, {
      maxBytes: image.bytes + 1,
    });
    return preprocessReference(bytes, box, { size: this.size, ...REFERENCE_CROP });
  }
}

export interface ShotSource {
  get(box: ReferenceBox): Promise<Float32Array>;
}

export function createShotCache(prisma: PrismaClient, storage: Storage, size: number): ShotSource {
  return new ShotCache(prisma, storage, size);
}
