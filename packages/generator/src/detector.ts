// Running a detector that meets the contract (detector-contract.ts) on onnxruntime: the image is
// resized to the input size (stretched, as exports trained on squares expect), normalised, run,
// and the boxes are mapped back to the image's pixels. A YOLO raw head is decoded and suppressed
// here (per-class NMS), so both heads give the same kind of answer.
import * as ort from "onnxruntime-node";
import sharp from "sharp";
import { describeDetector, type DetectorDescription } from "./detector-contract.ts";

export interface Detection {
  classIndex: number;
  score: number;
  /** Pixels of the original image, top-left corner and size. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DetectOptions {
  /** Detections below this score are dropped; default 0.001 (evaluation wants the whole curve). */
  minScore?: number;
  /** IoU above which NMS suppresses the weaker box of a class (YOLO heads); default 0.6. */
  nmsIou?: number;
  /** Most detections kept per image; default 300. */
  maxDetections?: number;
}

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];

/** RGB bytes → [1, 3, H, W] float32, normalised as the model declares. */
export async function detectorInput(image: Buffer, d: DetectorDescription) {
  const { data, info } = await sharp(image)
    .removeAlpha()
    .toColourspace("srgb")
    .resize(d.width, d.height, { fit: "fill" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const plane = d.width * d.height;
  const tensor = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const v = data[i * info.channels + c]! / 255;
      tensor[c * plane + i] =
        d.normalization === "imagenet" ? (v - IMAGENET_MEAN[c]!) / IMAGENET_STD[c]! : v;
    }
  }
  return new ort.Tensor("float32", tensor, [1, 3, d.height, d.width]);
}

interface Candidate {
  classIndex: number;
  score: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

function iou(a: Candidate, b: Candidate): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
}

/** Greedy per-class NMS: best score first, dropping boxes of its class that overlap it above `threshold`. */
export function nonMaximumSuppression(
  candidates: Candidate[],
  threshold: number,
  limit: number,
): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const kept: Candidate[] = [];
  for (const c of sorted) {
    if (kept.length >= limit) break;
    if (kept.some((k) => k.classIndex === c.classIndex && iou(k, c) > threshold)) continue;
    kept.push(c);
  }
  return kept;
}

/** A YOLO head [1, 4 + C, A] (cx, cy, w, h, class scores per anchor) → each anchor's best class. */
export function decodeYoloHead(
  data: Float32Array,
  classCount: number,
  anchors: number,
  minScore: number,
): Candidate[] {
  const out: Candidate[] = [];
  for (let a = 0; a < anchors; a++) {
    let best = -1;
    let score = -Infinity;
    for (let c = 0; c < classCount; c++) {
      const s = data[(4 + c) * anchors + a]!;
      if (s > score) {
        score = s;
        best = c;
      }
    }
    if (score < minScore) continue;
    const cx = data[a]!;
    const cy = data[anchors + a]!;
    const w = data[2 * anchors + a]!;
    const h = data[3 * anchors + a]!;
    out.push({
      classIndex: best,
      score,
      x1: cx - w / 2,
      y1: cy - h / 2,
      x2: cx + w / 2,
      y2: cy + h / 2,
    });
  }
  return out;
}

/** A detector session with its description; one per model per worker process. */
export class Detector {
  private constructor(
    readonly description: DetectorDescription,
    private readonly session: ort.InferenceSession,
    readonly executionProvider: string,
  ) {}

  /** Checks the contract, then opens a session (CUDA when asked and available, else CPU). */
  static async load(
    bytes: Uint8Array,
    options: { executionProvider?: "cpu" | "cuda" } = {},
  ): Promise<Detector> {
    const description = describeDetector(bytes);
    if (options.executionProvider === "cuda") {
      try {
        const session = await ort.InferenceSession.create(bytes, {
          executionProviders: [{ name: "cuda" }],
          graphOptimizationLevel: "all",
        });
        return new Detector(description, session, "cuda");
      } catch {
        // No CUDA provider here: the CPU one is bundled.
      }
    }
    const session = await ort.InferenceSession.create(bytes, {
      executionProviders: ["cpu"],
      graphOptimizationLevel: "all",
    });
    return new Detector(description, session, "cpu");
  }

  /** Detections on one encoded image, in its pixels. */
  async detect(image: Buffer, options: DetectOptions = {}): Promise<Detection[]> {
    const d = this.description;
    const meta = await sharp(image).metadata();
    const width = meta.width ?? d.width;
    const height = meta.height ?? d.height;
    const outputs = await this.session.run({ [d.inputName]: await detectorInput(image, d) });
    const minScore = options.minScore ?? 0.001;
    let found: Candidate[];
    if (d.head === "yolo") {
      const head = outputs[d.outputs[0]!]!;
      const anchors = head.dims[2]!;
      found = nonMaximumSuppression(
        decodeYoloHead(head.data as Float32Array, d.classNames.length, anchors, minScore),
        options.nmsIou ?? 0.6,
        options.maxDetections ?? 300,
      );
    } else {
      const boxes = outputs.boxes!.data as Float32Array;
      const scores = outputs.scores!.data as Float32Array;
      const classes = outputs.classes!.data as BigInt64Array | Int32Array;
      found = [];
      for (let i = 0; i < scores.length && found.length < (options.maxDetections ?? 300); i++) {
        if (scores[i]! < minScore) continue;
        found.push({
          classIndex: Number(classes[i]!),
          score: scores[i]!,
          x1: boxes[i * 4]!,
          y1: boxes[i * 4 + 1]!,
          x2: boxes[i * 4 + 2]!,
          y2: boxes[i * 4 + 3]!,
        });
      }
    }
    const sx = width / d.width;
    const sy = height / d.height;
    return found
      .filter((c) => c.classIndex >= 0 && c.classIndex < d.classNames.length)
      .map((c) => {
        const x1 = Math.max(0, Math.min(width, c.x1 * sx));
        const y1 = Math.max(0, Math.min(height, c.y1 * sy));
        const x2 = Math.max(0, Math.min(width, c.x2 * sx));
        const y2 = Math.max(0, Math.min(height, c.y2 * sy));
        return {
          classIndex: c.classIndex,
          score: Math.min(1, Math.max(0, c.score)),
          x: x1,
          y: y1,
          width: x2 - x1,
          height: y2 - y1,
        };
      })
      .filter((c) => c.width > 0 && c.height > 0);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
