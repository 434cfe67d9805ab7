/**
 * COCO (instances JSON) reader. The JSON is parsed as a token stream (stream-json), keeping only
 * compact columns per image and per box (no JSON objects; segmentations, captions and other fields
 * are dropped as they pass). Records are yielded once the file has been read to the end, because
 * COCO lists boxes apart from their images, in any order.
 *
 * Memory stays bounded: up to `spillAbove` images plus boxes are held in memory; past that, the
 * file is partitioned on disk by image id (temporary files of compact lines, 64 ways, split again
 * where one partition is still too big), and each partition is then grouped in memory on its own.
 * Annotation ids are partitioned by id as well, so that duplicates are found across partitions.
 * A partition keeps at most `maxBoxesPerImage` + 1 boxes of one image (the rest are only counted),
 * so one image with a million boxes costs no more memory than the limit, and is reported.
 *
 * Grouping yields to the event loop every few milliseconds, so the process that reads (a worker with
 * heartbeats and signal handlers) never stalls on one big file.
 */
import {
  closeSync,
  createReadStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { pipeline } from "node:stream/promises";
import { fromCoco } from "@gridfill/balance";
import type { ImageSize } from "@gridfill/balance";
import Assembler from "stream-json/Assembler.js";
import Parser from "stream-json/Parser.js";
import { baseName, dirName, extensionOf, joinPath, stemOf } from "./file-tree.ts";
import type { FileTree } from "./file-tree.ts";
import type {
  DatasetRecord,
  DatasetSource,
  FormatError,
  LabeledBox,
  ReadOptions,
  Split,
} from "./model.ts";
import {
  ImageIndex,
  DEFAULT_MAX_BOXES_PER_IMAGE,
  checkBoxes,
  createSource,
  missingImage,
  optionalSplit,
  sizeFromImage,
  splitFromName,
  splitFromPath,
  tooManyBoxes,
} from "./reader.ts";
import type { ReportSink } from "./reader.ts";
import { StrictUtf8, streamFailure } from "./text.ts";
import { eventLoopSlices, SlicedText } from "./slices.ts";

export interface CocoReadOptions extends ReadOptions {
  /** Annotation file inside the tree; by default every `annotations/instances*.json` (or any JSON). */
  annotationsFile?: string;
  /** Images plus boxes held in memory before the file is partitioned on disk; default 100,000. */
  spillAbove?: number;
}

const DEFAULT_SPILL_ABOVE = 100_000;
const FANOUT = 64;
/** Deepest re-partitioning: past it, a partition is grouped whatever its size (one huge image). */
const MAX_LEVEL = 4;

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

const isNumber = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value);

/** Where validated rows go: the in-memory tables, or partition files. */
interface CocoRows {
  addImage(id: number, name: string, width: number, height: number): void;
  addAnnotation(id: number, imageId: number, categoryId: number, bbox: readonly number[]): void;
  /** A content problem of one image (its first is kept). */
  addProblem(imageId: number, message: string): void;
}

/** Everything kept from one annotation file (or one partition of it). */
class CocoTables implements CocoRows {
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
  /** Boxes per image id, when a box limit applies (partitions read back from disk). */
  private readonly boxesPerImage = new Map<number, number>();
  /** Boxes counted but not kept, per image id: the image is over the limit and will be refused. */
  readonly droppedBoxes = new Map<number, number>();

  /** With a limit, boxes of an image beyond limit + 1 are counted, not kept. */
  constructor(private readonly boxLimit = Infinity) {}

  /** Rows held (images plus boxes), to decide when to spill. */
  get size(): number {
    return this.imageIds.length + this.annIds.length;
  }

  addImage(id: number, name: string, width: number, height: number): void {
    if (this.imageIndex.has(id)) {
      this.duplicateImageIds.add(id);
      return;
    }
    this.imageIndex.set(id, this.imageNames.length);
    this.imageIds.push(id);
    this.imageNames.push(name);
    this.imageWidths.push(width);
    this.imageHeights.push(height);
  }

  addAnnotation(id: number, imageId: number, categoryId: number, bbox: readonly number[]): void {
    if (this.boxLimit !== Infinity) {
      const count = (this.boxesPerImage.get(imageId) ?? 0) + 1;
      this.boxesPerImage.set(imageId, count);
      if (count > this.boxLimit + 1) {
        this.droppedBoxes.set(imageId, (this.droppedBoxes.get(imageId) ?? 0) + 1);
        return;
      }
    }
    this.annIds.push(id);
    this.annImageIds.push(imageId);
    this.annCategoryIds.push(categoryId);
    for (const v of bbox) this.annBoxes.push(v);
  }

  addProblem(imageId: number, message: string): void {
    if (!this.imageProblems.has(imageId)) this.imageProblems.set(imageId, message);
  }

  image(value: Record<string, unknown>, rows: CocoRows = this): void {
    const { id } = value;
    if (!isNumber(id)) {
      this.looseProblems.push(`image ${JSON.stringify(value.file_name)} has no numeric id`);
      return;
    }
    rows.addImage(
      id,
      typeof value.file_name === "string" ? value.file_name : "",
      isNumber(value.width) ? value.width : 0,
      isNumber(value.height) ? value.height : 0,
    );
  }

  annotation(value: Record<string, unknown>, rows: CocoRows = this): void {
    const { id, image_id: imageId, category_id: categoryId, bbox } = value;
    if (!isNumber(imageId)) {
      this.looseProblems.push(`annotation ${JSON.stringify(id)} has no numeric image_id`);
      return;
    }
    const problem = (message: string) => rows.addProblem(imageId, message);
    if (!isNumber(id)) return problem(`annotation of image ${imageId} has no numeric id`);
    if (!isNumber(categoryId)) return problem(`annotation ${id} has no numeric category_id`);
    if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every(isNumber)) {
      return problem(`annotation ${id}: bbox must be [x, y, width, height] numbers`);
    }
    rows.addAnnotation(id, imageId, categoryId, bbox as number[]);
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

/** Partition of an id at a level: 64 ways on successive base-64 digits of the id. */
const bucketOf = (id: number, level: number): number =>
  Math.floor(Math.abs(id) / FANOUT ** level) % FANOUT;

interface PartitionFile {
  path: string;
  lines: number;
}

/** FANOUT files of lines, each buffered a little and appended with writeSync (no backpressure). */
class PartitionWriter {
  private readonly fds: number[] = [];
  private readonly buffers: string[] = [];
  private readonly counts: number[] = [];
  readonly paths: string[] = [];

  constructor(dir: string, prefix: string) {
    for (let i = 0; i < FANOUT; i++) {
      const file = path.join(dir, `${prefix}-${i}`);
      this.paths.push(file);
      this.fds.push(openSync(file, "w"));
      this.buffers.push("");
      this.counts.push(0);
    }
  }

  write(index: number, line: string): void {
    const buffered = (this.buffers[index] += line);
    this.counts[index]! += 1;
    // Small: a buffer is a rope of short strings, several times its length in memory.
    if (buffered.length >= 1 << 13) {
      writeSync(this.fds[index]!, buffered);
      this.buffers[index] = "";
    }
  }

  close(): PartitionFile[] {
    for (let i = 0; i < FANOUT; i++) {
      if (this.buffers[i]) writeSync(this.fds[i]!, this.buffers[i]!);
      this.buffers[i] = "";
      closeSync(this.fds[i]!);
    }
    return this.paths
      .map((p, i) => ({ path: p, lines: this.counts[i]! }))
      .filter((f) => f.lines > 0);
  }
}

/** Rows written to partition files: by image id, and annotation ids apart by id. */
class Spill implements CocoRows {
  private seq = 0;
  readonly rows: PartitionWriter;
  readonly annIds: PartitionWriter;

  constructor(readonly dir: string) {
    this.rows = new PartitionWriter(dir, "rows");
    this.annIds = new PartitionWriter(dir, "ids");
  }

  addImage(id: number, name: string, width: number, height: number): void {
    this.rows.write(bucketOf(id, 0), `I\t${id}\t${width}\t${height}\t${JSON.stringify(name)}\n`);
  }

  addAnnotation(id: number, imageId: number, categoryId: number, bbox: readonly number[]): void {
    this.rows.write(
      bucketOf(imageId, 0),
      `A\t${imageId}\t${id}\t${categoryId}\t${bbox.join("\t")}\n`,
    );
    this.annIds.write(bucketOf(id, 0), `${id}\n`);
  }

  addProblem(imageId: number, message: string): void {
    this.rows.write(bucketOf(imageId, 0), `P\t${imageId}\t${JSON.stringify(message)}\n`);
  }

  /**
   * Moves rows held in memory to the partitions (duplicates included, so they are still found), in
   * slices: a hundred thousand rows would otherwise hold the event loop for over 100 ms.
   */
  async take(held: CocoTables): Promise<void> {
    const pause = eventLoopSlices();
    for (let i = 0; i < held.imageIds.length; i++) {
      if (i % 1024 === 0) await pause();
      this.addImage(
        held.imageIds.at(i),
        held.imageNames[i] ?? "",
        held.imageWidths.at(i),
        held.imageHeights.at(i),
      );
    }
    for (const id of held.duplicateImageIds) this.addImage(id, "", 0, 0);
    for (let k = 0; k < held.annIds.length; k++) {
      if (k % 1024 === 0) await pause();
      const b = 4 * k;
      this.addAnnotation(held.annIds.at(k), held.annImageIds.at(k), held.annCategoryIds.at(k), [
        held.annBoxes.at(b),
        held.annBoxes.at(b + 1),
        held.annBoxes.at(b + 2),
        held.annBoxes.at(b + 3),
      ]);
    }
    for (const [imageId, message] of held.imageProblems) this.addProblem(imageId, message);
  }

  nextDir(): string {
    return path.join(this.dir, `p${++this.seq}`);
  }
}

async function* linesOf(file: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  try {
    for await (const line of lines) if (line) yield line;
  } finally {
    lines.close();
  }
}

/** Image id of a partition line (second field of every kind). */
const lineImageId = (line: string): number => Number(line.slice(2, line.indexOf("\t", 2)));

/** Reads one partition back into tables. */
async function loadPartition(file: string, boxLimit: number): Promise<CocoTables> {
  const tables = new CocoTables(boxLimit);
  for await (const line of linesOf(file)) {
    const f = line.split("\t");
    if (f[0] === "I")
      tables.addImage(Number(f[1]), JSON.parse(f[4]!) as string, Number(f[2]), Number(f[3]));
    else if (f[0] === "A") {
      tables.addAnnotation(Number(f[2]), Number(f[1]), Number(f[3]), [
        Number(f[4]),
        Number(f[5]),
        Number(f[6]),
        Number(f[7]),
      ]);
    } else tables.addProblem(Number(f[1]), JSON.parse(f[2]!) as string);
  }
  return tables;
}

/** Partitions small enough to group in memory, splitting again the ones that are not. */
async function* partitionsOf(
  spill: Spill,
  files: readonly PartitionFile[],
  level: number,
  limit: number,
  boxLimit: number,
): AsyncGenerator<CocoTables> {
  for (const file of files) {
    if (file.lines <= limit || level >= MAX_LEVEL) {
      yield await loadPartition(file.path, boxLimit);
    } else {
      const dir = spill.nextDir();
      mkdirSync(dir);
      const writer = new PartitionWriter(dir, "rows");
      for await (const line of linesOf(file.path))
        writer.write(bucketOf(lineImageId(line), level + 1), line + "\n");
      yield* partitionsOf(spill, writer.close(), level + 1, limit, boxLimit);
    }
    rmSync(file.path, { force: true });
  }
}

/** Annotation ids used more than once, one id partition at a time. */
async function duplicateIdsOf(files: readonly PartitionFile[]): Promise<Set<number>> {
  const duplicates = new Set<number>();
  for (const file of files) {
    const ids = new Float64Array(file.lines);
    let n = 0;
    for await (const line of linesOf(file.path)) ids[n++] = Number(line);
    ids.subarray(0, n).sort();
    for (let k = 1; k < n; k++) if (ids[k] === ids[k - 1]) duplicates.add(ids[k]!);
    rmSync(file.path, { force: true });
  }
  return duplicates;
}

interface Loaded {
  /** Categories and problems that belong to no image. */
  meta: CocoTables;
  /** The rows, when they fit in memory. */
  held: CocoTables | null;
  /** The rows on disk, otherwise. */
  spill: Spill | null;
}

/** Streams one COCO file's tokens into tables; throws on malformed JSON or unreadable bytes. */
async function loadTables(tree: FileTree, file: string, spillAbove: number): Promise<Loaded> {
  const tables = new CocoTables();
  let held: CocoTables | null = new CocoTables();
  let spill: Spill | null = null;
  let rows: CocoRows = held;
  // The parser waits while held rows move to disk, so rows keep their order.
  const spillIfFull = () => {
    if (held && held.size > spillAbove) {
      const full = held;
      const target = new Spill(mkdtempSync(path.join(tmpdir(), "gridfill-coco-")));
      spill = target;
      held = null;
      rows = target;
      parser.pause();
      target.take(full).then(
        () => parser.resume(),
        (err: unknown) => {
          failure = err;
          parser.destroy(err as Error);
        },
      );
    }
  };
  let depth = 0;
  let topKey: string | null = null;
  let section: string | null = null;
  let element: Assembler | null = null;
  const onToken = (token: Token) => {
    if (element) {
      element.consume(token);
      if (element.done) {
        const value = element.current as Record<string, unknown>;
        if (section === "images") tables.image(value, rows);
        else if (section === "annotations") tables.annotation(value, rows);
        else tables.category(value);
        spillIfFull();
        element = null;
      }
      return;
    }
    switch (token.name) {
      case "startObject":
      case "startArray":
        if (depth === 0 && token.name !== "startObject")
          throw new SyntaxError("COCO root must be an object");
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
  const discard = () => {
    const s = spill as Spill | null;
    if (s) {
      s.rows.close();
      s.annIds.close();
      rmSync(s.dir, { recursive: true, force: true });
    }
  };
  try {
    await pipeline(tree.open(file), new StrictUtf8(), new SlicedText(), parser);
    if (failure) throw failure;
    if (depth !== 0) throw new SyntaxError("unexpected end of JSON");
  } catch (err) {
    discard();
    throw err;
  }
  return { meta: tables, held, spill };
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
    (f) =>
      f.split("/").some((s) => s.toLowerCase() === "annotations") ||
      /^(instances|_annotations)/i.test(baseName(f)),
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
  meta: CocoTables,
  tables: CocoTables,
  /** Duplicate annotation ids found over the whole file; computed from `tables` when null. */
  knownDuplicateAnnIds: Set<number> | null,
  images: ImageIndex,
  options: ReadOptions,
  sink: ReportSink,
): AsyncGenerator<DatasetRecord> {
  const report = (message: string, code: FormatError["code"]) =>
    sink.report({ file, code, message });
  for (const id of tables.duplicateImageIds)
    report(`image id ${id} is declared more than once; its images are skipped`, "DUPLICATE_ID");

  // Group boxes by image with a counting sort over compact arrays.
  const imageCount = tables.imageNames.length;
  const annCount = tables.annIds.length;
  const starts = new Uint32Array(imageCount + 1);
  const owner = new Int32Array(annCount);
  for (let k = 0; k < annCount; k++) {
    const index = tables.imageIndex.get(tables.annImageIds.at(k));
    owner[k] = index ?? -1;
    if (index === undefined) {
      report(
        `annotation ${tables.annIds.at(k)} refers to image id ${tables.annImageIds.at(k)}, which is not declared`,
        "MISSING_IMAGE",
      );
    } else starts[index + 1]! += 1;
  }
  for (let i = 0; i < imageCount; i++) starts[i + 1]! += starts[i]!;
  const order = new Uint32Array(starts[imageCount] ?? 0);
  const fill = starts.slice(0, imageCount);
  for (let k = 0; k < annCount; k++) {
    const index = owner[k]!;
    if (index >= 0) order[fill[index]!++] = k;
  }
  let duplicateAnnIds = knownDuplicateAnnIds;
  if (!duplicateAnnIds) {
    duplicateAnnIds = new Set<number>();
    const sortedIds = tables.annIds.values().slice().sort();
    for (let k = 1; k < sortedIds.length; k++) {
      if (sortedIds[k] === sortedIds[k - 1]) duplicateAnnIds.add(sortedIds[k]!);
    }
  }

  const split = splitOfAnnotationFile(file);
  const dirs = imageDirs(file, split);
  const pause = eventLoopSlices();
  for (let i = 0; i < imageCount; i++) {
    await pause();
    const id = tables.imageIds.at(i);
    const name = tables.imageNames[i] ?? "";
    if (tables.duplicateImageIds.has(id)) continue;
    const label = `image ${id} (${name})`;
    const contentProblem = tables.imageProblems.get(id);
    if (contentProblem) {
      report(`${label}: ${contentProblem}`, "MALFORMED_JSON");
      continue;
    }
    const boxCount = starts[i + 1]! - starts[i]! + (tables.droppedBoxes.get(id) ?? 0);
    const overLimit = tooManyBoxes(file, label, boxCount, options);
    if (overLimit) {
      sink.report(overLimit);
      continue;
    }
    const raw: LabeledBox[] = [];
    let problem: [string, FormatError["code"]] | null = null;
    for (let j = starts[i]!; j < starts[i + 1]! && !problem; j++) {
      const k = order[j]!;
      const annId = tables.annIds.at(k);
      const categoryId = tables.annCategoryIds.at(k);
      const className = meta.categories.get(categoryId);
      if (duplicateAnnIds.has(annId))
        problem = [`${label}: annotation id ${annId} is used more than once`, "DUPLICATE_ID"];
      else if (meta.duplicateCategoryIds.has(categoryId))
        problem = [
          `${label}: category id ${categoryId} is declared more than once`,
          "DUPLICATE_ID",
        ];
      else if (className === undefined)
        problem = [
          `${label}: annotation ${annId} has category_id ${categoryId}, which is not declared`,
          "UNKNOWN_CATEGORY",
        ];
      else {
        const b = 4 * k;
        raw.push({
          className,
          box: fromCoco([
            tables.annBoxes.at(b),
            tables.annBoxes.at(b + 1),
            tables.annBoxes.at(b + 2),
            tables.annBoxes.at(b + 3),
          ]),
        });
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
      image: {
        relPath: path,
        file: () => tree.open(path),
        filenameHint: name,
        width: size.width,
        height: size.height,
      },
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
        sink.report(
          refused ?? { file: wanted, code: "UNSUPPORTED", message: "annotations file not found" },
        );
        return;
      }
    }
    const spillAbove = Math.max(1, options.spillAbove ?? DEFAULT_SPILL_ABOVE);
    for (const file of annotationFiles) {
      let loaded: Loaded;
      try {
        loaded = await loadTables(tree, file, spillAbove);
      } catch (err) {
        sink.report(jsonFailure(file, err));
        continue;
      }
      const { meta, held, spill } = loaded;
      for (const message of meta.looseProblems)
        sink.report({ file, code: "MALFORMED_JSON", message });
      if (held) {
        yield* recordsOf(tree, file, meta, held, null, images, options, sink);
        continue;
      }
      try {
        const parts = spill!.rows.close();
        const duplicates = await duplicateIdsOf(spill!.annIds.close());
        const boxLimit = options.maxBoxesPerImage ?? DEFAULT_MAX_BOXES_PER_IMAGE;
        for await (const part of partitionsOf(spill!, parts, 0, spillAbove, boxLimit)) {
          yield* recordsOf(tree, file, meta, part, duplicates, images, options, sink);
        }
      } finally {
        rmSync(spill!.dir, { recursive: true, force: true });
      }
    }
  });
}
