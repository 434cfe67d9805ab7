/**
 * Streaming zip output shared by the writers (yazl). Entries are added in order and their bytes
 * flow straight to the destination; at most a few image streams are open at once, so memory does
 * not grow with the dataset.
 */
import { pipeline } from "node:stream/promises";
import type { Readable, Writable } from "node:stream";
import yazl from "yazl";
import { extensionOf, stemOf } from "./file-tree.ts";
import type { ExportRecord, Split } from "./model.ts";

/** Images waiting in the archive queue before the writer stops pulling records. */
const MAX_PENDING_STREAMS = 2;

export class ArchiveWriter {
  private readonly zip = new yazl.ZipFile();
  private readonly done: Promise<void>;
  private pending = 0;
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private get output(): Readable {
    return this.zip.outputStream as Readable;
  }

  constructor(out: Writable) {
    this.done = pipeline(this.output, out);
    this.done.catch((err: Error) => {
      this.failure = err;
      this.wake?.();
    });
  }

  /** Adds a small text or JSON file (compressed). */
  addText(path: string, text: string): void {
    this.check();
    this.zip.addBuffer(Buffer.from(text, "utf8"), path);
  }

  /**
   * Adds a stream opened only when the archive reaches it. Waits while too many are queued, so a
   * fast record source cannot run ahead of a slow destination.
   */
  async addStream(path: string, open: () => Readable, compress = true): Promise<void> {
    this.check();
    while (this.pending >= MAX_PENDING_STREAMS) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.check();
    }
    this.pending++;
    const release = () => {
      this.pending--;
      const wake = this.wake;
      this.wake = null;
      wake?.();
    };
    this.zip.addReadStreamLazy(path, { compress }, (callback) => {
      let stream: Readable;
      try {
        stream = open();
      } catch (err) {
        release();
        callback(err as Error, undefined as unknown as Readable);
        return;
      }
      let released = false;
      const once = () => {
        if (!released) {
          released = true;
          release();
        }
      };
      stream.once("end", once);
      stream.once("close", once);
      stream.once("error", (err) => {
        once();
        this.output.destroy(err);
      });
      callback(null, stream);
    });
  }

  /** Writes the central directory and waits until the destination has everything. */
  async finish(): Promise<void> {
    this.check();
    this.zip.end();
    await this.done;
  }

  /** Stops the archive after a failure so the destination sees an error, not a truncated zip. */
  abort(err: Error): void {
    this.output.destroy(err);
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }
}

/** Already-compressed image formats are stored as they are; deflating them again wastes time. */
export function worthCompressing(name: string): boolean {
  return !["jpg", "jpeg", "png", "gif", "webp"].includes(extensionOf(name));
}

/**
 * Gives each image a safe, unique file name: the base name only (no folders), unique by stem
 * without regard to case because labels are named by stem and archives get unpacked on
 * case-insensitive disks. A clash gets `_2`, `_3`… before the extension.
 */
export class ImageNames {
  private readonly stems = new Set<string>();
  renamed = 0;

  claim(requested: string): string {
    const base = requested.replace(/\\/g, "/").split("/").pop()?.trim() ?? "";
    if (!base || base === "." || base === ".." || base.includes("\0")) {
      throw new Error(`unusable image name: ${JSON.stringify(requested)}`);
    }
    const stem = stemOf(base);
    const extension = base.slice(stem.length);
    let name = base;
    for (let n = 2; this.stems.has(stemOf(name).toLowerCase()); n++)
      name = `${stem}_${n}${extension}`;
    if (name !== base) this.renamed++;
    this.stems.add(stemOf(name).toLowerCase());
    return name;
  }
}

/** Class list in a fixed order: the caller's, then new names as they first appear. */
export class ClassList {
  readonly names: string[];
  private readonly index = new Map<string, number>();
  constructor(initial: readonly string[] = []) {
    this.names = [];
    for (const name of initial) this.indexOf(name);
  }
  indexOf(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }
}

export interface WriteOptions {
  /** Class order (YOLO indexes, COCO category ids from 1); classes not listed follow as met. */
  classes?: readonly string[];
}

export interface WriteSummary {
  images: number;
  boxes: number;
  classes: string[];
  /** Images per split; records without a split count under "none". */
  splits: Partial<Record<Split | "none", number>>;
  /** Images whose name was changed to stay unique. */
  renamed: number;
}

/** Runs a writer body over the records, aborting the archive if anything fails. */
export async function writeArchive(
  out: Writable,
  records: AsyncIterable<ExportRecord> | Iterable<ExportRecord>,
  options: WriteOptions,
  body: (
    archive: ArchiveWriter,
    record: ExportRecord,
    name: string,
    classes: ClassList,
  ) => Promise<void>,
  epilogue: (archive: ArchiveWriter, classes: ClassList) => Promise<void>,
): Promise<WriteSummary> {
  const archive = new ArchiveWriter(out);
  const names = new ImageNames();
  const classes = new ClassList(options.classes);
  const summary: WriteSummary = {
    images: 0,
    boxes: 0,
    classes: classes.names,
    splits: {},
    renamed: 0,
  };
  try {
    for await (const record of records) {
      const name = names.claim(record.image.name);
      await body(archive, record, name, classes);
      if (record.sidecar !== undefined) {
        archive.addText(
          `lineage/${stemOf(name)}.json`,
          `${JSON.stringify(record.sidecar, null, 2)}\n`,
        );
      }
      summary.images++;
      summary.boxes += record.boxes.length;
      const split = record.split ?? "none";
      summary.splits[split] = (summary.splits[split] ?? 0) + 1;
    }
    await epilogue(archive, classes);
    await archive.finish();
  } catch (err) {
    archive.abort(err as Error);
    throw err;
  }
  summary.renamed = names.renamed;
  return summary;
}
