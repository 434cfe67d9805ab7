/** Writes a complete Pascal VOC dataset of rendered scenes to disk. */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFECT_CLASS_NAMES, INSULATOR_CLASS } from "./classes.ts";
import type { DistributionOptions } from "./distribution.ts";
import { createRng, hashSeed } from "./prng.ts";
import { renderScene } from "./scene.ts";
import type { SceneOptions } from "./scene.ts";
import { toVocXml } from "./voc.ts";

export interface WriteVocDatasetOptions extends DistributionOptions {
  /** Output directory; created if missing. */
  out: string;
  /** Number of images to render. */
  images: number;
  /** Dataset seed: image i is rendered from hashSeed(seed, i). */
  seed: number | string;
  width?: number;
  height?: number;
  minDefects?: number;
  maxDefects?: number;
  includeNormalParts?: boolean;
  /**
   * Share of images rendered without any defect (seeded per image), 0..1. Default 0. Such scenes
   * are the clean hosts composite fills blend new defects into.
   */
  cleanShare?: number;
  /** Called after each image is written, with the number done so far. */
  onProgress?: (done: number, total: number) => void;
  /** Images rendered in parallel. Default 2. */
  concurrency?: number;
}

export interface DatasetSummary {
  out: string;
  images: number;
  /** Boxes written per class name, every known class present (zero when absent). */
  boxesPerClass: Record<string, number>;
  splits: { train: number; val: number; test: number };
  /** Defects that could not be placed in their scene (normally zero). */
  dropped: number;
  elapsedMs: number;
}

export function imageId(index: number, total: number): string {
  return String(index + 1).padStart(Math.max(6, String(total).length), "0");
}

/** Seeded 70/15/15 split of image ids; each list is returned sorted. */
export function splitIds(
  ids: readonly string[],
  seed: number | string,
): { train: string[]; val: string[]; test: string[] } {
  const shuffled = createRng(hashSeed(String(seed), "split")).shuffle([...ids]);
  const nTrain = Math.round(ids.length * 0.7);
  const nVal = Math.round(ids.length * 0.15);
  const sort = (a: string[]) => a.sort();
  return {
    train: sort(shuffled.slice(0, nTrain)),
    val: sort(shuffled.slice(nTrain, nTrain + nVal)),
    test: sort(shuffled.slice(nTrain + nVal)),
  };
}

/** Whether image i of the dataset is a defect-free scene (its own seeded draw). */
function isClean(options: WriteVocDatasetOptions, index: number): boolean {
  const share = options.cleanShare ?? 0;
  if (!(share >= 0 && share <= 1)) throw new Error(`cleanShare must be in 0..1, got ${share}`);
  return (
    share > 0 && createRng(hashSeed(String(options.seed), `clean:${index}`)).float(0, 1) < share
  );
}

export async function writeVocDataset(options: WriteVocDatasetOptions): Promise<DatasetSummary> {
  const started = performance.now();
  const total = Math.floor(options.images);
  if (!(total >= 0)) throw new Error(`images must be >= 0, got ${options.images}`);
  const { out } = options;
  const imagesDir = join(out, "JPEGImages");
  const annDir = join(out, "Annotations");
  const setsDir = join(out, "ImageSets", "Main");
  await Promise.all([imagesDir, annDir, setsDir].map((d) => mkdir(d, { recursive: true })));

  const includeNormal = options.includeNormalParts ?? true;
  const classNames: string[] = [
    ...DEFECT_CLASS_NAMES,
    ...(includeNormal ? [INSULATOR_CLASS.name] : []),
  ];
  const boxesPerClass: Record<string, number> = Object.fromEntries(classNames.map((n) => [n, 0]));
  const sceneOptions: SceneOptions = {
    width: options.width,
    height: options.height,
    distribution: options.distribution,
    tailExponent: options.tailExponent,
    classOrder: options.classOrder,
    minDefects: options.minDefects,
    maxDefects: options.maxDefects,
    includeNormalParts: includeNormal,
  };
  const ids = Array.from({ length: total }, (_, i) => imageId(i, total));
  let next = 0;
  let done = 0;
  let dropped = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const id = ids[i] as string;
      const scene = await renderScene(hashSeed(String(options.seed), i), {
        ...sceneOptions,
        ...(isClean(options, i) ? { defects: [] } : {}),
      });
      const filename = `${id}.png`;
      await writeFile(join(imagesDir, filename), scene.png);
      await writeFile(
        join(annDir, `${id}.xml`),
        toVocXml({ filename, width: scene.width, height: scene.height, objects: scene.objects }),
      );
      for (const o of scene.objects) boxesPerClass[o.name] = (boxesPerClass[o.name] ?? 0) + 1;
      dropped += scene.meta.dropped.length;
      done++;
      options.onProgress?.(done, total);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 2, total || 1));
  await Promise.all(Array.from({ length: workers }, worker));

  const split = splitIds(ids, options.seed);
  const list = (a: string[]) => (a.length ? a.join("\n") + "\n" : "");
  await writeFile(join(setsDir, "train.txt"), list(split.train));
  await writeFile(join(setsDir, "val.txt"), list(split.val));
  await writeFile(join(setsDir, "test.txt"), list(split.test));
  await writeFile(join(setsDir, "trainval.txt"), list([...split.train, ...split.val].sort()));
  await writeFile(join(out, "classes.txt"), classNames.join("\n") + "\n");

  return {
    out,
    images: total,
    boxesPerClass,
    splits: { train: split.train.length, val: split.val.length, test: split.test.length },
    dropped,
    elapsedMs: Math.round(performance.now() - started),
  };
}
