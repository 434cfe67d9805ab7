// The detector ONNX contract, checked without a session (no runtime needed: the API and the
// registry use it). A detector takes one image and returns boxes in input pixels, either after NMS
// or as the common YOLO raw head that the TypeScript side decodes and suppresses:
//
//   input   images   float32 [1, 3, H, W], RGB, normalised as metadata `normalization` says
//                    ("0-1", the default: pixel / 255; or "imagenet": (pixel / 255 − mean) / std)
//   outputs boxes    float32 [N, 4]  x1, y1, x2, y2 in input pixels
//           scores   float32 [N]
//           classes  int64   [N]     indices into the class names
//      or   one output float32 [1, 4 + C, A]  YOLO head: cx, cy, w, h, then C class scores
//
// Class names come from metadata `class_names` (JSON list) or `names` (Ultralytics: a JSON or
// Python-style {0: 'a', 1: 'b'} map). H and W are fixed in the graph or given as metadata
// `image_size` ("640" or "480x640", H×W).
import { GeneratorError } from "./errors.ts";
import { readOnnxInfo, type OnnxModelInfo, type ValueInfo } from "./metadata.ts";

export type DetectorHead = "nms" | "yolo";
export type Normalization = "0-1" | "imagenet";

export interface DetectorDescription {
  head: DetectorHead;
  inputName: string;
  height: number;
  width: number;
  normalization: Normalization;
  classNames: string[];
  /** Output names: boxes, scores, classes for "nms"; the one head for "yolo". */
  outputs: string[];
}

const fail = (message: string) => new GeneratorError("CONTRACT_MISMATCH", message);

function dims(value: ValueInfo): (number | string | null)[] {
  if (!value.shape) throw fail(`${value.name}: no shape`);
  return value.shape;
}

function parseNames(raw: string | undefined): string[] | null {
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (Array.isArray(parsed)) return parsed.map(String);
    if (parsed && typeof parsed === "object")
      return namesFromMap(parsed as Record<string, unknown>);
  } catch {
    // Ultralytics writes a Python dict: {0: 'insulator', 1: 'nest'}.
    const entries = [...raw.matchAll(/(\d+)\s*:\s*'((?:[^'\\]|\\.)*)'/g)];
    if (entries.length) return namesFromMap(Object.fromEntries(entries.map((m) => [m[1]!, m[2]!])));
  }
  return null;
}

function namesFromMap(map: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const [k, v] of Object.entries(map)) names[Number(k)] = String(v);
  if (names.some((n) => n === undefined) || names.length === 0) throw fail("class names have gaps");
  return names;
}

function imageSize(
  input: ValueInfo,
  metadata: Record<string, string>,
): { height: number; width: number } {
  const [, , h, w] = dims(input);
  if (typeof h === "number" && typeof w === "number" && h > 0 && w > 0)
    return { height: h, width: w };
  const declared = metadata.image_size ?? metadata.imgsz;
  const m = declared ? /^\[?\s*(\d+)(?:\s*[x,]\s*(\d+))?\s*\]?$/.exec(declared.trim()) : null;
  if (!m) throw fail("the input's H and W are dynamic and metadata image_size does not give them");
  return { height: Number(m[1]), width: Number(m[2] ?? m[1]) };
}

/** Checks a parsed ONNX header against the detector contract. */
export function checkDetectorContract(info: OnnxModelInfo): DetectorDescription {
  const input =
    info.inputs.find((i) => i.name === "images") ??
    (info.inputs.length === 1 ? info.inputs[0] : undefined);
  if (!input) throw fail("no input named images");
  if (input.type !== "float32") throw fail(`input ${input.name} must be float32, is ${input.type}`);
  const shape = dims(input);
  if (shape.length !== 4 || (typeof shape[1] === "number" && shape[1] !== 3))
    throw fail(`input ${input.name} must be [1, 3, H, W]`);
  if (typeof shape[0] === "number" && shape[0] !== 1)
    throw fail(`input ${input.name} takes one image (batch 1)`);
  const { height, width } = imageSize(input, info.metadata);
  const normalization = (info.metadata.normalization ?? "0-1") as Normalization;
  if (normalization !== "0-1" && normalization !== "imagenet")
    throw fail(`metadata normalization must be "0-1" or "imagenet", is "${normalization}"`);
  const names = parseNames(info.metadata.class_names ?? info.metadata.names);
  const byName = new Map(info.outputs.map((o) => [o.name, o]));
  const boxes = byName.get("boxes");
  const scores = byName.get("scores");
  const classes = byName.get("classes");
  if (boxes && scores && classes) {
    if (boxes.type !== "float32" || scores.type !== "float32")
      throw fail("boxes and scores must be float32");
    if (classes.type !== "int64" && classes.type !== "int32") throw fail("classes must be int64");
    const b = dims(boxes);
    if (b.length !== 2 || (typeof b[1] === "number" && b[1] !== 4))
      throw fail("boxes must be [N, 4]");
    if (!names) throw fail("metadata class_names (a JSON list) is required");
    return {
      head: "nms",
      inputName: input.name,
      height,
      width,
      normalization,
      classNames: names,
      outputs: ["boxes", "scores", "classes"],
    };
  }
  if (info.outputs.length === 1) {
    const head = info.outputs[0]!;
    const s = dims(head);
    if (head.type !== "float32" || s.length !== 3)
      throw fail("a YOLO head must be float32 [1, 4 + C, A]");
    if (!names) throw fail("metadata names or class_names is required");
    if (typeof s[1] === "number" && s[1] !== 4 + names.length)
      throw fail(`the YOLO head has ${s[1]} rows, expected 4 + ${names.length} classes`);
    return {
      head: "yolo",
      inputName: input.name,
      height,
      width,
      normalization,
      classNames: names,
      outputs: [head.name],
    };
  }
  throw fail("outputs must be boxes, scores and classes, or one YOLO head [1, 4 + C, A]");
}

/** Parses and checks detector bytes; a corrupt file is refused like a wrong one. */
export function describeDetector(bytes: Uint8Array): DetectorDescription {
  let info: OnnxModelInfo;
  try {
    info = readOnnxInfo(bytes);
  } catch (error) {
    throw error instanceof GeneratorError
      ? error
      : new GeneratorError("CORRUPT_MODEL", `not an ONNX model: ${(error as Error).message}`);
  }
  return checkDetectorContract(info);
}
