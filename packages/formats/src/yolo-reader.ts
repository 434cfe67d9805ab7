/**
 * YOLO reader (Ultralytics and Darknet layouts). Class names come from `data.yaml` (`names` as a
 * list or an index map) or `classes.txt` / `obj.names`. Each image's label is found by swapping
 * the last `images` folder for `labels` (`images/train/a.jpg` ↔ `labels/train/a.txt`) or beside
 * the image. An image without a label file is a background image with no boxes. Image sizes come
 * from the image headers, since YOLO labels are normalised.
 */
import { fromYolo } from "@gridfill/balance";
import { parse as parseYaml } from "yaml";
import { baseName, dirName, extensionOf, joinPath, stemOf } from "./file-tree.ts";
import type { FileTree } from "./file-tree.ts";
import type { DatasetSource, FormatError, LabeledBox, ReadOptions } from "./model.ts";
import {
  DEFAULT_MAX_LABEL_BYTES,
  checkBoxes,
  createSource,
  isImagePath,
  optionalSplit,
  sizeFromImage,
  splitFromPath,
} from "./reader.ts";
import type { ReportSink } from "./reader.ts";
import { readText } from "./text.ts";

export type YoloReadOptions = ReadOptions;

const YAML_NAMES = ["data.yaml", "data.yml", "dataset.yaml", "dataset.yml"];
const LIST_NAMES = ["classes.txt", "obj.names", "classes.names"];

/** Class names by index, or null when the dataset declares none. */
async function readClassNames(
  tree: FileTree,
  files: readonly string[],
  maxBytes: number,
  sink: ReportSink,
): Promise<{ names: string[] | null; files: Set<string> }> {
  const byDepth = (a: string, b: string) => a.split("/").length - b.split("/").length;
  const yamlFile = files
    .filter((f) => YAML_NAMES.includes(baseName(f).toLowerCase()))
    .sort(byDepth)[0];
  const listFile = files
    .filter((f) => LIST_NAMES.includes(baseName(f).toLowerCase()))
    .sort(byDepth)[0];
  const used = new Set([yamlFile, listFile].filter((f): f is string => f !== undefined));
  if (yamlFile) {
    const result = await readText(tree, yamlFile, maxBytes);
    if (!result.ok) sink.report(result.error);
    else {
      try {
        const names = namesFromYaml(parseYaml(result.text));
        if (names) return { names, files: used };
        sink.report({ file: yamlFile, code: "UNSUPPORTED", message: "no `names` list or map" });
      } catch (err) {
        sink.report({
          file: yamlFile,
          code: "UNSUPPORTED",
          message: `YAML: ${(err as Error).message}`,
        });
      }
    }
  }
  if (listFile) {
    const result = await readText(tree, listFile, maxBytes);
    if (!result.ok) sink.report(result.error);
    else
      return {
        names: result.text
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean),
        files: used,
      };
  }
  return { names: null, files: used };
}

function namesFromYaml(doc: unknown): string[] | null {
  const names = (doc as { names?: unknown } | null)?.names;
  if (Array.isArray(names)) return names.map(String);
  if (names && typeof names === "object") {
    const out: string[] = [];
    for (const [key, value] of Object.entries(names)) {
      const index = Number(key);
      if (Number.isInteger(index) && index >= 0) out[index] = String(value);
    }
    return Array.from(out, (n, i) => n ?? String(i));
  }
  return null;
}

/** Label paths an image may have, most conventional first. */
function labelCandidates(image: string): string[] {
  const parts = image.split("/");
  const stem = stemOf(image);
  const out: string[] = [];
  const at = parts.lastIndexOf("images");
  if (at >= 0) {
    const swapped = [...parts.slice(0, at), "labels", ...parts.slice(at + 1, -1), `${stem}.txt`];
    out.push(swapped.join("/"));
  }
  out.push(joinPath(dirName(image), `${stem}.txt`) ?? `${stem}.txt`);
  return out;
}

interface YoloLine {
  classIndex: number;
  yolo: [xCenter: number, yCenter: number, width: number, height: number];
}

type ParsedLabel = { ok: true; boxes: YoloLine[] } | { ok: false; error: FormatError };

/** Parses `class x_center y_center width height` lines; polygons become their bounding box. */
export function parseYoloLabel(file: string, text: string): ParsedLabel {
  const boxes: YoloLine[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith("#")) continue;
    const fields = trimmed.split(/\s+/).map(Number);
    const bad = (message: string): ParsedLabel => ({
      ok: false,
      error: { file, code: "UNSUPPORTED", message: `line ${i + 1}: ${message}` },
    });
    if (!fields.every(Number.isFinite)) return bad("fields must be numbers");
    const classIndex = fields[0] as number;
    if (!Number.isInteger(classIndex) || classIndex < 0)
      return bad("class must be a whole number ≥ 0");
    if (fields.length === 5 || fields.length === 6) {
      // A sixth field is a prediction confidence.
      boxes.push({ classIndex, yolo: fields.slice(1, 5) as [number, number, number, number] });
    } else if (fields.length >= 7 && fields.length % 2 === 1) {
      const xs = fields.filter((_, k) => k > 0 && k % 2 === 1);
      const ys = fields.filter((_, k) => k > 0 && k % 2 === 0);
      const [x1, x2, y1, y2] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      boxes.push({ classIndex, yolo: [(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1] });
    } else return bad("expected `class x_center y_center width height`");
  }
  return { ok: true, boxes };
}

/** Reads a YOLO dataset from a folder, a `.zip`, or an open tree. */
export function readYolo(root: string | FileTree, options: YoloReadOptions = {}): DatasetSource {
  const maxBytes = options.maxLabelBytes ?? DEFAULT_MAX_LABEL_BYTES;
  return createSource(root, options, async function* (tree, sink) {
    const files = await tree.listFiles();
    const { names, files: classFiles } = await readClassNames(tree, files, maxBytes, sink);
    const labels = new Set(files.filter((f) => extensionOf(f) === "txt" && !classFiles.has(f)));
    const matched = new Set<string>();

    for (const image of files) {
      if (!isImagePath(image)) continue;
      const label = labelCandidates(image).find((c) => labels.has(c));
      if (label) matched.add(label);
      const file = label ?? image;
      let parsedBoxes: YoloLine[] = [];
      if (label) {
        const text = await readText(tree, label, maxBytes);
        if (!text.ok) {
          sink.report(text.error);
          continue;
        }
        const parsed = parseYoloLabel(label, text.text);
        if (!parsed.ok) {
          sink.report(parsed.error);
          continue;
        }
        const unknown = names ? parsed.boxes.find((b) => b.classIndex >= names.length) : undefined;
        if (unknown) {
          sink.report({
            file: label,
            code: "UNKNOWN_CATEGORY",
            message: `class index ${unknown.classIndex} is beyond the ${names?.length} declared classes`,
          });
          continue;
        }
        parsedBoxes = parsed.boxes;
      }
      // Normalised boxes need the pixel size, which only the image header gives.
      const sized = await sizeFromImage(tree, image);
      if (!sized.ok) {
        sink.report(sized.error);
        continue;
      }
      const raw: LabeledBox[] = parsedBoxes.map(
        ({ classIndex, yolo: [xCenter, yCenter, width, height] }) => ({
          className: names?.[classIndex] ?? String(classIndex),
          box: fromYolo({ xCenter, yCenter, width, height }, sized.size),
        }),
      );
      const checked = checkBoxes(file, raw, sized.size, options);
      if (!checked.ok) {
        sink.report(checked.error);
        continue;
      }
      yield {
        image: {
          relPath: image,
          file: () => tree.open(image),
          filenameHint: baseName(image),
          width: sized.size.width,
          height: sized.size.height,
        },
        boxes: checked.boxes,
        ...optionalSplit(splitFromPath(image)),
      };
    }

    for (const label of labels) {
      if (matched.has(label) || !label.split("/").includes("labels")) continue;
      sink.report({ file: label, code: "MISSING_IMAGE", message: "no image for this label file" });
    }
  });
}
