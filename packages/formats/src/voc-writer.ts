/**
 * Pascal VOC writer: `JPEGImages/<name>`, `Annotations/<stem>.xml` (1-based inclusive corners),
 * `ImageSets/Main/<split>.txt` (plus `trainval.txt`), and `classes.txt`, as one streamed zip.
 */
import type { Writable } from "node:stream";
import { toVoc } from "@gridfill/balance";
import { stemOf } from "./file-tree.ts";
import type { ExportRecord, LabeledBox, Split } from "./model.ts";
import { SPLIT_NAMES } from "./model.ts";
import { worthCompressing, writeArchive } from "./archive.ts";
import type { WriteOptions, WriteSummary } from "./archive.ts";

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** One image's VOC annotation. */
export function vocXml(
  name: string,
  width: number,
  height: number,
  boxes: readonly LabeledBox[],
): string {
  const objects = boxes.map(({ className, box }) => {
    const voc = toVoc(box);
    return [
      "  <object>",
      `    <name>${escapeXml(className)}</name>`,
      "    <pose>Unspecified</pose>",
      "    <truncated>0</truncated>",
      "    <difficult>0</difficult>",
      "    <bndbox>",
      `      <xmin>${voc.xmin}</xmin>`,
      `      <ymin>${voc.ymin}</ymin>`,
      `      <xmax>${voc.xmax}</xmax>`,
      `      <ymax>${voc.ymax}</ymax>`,
      "    </bndbox>",
      "  </object>",
    ].join("\n");
  });
  return [
    "<annotation>",
    "  <folder>JPEGImages</folder>",
    `  <filename>${escapeXml(name)}</filename>`,
    "  <size>",
    `    <width>${width}</width>`,
    `    <height>${height}</height>`,
    "    <depth>3</depth>",
    "  </size>",
    "  <segmented>0</segmented>",
    ...objects,
    "</annotation>",
    "",
  ].join("\n");
}

/** Writes records as a VOC zip to `out`; resolves once `out` has the whole archive. */
export function writeVoc(
  records: AsyncIterable<ExportRecord> | Iterable<ExportRecord>,
  out: Writable,
  options: WriteOptions = {},
): Promise<WriteSummary> {
  // Split lists hold one short stem per image: small next to the images themselves.
  const lists = new Map<Split, string[]>();
  return writeArchive(
    out,
    records,
    options,
    async (archive, record, name, classes) => {
      const { image, boxes, split } = record;
      for (const b of boxes) classes.indexOf(b.className);
      await archive.addStream(`JPEGImages/${name}`, image.stream, worthCompressing(name));
      archive.addText(
        `Annotations/${stemOf(name)}.xml`,
        vocXml(name, image.width, image.height, boxes),
      );
      if (split) {
        const stems = lists.get(split);
        if (stems) stems.push(stemOf(name));
        else lists.set(split, [stemOf(name)]);
      }
    },
    async (archive, classes) => {
      const list = (stems: readonly string[]) => (stems.length ? `${stems.join("\n")}\n` : "");
      for (const split of SPLIT_NAMES) {
        const stems = lists.get(split);
        if (stems) archive.addText(`ImageSets/Main/${split}.txt`, list(stems));
      }
      if (lists.has("train") || lists.has("val")) {
        archive.addText(
          "ImageSets/Main/trainval.txt",
          list([...(lists.get("train") ?? []), ...(lists.get("val") ?? [])]),
        );
      }
      archive.addText("classes.txt", list(classes.names));
    },
  );
}
