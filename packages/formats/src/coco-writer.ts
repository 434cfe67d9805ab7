/**
 * COCO writer: `images/<split>/<name>` and one `annotations/instances_<split>.json` per split
 * (`instances.json` for records without a split). A zip holds one entry at a time, so each
 * split's `images` and `annotations` arrays are spooled to temporary files while the images
 * stream into the archive, then joined into the JSON entries at the end: memory stays flat.
 */
import { createReadStream, createWriteStream } from "node:fs";
import type { WriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { toCoco } from "@gridfill/balance";
import type { ExportRecord, Split } from "./model.ts";
import { worthCompressing, writeArchive } from "./archive.ts";
import type { WriteOptions, WriteSummary } from "./archive.ts";

export interface CocoWriteOptions extends WriteOptions {
  /** Folder for the spool files; default the system temporary folder. */
  tempDir?: string;
}

/** Appends comma-separated JSON values to a file, waiting when the disk falls behind. */
class JsonSpool {
  readonly file: WriteStream;
  private count = 0;
  constructor(readonly path: string) {
    this.file = createWriteStream(path);
  }
  async append(value: unknown): Promise<void> {
    const ok = this.file.write(`${this.count++ ? "," : ""}\n${JSON.stringify(value)}`);
    if (!ok) await once(this.file, "drain");
  }
  async close(): Promise<void> {
    this.file.end();
    await once(this.file, "close");
  }
}

interface SplitSpool {
  images: JsonSpool;
  annotations: JsonSpool;
}

const fileFor = (split: Split | undefined) =>
  `annotations/instances${split ? `_${split}` : ""}.json`;

/** Writes records as a COCO zip to `out`; resolves once `out` has the whole archive. */
export async function writeCoco(
  records: AsyncIterable<ExportRecord> | Iterable<ExportRecord>,
  out: Writable,
  options: CocoWriteOptions = {},
): Promise<WriteSummary> {
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), "gridfill-coco-"));
  const spools = new Map<Split | undefined, SplitSpool>();
  let imageId = 0;
  let annotationId = 0;
  try {
    return await writeArchive(
      out,
      records,
      options,
      async (archive, record, name, classes) => {
        const { image, boxes, split } = record;
        let spool = spools.get(split);
        if (!spool) {
          const key = split ?? "none";
          spool = {
            images: new JsonSpool(join(dir, `${key}.images`)),
            annotations: new JsonSpool(join(dir, `${key}.annotations`)),
          };
          spools.set(split, spool);
        }
        const folder = split ? `images/${split}` : "images";
        await archive.addStream(`${folder}/${name}`, image.stream, worthCompressing(name));
        const id = ++imageId;
        await spool.images.append({
          id,
          file_name: name,
          width: image.width,
          height: image.height,
        });
        for (const { className, box } of boxes) {
          await spool.annotations.append({
            id: ++annotationId,
            image_id: id,
            category_id: classes.indexOf(className) + 1,
            bbox: toCoco(box),
            area: box.width * box.height,
            iscrowd: 0,
            segmentation: [],
          });
        }
      },
      async (archive, classes) => {
        const categories = JSON.stringify(
          classes.names.map((name, i) => ({ id: i + 1, name, supercategory: "" })),
        );
        for (const [split, spool] of spools) {
          await spool.images.close();
          await spool.annotations.close();
          const info = JSON.stringify({ description: "gridfill export", version: "1.0" });
          async function* json() {
            yield `{"info":${info},"licenses":[],"images":[`;
            yield* createReadStream(spool.images.path);
            yield `\n],"annotations":[`;
            yield* createReadStream(spool.annotations.path);
            yield `\n],"categories":${categories}}\n`;
          }
          await archive.addStream(fileFor(split), () => Readable.from(json()), true);
        }
      },
    );
  } finally {
    // Spool files are read by the archive before writeArchive resolves; after that they can go.
    for (const spool of spools.values()) {
      spool.images.file.destroy();
      spool.annotations.file.destroy();
    }
    await rm(dir, { recursive: true, force: true });
  }
}
