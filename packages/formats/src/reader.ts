/** What the three readers share: image lookup, box checks, splits, and the source wrapper. */
import { clampBox, validateBox } from "@gridfill/balance";
import type { Box, ImageSize } from "@gridfill/balance";
import { baseName, dirName, extensionOf, joinPath, openTree, stemOf } from "./file-tree.ts";
import type { FileTree } from "./file-tree.ts";
import { sniffImageSize } from "./image-size.ts";
import type {
  DatasetRecord,
  DatasetSource,
  FormatError,
  LabeledBox,
  ReadOptions,
  Split,
} from "./model.ts";
import { streamFailure } from "./text.ts";

export const IMAGE_EXTENSIONS = new Set([
  "jpg",
  "jpeg",
  "png",
  "bmp",
  "gif",
  "webp",
  "tif",
  "tiff",
]);

export const DEFAULT_MAX_LABEL_BYTES = 16 * 1024 * 1024;

/** Overshoot below this many pixels is float noise (e.g. YOLO round trips), not a bad box. */
const EDGE_TOLERANCE = 0.01;

export const isImagePath = (path: string): boolean => IMAGE_EXTENSIONS.has(extensionOf(path));

/** Finds image files by exact path, by name in likely folders, then by name anywhere. */
export class ImageIndex {
  private readonly paths: Set<string>;
  private readonly byBase = new Map<string, string[]>();
  private readonly byStem = new Map<string, string[]>();

  constructor(files: readonly string[]) {
    const images = files.filter(isImagePath);
    this.paths = new Set(images);
    for (const path of images) {
      push(this.byBase, baseName(path).toLowerCase(), path);
      push(this.byStem, stemOf(path).toLowerCase(), path);
    }
  }

  has(path: string): boolean {
    return this.paths.has(path);
  }

  /**
   * Resolves `name` (a file name with or without extension, possibly with folders) by trying each
   * folder in `dirs` in order, then any image with that name, preferring the one nearest `near`.
   */
  find(name: string, dirs: readonly string[], near: string): string | undefined {
    const clean = name.replace(/\\/g, "/");
    const hasExtension = IMAGE_EXTENSIONS.has(extensionOf(clean));
    for (const dir of dirs) {
      const exact = joinPath(dir, clean);
      if (exact !== null && this.paths.has(exact)) return exact;
    }
    const base = baseName(clean).toLowerCase();
    const stem = hasExtension ? stemOf(clean).toLowerCase() : base;
    const candidates = [
      ...(this.byBase.get(base) ?? []),
      // A name without extension (CPLID) or with the wrong one (.jpg for a .png) matches by stem.
      ...(this.byStem.get(stem) ?? []),
    ];
    if (candidates.length === 0) return undefined;
    for (const dir of dirs) {
      const local = candidates.find((path) => dirName(path) === joinPath(dir));
      if (local) return local;
    }
    return nearest(candidates, near);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function nearest(paths: readonly string[], near: string): string | undefined {
  const target = near.split("/");
  let best: string | undefined;
  let bestShared = -1;
  for (const path of paths) {
    const parts = path.split("/");
    let shared = 0;
    while (shared < target.length && parts[shared] === target[shared]) shared++;
    if (shared > bestShared) {
      best = path;
      bestShared = shared;
    }
  }
  return best;
}

/** Folders from `dir` up to the root, each followed by its image folders. */
export function imageFolders(dir: string): string[] {
  const out: string[] = [];
  let current: string | null = dir;
  while (current !== null) {
    out.push(current, joinPath(current, "JPEGImages") ?? "", joinPath(current, "images") ?? "");
    current = current === "" ? null : dirName(current);
  }
  return out;
}

const SPLIT_SEGMENT = /^(train|training|val|valid|validation|test|testing)(?:[-_]?\d+)?$/i;

/** Split named by a path segment (`images/train/…`, `valid/…`, `train2017/…`), nearest the file. */
export function splitFromName(name: string): Split | undefined {
  const match = SPLIT_SEGMENT.exec(name);
  if (!match) return undefined;
  const word = (match[1] as string).toLowerCase();
  return word.startsWith("train") ? "train" : word.startsWith("test") ? "test" : "val";
}

export function splitFromPath(path: string): Split | undefined {
  const parts = path.split("/");
  for (let i = parts.length - 2; i >= 0; i--) {
    const split = splitFromName(parts[i] as string);
    if (split) return split;
  }
  return undefined;
}

/** `{ split }` when known, so records without a split carry no `split` key at all. */
export const optionalSplit = (split: Split | undefined): { split?: Split } =>
  split ? { split } : {};

/**
 * Renames and checks the boxes of one record against its image. Returns the boxes, or the first
 * problem: the whole record is then skipped.
 */
export const DEFAULT_MAX_BOXES_PER_IMAGE = 5000;

/** The per-image box limit's error, or null within it (counted before the class map applies). */
export function tooManyBoxes(
  file: string,
  label: string,
  count: number,
  options: ReadOptions,
): FormatError | null {
  const limit = options.maxBoxesPerImage ?? DEFAULT_MAX_BOXES_PER_IMAGE;
  if (count <= limit) return null;
  return {
    file,
    code: "TOO_MANY_BOXES",
    message: `${label}: ${count} boxes, over the limit of ${limit} per image`,
  };
}

export function checkBoxes(
  file: string,
  raw: readonly LabeledBox[],
  image: ImageSize,
  options: ReadOptions,
): { ok: true; boxes: LabeledBox[] } | { ok: false; error: FormatError } {
  const overLimit = tooManyBoxes(file, "the image", raw.length, options);
  if (overLimit) return { ok: false, error: overLimit };
  const boxes: LabeledBox[] = [];
  for (const { className, box } of raw) {
    const mapped =
      options.classMap && className in options.classMap ? options.classMap[className] : className;
    if (mapped === null || mapped === undefined) continue;
    const checked = checkBox(box, image, options.outOfBounds ?? "reject");
    if (!checked.ok) {
      return {
        ok: false,
        error: { file, code: checked.code, message: `${className}: ${checked.message}` },
      };
    }
    boxes.push({ className: mapped, box: checked.box });
  }
  return { ok: true, boxes };
}

function checkBox(
  box: Box,
  image: ImageSize,
  outOfBounds: "reject" | "clamp",
): { ok: true; box: Box } | { ok: false; code: FormatError["code"]; message: string } {
  let candidate = box;
  const x2 = box.x + box.width;
  const y2 = box.y + box.height;
  const noise =
    box.x > -EDGE_TOLERANCE &&
    box.y > -EDGE_TOLERANCE &&
    x2 < image.width + EDGE_TOLERANCE &&
    y2 < image.height + EDGE_TOLERANCE;
  if (outOfBounds === "clamp" || noise) candidate = clampBox(box, image) ?? box;
  const result = validateBox(candidate, image, { minSize: 0 });
  if (result.ok) return result;
  const code =
    result.code === "NON_POSITIVE_SIZE" || result.code === "TOO_SMALL"
      ? "BOX_ZERO_AREA"
      : "BOX_OUT_OF_BOUNDS";
  return { ok: false, code, message: result.message };
}

/** Image size from its header; a problem when the image cannot be read or is not recognised. */
export async function sizeFromImage(
  tree: FileTree,
  path: string,
): Promise<{ ok: true; size: ImageSize } | { ok: false; error: FormatError }> {
  try {
    const size = await sniffImageSize(tree.open(path));
    if (size) return { ok: true, size };
    return {
      ok: false,
      error: {
        file: path,
        code: "UNSUPPORTED",
        message: "image size unknown: unrecognised format",
      },
    };
  } catch (err) {
    return { ok: false, error: streamFailure(path, err) };
  }
}

/** A record error for a label whose image is missing or was refused by the archive. */
export function missingImage(
  tree: FileTree,
  label: string,
  image: string | undefined,
  wanted: string,
): FormatError {
  const refused = image === undefined ? tree.refusal(wanted) : undefined;
  if (refused) {
    return {
      file: label,
      code: refused.code,
      message: `image ${wanted} was refused: ${refused.message}`,
    };
  }
  return { file: label, code: "MISSING_IMAGE", message: `image not found: ${wanted}` };
}

export interface ReportSink {
  report(error: FormatError): void;
}

/** Wraps a record generator as a DatasetSource over a tree given or opened from a path. */
export function createSource(
  root: string | FileTree,
  options: ReadOptions,
  generate: (tree: FileTree, sink: ReportSink) => AsyncGenerator<DatasetRecord>,
): DatasetSource {
  const errors: FormatError[] = [];
  let opened: Promise<FileTree> | undefined;
  const ownsTree = typeof root === "string";
  const tree = () => (opened ??= typeof root === "string" ? openTree(root) : Promise.resolve(root));
  const sink: ReportSink = {
    report(error) {
      errors.push(error);
      options.onError?.(error);
    },
  };
  const close = async () => {
    if (ownsTree && opened) await (await opened).close();
  };
  return {
    errors,
    close,
    [Symbol.asyncDispose]: close,
    async *[Symbol.asyncIterator]() {
      const t = await tree();
      for (const error of t.errors) sink.report(error);
      yield* generate(t, sink);
    },
  };
}
