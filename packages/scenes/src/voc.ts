/** Pascal VOC annotation writer. */
import type { SceneObject } from "./scene.ts";

export interface VocAnnotation {
  filename: string;
  width: number;
  height: number;
  objects: readonly Pick<SceneObject, "name" | "bbox">[] | readonly SceneObject[];
  /** Dataset folder name written to <folder>. Default "gridfill-scenes". */
  folder?: string;
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/**
 * Serialises one image's annotation in the standard VOC layout.
 * Coordinates follow the VOC convention: 1-based, inclusive pixel indices, so a
 * scene box {xmin, xmax} (0-based edges) is written as xmin+1 .. xmax.
 */
export function toVocXml(a: VocAnnotation): string {
  const objects = a.objects
    .map((o) => {
      const truncated = "truncated" in o && o.truncated ? 1 : 0;
      return [
        "  <object>",
        `    <name>${escapeXml(o.name)}</name>`,
        "    <pose>Unspecified</pose>",
        `    <truncated>${truncated}</truncated>`,
        "    <difficult>0</difficult>",
        "    <bndbox>",
        `      <xmin>${Math.round(o.bbox.xmin) + 1}</xmin>`,
        `      <ymin>${Math.round(o.bbox.ymin) + 1}</ymin>`,
        `      <xmax>${Math.round(o.bbox.xmax)}</xmax>`,
        `      <ymax>${Math.round(o.bbox.ymax)}</ymax>`,
        "    </bndbox>",
        "  </object>",
      ].join("\n");
    })
    .join("\n");
  return [
    "<annotation>",
    `  <folder>${escapeXml(a.folder ?? "gridfill-scenes")}</folder>`,
    `  <filename>${escapeXml(a.filename)}</filename>`,
    "  <source>",
    "    <database>gridfill procedural power scenes</database>",
    "  </source>",
    "  <size>",
    `    <width>${a.width}</width>`,
    `    <height>${a.height}</height>`,
    "    <depth>3</depth>",
    "  </size>",
    "  <segmented>0</segmented>",
    ...(objects ? [objects] : []),
    "</annotation>",
    "",
  ].join("\n");
}
