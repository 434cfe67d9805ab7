/**
 * COCO (instances JSON) reader. The JSON is parsed as a token stream (stream-json), keeping only
 * compact columns per image and per box (no JSON objects), so memory grows by about 70 bytes
 * per box and a few hundred per image, never with the size of the text (segmentations, captions and other fields are
 * dropped as they pass). Records are yielded once the file has been read to the end, because
 * COCO lists boxes apart from their images, in any order.
 */
import { pipeline } from "node:stream/promises";
import { fromCoco } from "@gridfill/balance";
import type { ImageSize } from "@gridfill/balance";
import Assembler from "stream-json/Assembler.js";
import Parser from "stream-json/Parser.js";
import { baseName, dirName, extensionOf, joinPath, stemOf } from "./file-tree.ts";
import type { FileTree } from "./file-tree.ts";
import type { DatasetRecord, DatasetSource, FormatError, LabeledBox, ReadOptions, Split } from "./model.ts";
import {
  ImageIndex,
  checkBoxes,
  createSource,
  missingImage,
  optionalSplit,
  sizeFromImage,
  splitFromName,
  splitFromPath,
} from "./reader.ts";
import type { ReportSink } from "./reader.ts";
import { StrictUtf8, streamFailure } from "./text.ts";

export interface CocoReadOptions extends ReadOptions {
  /** Annotation file inside the tree; by default every `annotations/instances*.json` (or any JSON). */
  annotationsFile?: string;
}

/** A growable column of numbers, 8 bytes per value. */
class Column {
  private data = new Float64Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  at(index: number): number {
    return this.data[index] as number;
  }
  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

interface Token {
  name: string;
  value?: string;
}

const SECTIONS = new Set(["images", "annotations", "categories"]);

const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/** Everything kept from one annotation file. */
class CocoTables {
  readonly imageIds = new Column();
  readonly imageWidths = new Column();
  readonly imageHeights = new Column();
  readonly imageNames: string[] = [];
  readonly imageIndex = new Map<number, number>();
  readonly duplicateImageIds = new Set<number>();
  readonly annIds = new Column();
  readonly annImageIds = new Column();
  readonly annCategoryIds = new Column();
  readonly annBoxes = new Column(); // x, y, width, height per annotation
  readonly categories = new Map<number, string>();
  readonly duplicateCategoryIds = new Set<number>();
  /** First content problem per image id (bad bbox and the like), rare. */
  readonly imageProblems = new Map<number, string>();
  readonly looseProblems: string[] = [];

  image(value: Record<string, unknown>): void {
    const { id } = value;
    if (!isNumber(id)) {
      this.looseProblems.push(`image ${JSON.stringify(value.file_name)} has no numeric id`);
      return;
    }
    if (this.imageIndex.has(id)) {
      this.duplicateImageIds.add(id);
      return;
    }
    this.imageIndex.set(id, this.imageNames.length);
    this.imageIds.push(id);
    this.imageNames.push(typeof value.file_name === "string" ? value.file_name : "");
    this.imageWidths.push(isNumber(value.width) ? value.width : 0);
    this.imageHeights.push(isNumber(value.height) ? value.height : 0);
  }

  annotation(value: Record<string, unknown>): void {
    const { id, image_id: imageId, category_id: categoryId, bbox } = value;
    if (!isNumber(imageId)) {
      this.looseProblems.push(`annotation ${JSON.stringify(id)} has no numeric image_id`);
      return;
    }
    const problem = (message: string) => {
      if (!this.imageProblems.has(imageId)) this.imageProblems.set(imageId, message);
    };
    if (!isNumber(id)) return problem(`annotation of image ${imageId} has no numeric id`);
    if (!isNumber(categoryId)) return problem(`annotation ${id} has no numeric category_id`);
    if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every(isNumber)) {
      return problem(`annotation ${id}: bbox must be [x, y, width, height] numbers`);
    }
    this.annIds.push(id);
    this.annImageIds.push(imageId);
    this.annCategoryIds.push(categoryId);
    for (const v of bbox as number[]) this.annBoxes.push(v);
  }

  category(value: Record<string, unknown>): void {
    const { id, name } = value;
    if (!isNumber(id) || typeof name !== "string" || !name) {
      this.looseProblems.push(`category ${JSON.stringify(value)} needs a numeric id and a name`);
      return;
    }
    if (this.categories.has(id)) this.duplicateCategoryIds.add(id);
    else this.categories.set(id, name);
  }
}

/** Streams one COCO file's tokens into tables; throws on malformed JSON or unreadable bytes. */
async function loadTables(tree: FileTree, file: string): Promise<CocoTables> {
  const tables = new CocoTables();
  let depth = 0;
  let topKey: string | null = null;
  let section: string | null = null;
  let element: Assembler | null = null;
  const onToken = (token: Token) => {
    if (element) {
      element.consume(token);
      if (element.done) {
        const value = element.current as Record<string, unknown>;
        if (section === "images") tables.image(value);
        else if (section === "annotations") tables.annotation(value);
        else tables.category(value);
        element = null;
      }
      return;
    }
    switch (token.name) {
      case "startObject":
      case "startArray":
        if (depth === 0 && token.name !== "startObject") throw new SyntaxError("COCO root must be an object");
        if (depth === 1 && token.name === "startArray" && topKey !== null && SECTIONS.has(topKey)) {
          section = topKey;
        } else if (depth === 2 && section && token.name === "startObject") {
          element = new Assembler();
          element.consume(token);
          return;
        }
        depth++;
        return;
      case "endObject":
      case "endArray":
        depth--;
        if (depth === 1) section = null;
        return;
      case "keyValue":
        if (depth === 1) topKey = token.value ?? null;
        return;
      default:
        if (depth === 0) throw new SyntaxError("COCO root must be an object");
    }
  };
  const parser = new Parser({
    packKeys: true,
    packStrings: true,
    packNumbers: true,
    streamKeys: false,
    streamStrings: false,
    streamNumbers: false,
  });
  // Tokens are handled in the parser's own data events: a separate object-mode sink costs more
  // than the parsing itself.
  let failure: unknown = null;
  parser.on("data", (token: Token) => {
    if (failure) return;
    try {
      onToken(token);
    } catch (err) {
      failure = err;
      parser.destroy(err as Error);
    }
  });
  await pipeline(tree.open(file), new StrictUtf8(), parser);
  if (failure) throw failure;
  if (depth !== 0) throw new SyntaxError("unexpected end of JSON");
  return tables;
}

function jsonFailure(file: string, err: unknown): FormatError {
  if (err instanceof SyntaxError || (err instanceof Error && /parser|JSON/i.test(err.message))) {
    const code = (err as { code?: unknown }).code;
    if (code !== "NOT_UTF8" && code !== "ZIP_BOMB") {
      return { file, code: "MALFORMED_JSON", message: err.message };
    }
  }
  return streamFailure(file, err);
}

/** Which annotation files to read when none is named. */
export function findAnnotationFiles(files: readonly string[]): string[] {
  const jsons = files.filter((f) => extensionOf(f) === "json" && !f.split("/").includes("lineage"));
  const inAnnotations = jsons.filter(
    (f) => f.split("/").some((s) => s.toLowerCase() === "annotations") || /^(instances|_annotations)/i.test(baseName(f)),
  );
  const instances = inAnnotations.filter((f) => /^(instances|_annotations)/i.test(baseName(f)));
  if (instances.length) return instances;
  return inAnnotations.length ? inAnnotations : jsons;
}

function splitOfAnnotationFile(file: string): Split | undefined {
  for (const token of stemOf(file).split(/[._-]/)) {
    const split = splitFromName(token);
    if (split) return split;
  }
  return splitFromPath(file);
}

function imageDirs(annotationFile: string, split: Split | undefined): string[] {
  const annDir = dirName(annotationFile);
  const bases = [...new Set([annDir, dirName(annDir), ""])];
  const subs = ["", "images", ...(split ? [`images/${split}`, split] : [])];
  return bases.flatMap((base) => subs.map((sub) => joinPath(base, sub) ?? ""));
}

async function* recordsOf(
  tree: FileTree,
  file: string,
  tables: CocoTables,
  images: ImageIndex,
  options: ReadOptions,
  sink: ReportSink,
): AsyncGenerator<DatasetRecord> {
  const report = (message: string, code: FormatError["code"]) => sink.report({ file, code, message });
  for (const message of tables.looseProblems) report(message, "MALFORMED_JSON");
  for (const id of tables.duplicateImageIds) report(`image id ${id} is declared more than once; its images are skipped`, "DUPLICATE_ID");

  // Group boxes by image with a counting sort over compact arrays.
  const imageCount = tables.imageNames.length;
  const annCount = tables.annIds.length;
  const starts = new Uint32Array(imageCount + 1);
  const owner = new Int32Array(annCount);
  for (let k = 0; k < annCount; k++) {
    const index = tables.imageIndex.get(tables.annImageIds.at(k));
    owner[k] = index ?? -1;
    if (index === undefined) {
      report(`annotation ${tables.annIds.at(k)} refers to image id ${tables.annImageIds.at(k)}, which is not declared`, "MISSING_IMAGE");
    } else starts[index + 1]! += 1;
  }
  for (let i = 0; i < imageCount; i++) starts[i + 1]! += starts[i]!;
  const order = new Uint32Array(starts[imageCount] ?? 0);
  const fill = starts.slice(0, imageCount);
  for (let k = 0; k < annCount; k++) {
    const index = owner[k]!;
    if (index >= 0) order[fill[index]!++] = k;
  }
  const sortedIds = tables.annIds.values().slice().sort();
  const duplicateAnnIds = new Set<number>();
  for (let k = 1; k < sortedIds.length; k++) {
    if (sortedIds[k] === sortedIds[k - 1]) duplicateAnnIds.add(sortedIds[k]!);
  }

  const split = splitOfAnnotationFile(file);
  const dirs = imageDirs(file, split);
  for (let i = 0; i < imageCount; i++) {
    const id = tables.imageIds.at(i);
    const name = tables.imageNames[i] ?? "";
    if (tables.duplicateImageIds.has(id)) continue;
    const label = `image ${id} (${name})`;
    const contentProblem = tables.imageProblems.get(id);
    if (contentProblem) {
      report(`${label}: ${contentProblem}`, "MALFORMED_JSON");
      continue;
    }
    const raw: LabeledBox[] = [];
    let problem: [string, FormatError["code"]] | null = null;
    for (let j = starts[i]!; j < starts[i + 1]! && !problem; j++) {
      const k = order[j]!;
      const annId = tables.annIds.at(k);
      const categoryId = tables.annCategoryIds.at(k);
      const className = tables.categories.get(categoryId);
      if (duplicateAnnIds.has(annId)) problem = [`${label}: annotation id ${annId} is used more than once`, "DUPLICATE_ID"];
      else if (tables.duplicateCategoryIds.has(categoryId)) problem = [`${label}: category id ${categoryId} is declared more than once`, "DUPLICATE_ID"];
      else if (className === undefined) problem = [`${label}: annotation ${annId} has category_id ${categoryId}, which is not declared`, "UNKNOWN_CATEGORY"];
      else {
        const b = 4 * k;
        raw.push({ className, box: fromCoco([tables.annBoxes.at(b), tables.annBoxes.at(b + 1), tables.annBoxes.at(b + 2), tables.annBoxes.at(b + 3)]) });
      }
    }
    if (problem) {
      report(...problem);
      continue;
    }
    if (!name) {
      report(`${label} has no file_name`, "MALFORMED_JSON");
      continue;
    }
    const path = images.find(name, dirs, dirName(file));
    if (!path) {
      const error = missingImage(tree, file, path, name);
      report(`${label}: ${error.message}`, error.code);
      continue;
    }
    let size: ImageSize = { width: tables.imageWidths.at(i), height: tables.imageHeights.at(i) };
    if (!(size.width > 0 && size.height > 0)) {
      const sniffed = await sizeFromImage(tree, path);
      if (!sniffed.ok) {
        sink.report(sniffed.error);
        continue;
      }
      size = sniffed.size;
    }
    const checked = checkBoxes(file, raw, size, options);
    if (!checked.ok) {
      report(`${label}: ${checked.error.message}`, checked.error.code);
      continue;
    }
    yield {
      image: { relPath: path, file: () => tree.open(path), filenameHint: name, width: size.width, height: size.height },
      boxes: checked.boxes,
      ...optionalSplit(split ?? splitFromPath(path)),
    };
  }
}

/** Reads a COCO dataset from a folder, a `.zip`, or an open tree. */
export function readCoco(root: string | FileTree, options: CocoReadOptions = {}): DatasetSource {
  return createSource(root, options, async function* (tree, sink) {
    const files = await tree.listFiles();
    const images = new ImageIndex(files);
    let annotationFiles = findAnnotationFiles(files);
    if (options.annotationsFile !== undefined) {
      const wanted = joinPath(options.annotationsFile) ?? options.annotationsFile;
      annotationFiles = [wanted];
      if (!files.includes(wanted)) {
        const refused = tree.refusal(wanted);
        sink.report(refused ?? { file: wanted, code: "UNSUPPORTED", message: "annotations file not found" });
        return;
      }
    }
    for (const file of annotationFiles) {
      let tables: CocoTables;
      try {
        tables = await loadTables(tree, file);
      } catch (err) {
        sink.report(jsonFailure(file, err));
        continue;
      }
      yield* recordsOf(tree, file, tables, images, options, sink);
    }
  });
}
