/**
 * YOLO writer (Ultralytics layout): `images/<split>/<name>`, `labels/<split>/<stem>.txt` with
 * `class x_center y_center width height` normalised to the image, and `data.yaml` listing the
 * split folders and class names. Records without a split go to `images/` and `labels/`.
 */
import type { Writable } from "node:stream";
import { toYolo } from "@gridfill/balance";
import { stringify } from "yaml";
import { stemOf } from "./file-tree.ts";
import type { ExportRecord, LabeledBox, Split } from "./model.ts";
import { SPLIT_NAMES } from "./model.ts";
import { worthCompressing, writeArchive } from "./archive.ts";
import type { ClassList, WriteOptions, WriteSummary } from "./archive.ts";

/** Six decimals keep boxes within a thousandth of a pixel for images up to 1000 px, 0.01 px at 10k. */
const fixed = (value: number) => String(Number(value.toFixed(6)));

/** One image's label file. */
export function yoloLabel(
  boxes: readonly LabeledBox[],
  image: { width: number; height: number },
  classes: ClassList,
): string {
  return boxes
    .map(({ className, box }) => {
      const y = toYolo(box, image);
      return `${classes.indexOf(className)} ${fixed(y.xCenter)} ${fixed(y.yCenter)} ${fixed(y.width)} ${fixed(y.height)}\n`;
    })
    .join("");
}

/** Writes records as a YOLO zip to `out`; resolves once `out` has the whole archive. */
export function writeYolo(
  records: AsyncIterable<ExportRecord> | Iterable<ExportRecord>,
  out: Writable,
  options: WriteOptions = {},
): Promise<WriteSummary> {
  const splits = new Set<Split | undefined>();
  return writeArchive(
    out,
    records,
    options,
    async (archive, record, name, classes) => {
      const { image, boxes, split } = record;
      splits.add(split);
      const sub = split ? `/${split}` : "";
      await archive.addStream(`images${sub}/${name}`, image.stream, worthCompressing(name));
      archive.addText(`labels${sub}/${stemOf(name)}.txt`, yoloLabel(boxes, image, classes));
    },
    async (archive, classes) => {
      const data: Record<string, unknown> = { path: "." };
      for (const split of SPLIT_NAMES) if (splits.has(split)) data[split] = `images/${split}`;
      // Ultralytics needs a train entry; unsplit images live directly in images/.
      if (splits.has(undefined) && !data.train) data.train = "images";
      data.nc = classes.names.length;
      data.names = Object.fromEntries(classes.names.map((name, i) => [i, name]));
      archive.addText("data.yaml", stringify(data));
    },
  );
}
