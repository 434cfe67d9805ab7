/**
 * Detector predictions as files: COCO results JSON, YOLO txt with a confidence column, Pascal VOC
 * with `<score>` per object. Read into one columnar table (a run can hold millions of boxes), with
 * every problem reported per file. Images are named as the file names them (COCO `file_name`, the
 * label file's stem for YOLO, VOC `<filename>`); the caller resolves names to its images and
 * classes, and turns YOLO's normalised boxes into pixels with the image sizes it holds.
 *
 * COCO: an array of results `{ image_id, category_id, bbox, score }` beside a COCO dataset JSON
 * that names the images and categories (the test annotations the detector ran on), or one dataset
 * JSON whose annotations carry `score`. `image_id` may also be a file name and `category_name` may
 * replace `category_id`.
 */
import { fromVoc } from "@gridfill/balance";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { parse as parseYaml } from "yaml";
import { baseName, extensionOf, stemOf } from "./file-tree.ts";
import type { FileTree } from "./file-tree.ts";
import type { FormatErrorCode } from "./model.ts";
import { readText } from "./text.ts";

export type PredictionFormat = "COCO" | "YOLO" | "VOC";

export type PredictionErrorCode = FormatErrorCode | "BAD_SCORE" | "TOO_MANY_PREDICTIONS";

export interface PredictionFileError {
  file: string;
  code: PredictionErrorCode;
  message: string;
}

/** Column per field; row i is one predicted box. */
export interface PredictionTable {
  /** Boxes are fractions of the image (YOLO) rather than pixels. */
  normalized: boolean;
  image: string[];
  className: string[];
  x: number[];
  y: number[];
  width: number[];
  height: number[];
  score: number[];
}

export interface PredictionFile {
  table: PredictionTable;
  errors: PredictionFileError[];
}

export interface PredictionReadOptions {
  /** Largest label file read; COCO results of a large run are one file. Default 1 GiB. */
  maxFileBytes?: number;
  /** Most predictions in one run; default 5,000,000. */
  maxPredictions?: number;
}

const DEFAULTS = { maxFileBytes: 1024 ** 3, maxPredictions: 5_000_000 };

function emptyTable(normalized: boolean): PredictionTable {
  return {
    normalized,
    image: [],
    className: [],
    x: [],
    y: [],
    width: [],
    height: [],
    score: [],
  };
}

class TableBuilder {
  readonly table: PredictionTable;
  readonly errors: PredictionFileError[] = [];
  private full = false;
  constructor(
    normalized: boolean,
    private readonly maxPredictions: number,
  ) {
    this.table = emptyTable(normalized);
  }
  report(file: string, code: PredictionErrorCode, message: string) {
    if (this.errors.length < 1000) this.errors.push({ file, code, message });
  }
  /** Adds one row after checking its numbers; false (and a report) when they are wrong. */
  add(
    file: string,
    where: string,
    image: string,
    className: string,
    box: { x: number; y: number; width: number; height: number },
    score: unknown,
  ): boolean {
    if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 1) {
      this.report(
        file,
        "BAD_SCORE",
        `${where}: score must be a number in [0, 1], got ${String(score)}`,
      );
      return false;
    }
    const { x, y, width, height } = box;
    if (![x, y, width, height].every(Number.isFinite)) {
      this.report(file, "UNSUPPORTED", `${where}: box coordinates must be numbers`);
      return false;
    }
    if (width <= 0 || height <= 0) {
      this.report(file, "BOX_ZERO_AREA", `${where}: box has no area`);
      return false;
    }
    if (this.table.image.length >= this.maxPredictions) {
      if (!this.full) {
        this.report(file, "TOO_MANY_PREDICTIONS", `more than ${this.maxPredictions} predictions`);
      }
      this.full = true;
      return false;
    }
    const t = this.table;
    t.image.push(image);
    t.className.push(className);
    t.x.push(x);
    t.y.push(y);
    t.width.push(width);
    t.height.push(height);
    t.score.push(score);
    return true;
  }
}

/** Reads a tree of prediction files in one format. */
export async function readPredictions(
  tree: FileTree,
  format: PredictionFormat,
  options: PredictionReadOptions = {},
): Promise<PredictionFile> {
  const limits = { ...DEFAULTS, ...options };
  const builder = new TableBuilder(format === "YOLO", limits.maxPredictions);
  for (const e of tree.errors) builder.report(e.file, e.code, e.message);
  const files = await tree.listFiles();
  if (format === "COCO") await readCocoResults(tree, files, limits.maxFileBytes, builder);
  else if (format === "YOLO") await readYoloPredictions(tree, files, limits.maxFileBytes, builder);
  else await readVocPredictions(tree, files, limits.maxFileBytes, builder);
  if (builder.table.image.length === 0 && builder.errors.length === 0) {
    builder.report(tree.origin, "UNSUPPORTED", `no ${format} predictions found`);
  }
  return { table: builder.table, errors: builder.errors };
}

async function readJson(tree: FileTree, file: string, maxBytes: number, b: TableBuilder) {
  const text = await readText(tree, file, maxBytes);
  if (!text.ok) {
    b.report(text.error.file, text.error.code, text.error.message);
    return undefined;
  }
  try {
    return JSON.parse(text.text) as unknown;
  } catch (err) {
    b.report(file, "MALFORMED_JSON", (err as Error).message);
    return undefined;
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** id → name from a COCO list (`images` with file_name, `categories` with name), or a report. */
function namesById(file: string, list: unknown, field: string, what: string, b: TableBuilder) {
  const names = new Map<string, string>();
  if (!Array.isArray(list)) return names;
  for (const entry of list) {
    if (!isObject(entry) || entry[field] === undefined) continue;
    const id = String(entry.id);
    if (names.has(id)) b.report(file, "DUPLICATE_ID", `${what} id ${id} appears twice`);
    names.set(id, String(entry[field]));
  }
  return names;
}

async function readCocoResults(
  tree: FileTree,
  files: readonly string[],
  maxBytes: number,
  b: TableBuilder,
) {
  let images = new Map<string, string>();
  let categories = new Map<string, string>();
  const results: { file: string; rows: unknown[] }[] = [];
  for (const file of files.filter((f) => extensionOf(f) === "json")) {
    const doc = await readJson(tree, file, maxBytes, b);
    if (Array.isArray(doc)) results.push({ file, rows: doc });
    else if (isObject(doc)) {
      if (Array.isArray(doc.images)) images = namesById(file, doc.images, "file_name", "image", b);
      if (Array.isArray(doc.categories)) {
        categories = namesById(file, doc.categories, "name", "category", b);
      }
      const scored = Array.isArray(doc.annotations)
        ? doc.annotations.filter((a) => isObject(a) && a.score !== undefined)
        : [];
      if (scored.length) results.push({ file, rows: scored });
    }
  }
  for (const { file, rows } of results) {
    const seen = new Set<string>();
    rows.forEach((row, i) => {
      const where = `result ${i + 1}`;
      if (!isObject(row)) return b.report(file, "UNSUPPORTED", `${where} is not an object`);
      if (row.id !== undefined) {
        const id = String(row.id);
        if (seen.has(id)) return b.report(file, "DUPLICATE_ID", `${where}: id ${id} appears twice`);
        seen.add(id);
      }
      const image =
        typeof row.image_id === "string" ? row.image_id : images.get(String(row.image_id));
      if (image === undefined) {
        return b.report(
          file,
          "MISSING_IMAGE",
          `${where}: image_id ${String(row.image_id)} is not in any images list`,
        );
      }
      const className =
        typeof row.category_name === "string"
          ? row.category_name
          : categories.get(String(row.category_id));
      if (className === undefined) {
        return b.report(
          file,
          "UNKNOWN_CATEGORY",
          `${where}: category_id ${String(row.category_id)} is not in any categories list`,
        );
      }
      const bbox = row.bbox;
      if (!Array.isArray(bbox) || bbox.length !== 4) {
        return b.report(file, "UNSUPPORTED", `${where}: bbox must be [x, y, width, height]`);
      }
      const [x, y, width, height] = bbox.map(Number) as [number, number, number, number];
      b.add(file, where, image, className, { x, y, width, height }, row.score);
    });
  }
}

const YAML_NAMES = ["data.yaml", "data.yml", "dataset.yaml", "dataset.yml"];
const LIST_NAMES = ["classes.txt", "obj.names", "classes.names"];

async function yoloClassNames(
  tree: FileTree,
  files: readonly string[],
  maxBytes: number,
  b: TableBuilder,
): Promise<string[] | null> {
  const yamlFile = files.find((f) => YAML_NAMES.includes(baseName(f).toLowerCase()));
  const listFile = files.find((f) => LIST_NAMES.includes(baseName(f).toLowerCase()));
  const file = yamlFile ?? listFile;
  if (!file) return null;
  const text = await readText(tree, file, maxBytes);
  if (!text.ok) {
    b.report(text.error.file, text.error.code, text.error.message);
    return null;
  }
  if (file === listFile)
    return text.text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
  try {
    const names = (parseYaml(text.text) as { names?: unknown })?.names;
    if (Array.isArray(names)) return names.map(String);
    if (isObject(names)) {
      const list: string[] = [];
      for (const [k, v] of Object.entries(names)) list[Number(k)] = String(v);
      return list;
    }
  } catch (err) {
    b.report(file, "UNSUPPORTED", `YAML: ${(err as Error).message}`);
    return null;
  }
  b.report(file, "UNSUPPORTED", "no `names` list or map");
  return null;
}

async function readYoloPredictions(
  tree: FileTree,
  files: readonly string[],
  maxBytes: number,
  b: TableBuilder,
) {
  const names = await yoloClassNames(tree, files, maxBytes, b);
  const labels = files.filter(
    (f) => extensionOf(f) === "txt" && !LIST_NAMES.includes(baseName(f).toLowerCase()),
  );
  if (!names) {
    if (labels.length)
      b.report(tree.origin, "UNKNOWN_CATEGORY", "no data.yaml or classes.txt names the classes");
    return;
  }
  const stems = new Map<string, string>();
  for (const file of labels) {
    const stem = stemOf(baseName(file));
    const other = stems.get(stem);
    if (other) {
      b.report(file, "DUPLICATE_ID", `image ${stem} also has predictions in ${other}`);
      continue;
    }
    stems.set(stem, file);
    const text = await readText(tree, file, maxBytes);
    if (!text.ok) {
      b.report(text.error.file, text.error.code, text.error.message);
      continue;
    }
    text.text.split(/\r?\n/).forEach((line, i) => {
      const fields = line.trim().split(/\s+/);
      if (fields.length === 1 && fields[0] === "") return;
      const where = `line ${i + 1}`;
      if (fields.length !== 6) {
        return b.report(
          file,
          "UNSUPPORTED",
          `${where}: expected "class cx cy w h confidence", got ${fields.length} fields`,
        );
      }
      const [cls, cx, cy, w, h, conf] = fields.map(Number) as number[];
      const className = Number.isInteger(cls) ? names[cls!] : undefined;
      if (className === undefined) {
        return b.report(
          file,
          "UNKNOWN_CATEGORY",
          `${where}: class ${fields[0]} is not in the class list`,
        );
      }
      const box = { x: cx! - w! / 2, y: cy! - h! / 2, width: w!, height: h! };
      b.add(file, where, stem, className, box, Number.isNaN(conf) ? fields[5] : conf);
    });
  }
}

const vocParser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (_name, jpath) => jpath === "annotation.object",
});

const text = (value: unknown): string =>
  typeof value === "string" || typeof value === "number" ? String(value).trim() : "";

async function readVocPredictions(
  tree: FileTree,
  files: readonly string[],
  maxBytes: number,
  b: TableBuilder,
) {
  const owners = new Map<string, string>();
  for (const file of files.filter((f) => extensionOf(f) === "xml")) {
    const xml = await readText(tree, file, maxBytes);
    if (!xml.ok) {
      b.report(xml.error.file, xml.error.code, xml.error.message);
      continue;
    }
    // Entity declarations are the road to entity-expansion bombs; VOC never needs them.
    if (/<!ENTITY/i.test(xml.text)) {
      b.report(file, "UNSUPPORTED", "DTD entity declarations are not accepted");
      continue;
    }
    const valid = XMLValidator.validate(xml.text);
    if (valid !== true) {
      b.report(file, "MALFORMED_XML", `line ${valid.err.line}: ${valid.err.msg}`);
      continue;
    }
    const root = (vocParser.parse(xml.text) as { annotation?: Json }).annotation;
    if (!isObject(root)) {
      b.report(file, "UNSUPPORTED", "not a VOC annotation: no <annotation> root");
      continue;
    }
    const image = text(root.filename) || stemOf(baseName(file));
    const other = owners.get(image);
    if (other) {
      b.report(file, "DUPLICATE_ID", `image ${image} also has predictions in ${other}`);
      continue;
    }
    owners.set(image, file);
    const objects = Array.isArray(root.object) ? root.object : [];
    objects.forEach((object: unknown, i: number) => {
      const where = `object ${i + 1}`;
      if (!isObject(object)) return b.report(file, "MALFORMED_XML", `${where} is empty`);
      const className = text(object.name);
      const bndbox = object.bndbox;
      if (!className || !isObject(bndbox)) {
        return b.report(file, "MALFORMED_XML", `${where} needs <name> and <bndbox>`);
      }
      const corner = (key: string) => Number(text(bndbox[key]) || Number.NaN);
      const box = fromVoc({
        xmin: corner("xmin"),
        ymin: corner("ymin"),
        xmax: corner("xmax"),
        ymax: corner("ymax"),
      });
      const raw = text(object.score ?? object.confidence);
      const score = raw === "" ? undefined : Number(raw);
      b.add(file, where, image, className, box, Number.isNaN(score) ? raw : score);
    });
  }
}
