/**
 * Pascal VOC reader. Annotation XML files are found anywhere in the tree; each names its image
 * by `<filename>` (with or without extension), looked up beside the XML, in `JPEGImages/` or
 * `images/` folders up the tree, then by name anywhere. `<path>` is ignored: it usually points
 * at the annotator's machine. Several XML files naming the same image are merged into one record.
 */
import { fromVoc } from "@gridfill/balance";
import type { ImageSize } from "@gridfill/balance";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { baseName, dirName, extensionOf, joinPath, stemOf } from "./file-tree.ts";
import type { FileTree } from "./file-tree.ts";
import type { DatasetSource, FormatError, LabeledBox, ReadOptions, Split } from "./model.ts";
import {
  DEFAULT_MAX_LABEL_BYTES,
  ImageIndex,
  checkBoxes,
  createSource,
  imageFolders,
  missingImage,
  optionalSplit,
  sizeFromImage,
  splitFromName,
  splitFromPath,
} from "./reader.ts";
import { readText } from "./text.ts";

export type VocReadOptions = ReadOptions;

interface VocAnnotation {
  filename: string;
  size: ImageSize | null;
  boxes: LabeledBox[];
}

type Parsed = { ok: true; annotation: VocAnnotation } | { ok: false; error: FormatError };

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (_name, jpath) => jpath === "annotation.object",
});

const text = (value: unknown): string =>
  typeof value === "string" || typeof value === "number" ? String(value).trim() : "";

/** Parses one VOC annotation; coordinates stay as written (1-based inclusive corners). */
export function parseVocXml(file: string, xml: string): Parsed {
  const malformed = (message: string): Parsed => ({
    ok: false,
    error: { file, code: "MALFORMED_XML", message },
  });
  // Entity declarations are the road to entity-expansion bombs; VOC never needs them.
  if (/<!ENTITY/i.test(xml)) {
    return {
      ok: false,
      error: { file, code: "UNSUPPORTED", message: "DTD entity declarations are not accepted" },
    };
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    return malformed(`line ${valid.err.line}: ${valid.err.msg}`);
  }
  const doc = parser.parse(xml) as { annotation?: Record<string, unknown> };
  const root = doc.annotation;
  if (!root || typeof root !== "object") {
    return {
      ok: false,
      error: { file, code: "UNSUPPORTED", message: "not a VOC annotation: no <annotation> root" },
    };
  }
  const filename = text(root.filename);
  const sizeNode = root.size as Record<string, unknown> | undefined;
  const width = Number(text(sizeNode?.width));
  const height = Number(text(sizeNode?.height));
  const size =
    width > 0 && height > 0 && Number.isFinite(width) && Number.isFinite(height)
      ? { width, height }
      : null;
  const boxes: LabeledBox[] = [];
  const objects = (root.object ?? []) as Record<string, unknown>[];
  for (const [i, object] of objects.entries()) {
    const className = text(object?.name);
    if (!className) return malformed(`object ${i + 1} has no <name>`);
    const bndbox = object.bndbox as Record<string, unknown> | undefined;
    if (!bndbox || typeof bndbox !== "object") return malformed(`object ${i + 1} has no <bndbox>`);
    const corner = (key: string) => Number(text(bndbox[key]) || Number.NaN);
    const voc = {
      xmin: corner("xmin"),
      ymin: corner("ymin"),
      xmax: corner("xmax"),
      ymax: corner("ymax"),
    };
    if (!Object.values(voc).every(Number.isFinite)) {
      return malformed(`object ${i + 1} (${className}): <bndbox> corners must be numbers`);
    }
    boxes.push({ className, box: fromVoc(voc) });
  }
  return { ok: true, annotation: { filename, size, boxes } };
}

/** Splits listed in `ImageSets/Main/{train,val,test}.txt`, keyed by VOC root and image stem. */
async function readImageSets(
  tree: FileTree,
  files: readonly string[],
  maxBytes: number,
  report: (error: FormatError) => void,
): Promise<Map<string, Split>> {
  const splits = new Map<string, Split>();
  for (const file of files) {
    const dir = dirName(file);
    if (!/(^|\/)ImageSets\/Main$/.test(dir) || extensionOf(file) !== "txt") continue;
    const split = splitFromName(stemOf(file));
    if (!split) continue; // trainval.txt and per-class lists repeat the others
    const result = await readText(tree, file, maxBytes);
    if (!result.ok) {
      report(result.error);
      continue;
    }
    const vocRoot = dirName(dirName(dir));
    for (const line of result.text.split(/\r?\n/)) {
      const stem = line.trim().split(/\s+/)[0];
      if (stem) splits.set(`${vocRoot}\0${stem}`, split);
    }
  }
  return splits;
}

function splitOf(splits: Map<string, Split>, xml: string, image: string): Split | undefined {
  if (splits.size > 0) {
    const stem = stemOf(image);
    let dir: string | null = dirName(xml);
    while (dir !== null) {
      const split = splits.get(`${dir}\0${stem}`);
      if (split) return split;
      dir = dir === "" ? null : dirName(dir);
    }
  }
  return splitFromPath(image) ?? splitFromPath(xml);
}

/** Reads a VOC dataset from a folder, a `.zip`, or an open tree. */
export function readVoc(root: string | FileTree, options: VocReadOptions = {}): DatasetSource {
  const maxBytes = options.maxLabelBytes ?? DEFAULT_MAX_LABEL_BYTES;
  return createSource(root, options, async function* (tree, sink) {
    const files = await tree.listFiles();
    const images = new ImageIndex(files);
    const splits = await readImageSets(tree, files, maxBytes, sink.report);
    const load = async (xml: string): Promise<Parsed> => {
      const result = await readText(tree, xml, maxBytes);
      return result.ok ? parseVocXml(xml, result.text) : result;
    };

    // First pass keeps only which XML files describe which image, so memory holds paths, not
    // boxes; the second pass parses again and yields one merged record per image.
    const groups = new Map<string, string[]>();
    for (const xml of files) {
      if (extensionOf(xml) !== "xml") continue;
      const parsed = await load(xml);
      if (!parsed.ok) {
        sink.report(parsed.error);
        continue;
      }
      const wanted = parsed.annotation.filename || stemOf(xml);
      const image = images.find(wanted, imageFolders(dirName(xml)), dirName(xml));
      if (!image) {
        sink.report(missingImage(tree, xml, image, joinPath(dirName(xml), wanted) ?? wanted));
        continue;
      }
      const group = groups.get(image);
      if (group) group.push(xml);
      else groups.set(image, [xml]);
    }

    for (const [image, xmls] of groups) {
      const label = xmls.join(" + ");
      let size: ImageSize | null = null;
      let filenameHint = "";
      const raw: LabeledBox[] = [];
      let problem: FormatError | null = null;
      for (const xml of xmls) {
        const parsed = await load(xml);
        if (!parsed.ok) {
          problem = parsed.error;
          break;
        }
        const { annotation } = parsed;
        filenameHint ||= annotation.filename;
        raw.push(...annotation.boxes);
        if (
          annotation.size &&
          size &&
          (annotation.size.width !== size.width || annotation.size.height !== size.height)
        ) {
          problem = {
            file: xml,
            code: "UNSUPPORTED",
            message: `size ${annotation.size.width}×${annotation.size.height} disagrees with ${size.width}×${size.height} from another file for ${image}`,
          };
          break;
        }
        size ??= annotation.size;
      }
      if (!problem && !size) {
        const sniffed = await sizeFromImage(tree, image);
        if (sniffed.ok) size = sniffed.size;
        else problem = sniffed.error;
      }
      if (problem || !size) {
        if (problem) sink.report(problem);
        continue;
      }
      const checked = checkBoxes(label, raw, size, options);
      if (!checked.ok) {
        sink.report(checked.error);
        continue;
      }
      yield {
        image: {
          relPath: image,
          file: () => tree.open(image),
          filenameHint: filenameHint || baseName(image),
          width: size.width,
          height: size.height,
        },
        boxes: checked.boxes,
        ...optionalSplit(splitOf(splits, xmls[0] as string, image)),
      };
    }
  });
}
