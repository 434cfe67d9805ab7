// `gridfill evaluate`: a run's per-class table (COCO AP, and P / R / F1 at a confidence), or two
// runs side by side with the AP deltas, through the API.
import type { ApiClient } from "../api-client.ts";
import { ApiError } from "../api-client.ts";

export interface EvaluateOptions {
  run: string;
  compare?: string;
  iou?: string;
  confidence?: string;
  json?: boolean;
}

export interface ClassRow {
  defectClass: { name: string };
  truths: number;
  predictions: number;
  ap50: number | null;
  ap: number | null;
  precision: number;
  recall: number;
  f1: number;
}

export interface EvaluationResult {
  iou: number;
  confidence: number;
  images: number;
  map50: number | null;
  map: number | null;
  classes: ClassRow[];
}

export interface ComparisonRow {
  defectClass: { name: string };
  truths: number;
  base: { ap50: number | null; ap: number | null };
  other: { ap50: number | null; ap: number | null };
  ap50Delta: number | null;
  apDelta: number | null;
}

const EVALUATION_FIELDS = `iou confidence images map50 map
  classes { defectClass { name } truths predictions ap50 ap precision recall f1 }`;

function threshold(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0 || v > 1)
    throw new ApiError(`--${name} must be a number in [0, 1]`, "BAD_USER_INPUT");
  return v;
}

export async function runEvaluate(
  client: ApiClient,
  opts: EvaluateOptions,
  out: NodeJS.WritableStream = process.stdout,
) {
  const iou = threshold(opts.iou, "iou", 0.5);
  const confidence = threshold(opts.confidence, "confidence", 0.5);
  if (opts.compare) {
    const { compareRuns } = await client.request<{
      compareRuns: {
        base: EvaluationResult;
        other: EvaluationResult;
        classes: ComparisonRow[];
        mapDelta: number | null;
      };
    }>(
      `query CliCompare($a: ID!, $b: ID!, $iou: Float, $confidence: Float) {
         compareRuns(baseRunId: $a, otherRunId: $b, iou: $iou, confidence: $confidence) {
           base { map50 map } other { map50 map } mapDelta
           classes { defectClass { name } truths base { ap50 ap } other { ap50 ap } ap50Delta apDelta } } }`,
      { a: opts.run, b: opts.compare, iou, confidence },
    );
    out.write(
      opts.json
        ? JSON.stringify(compareRuns, null, 2) + "\n"
        : formatComparison(compareRuns.classes),
    );
    return compareRuns;
  }
  const { evaluation } = await client.request<{ evaluation: EvaluationResult }>(
    `query CliEvaluate($id: ID!, $iou: Float, $confidence: Float) {
       evaluation(runId: $id, iou: $iou, confidence: $confidence) { ${EVALUATION_FIELDS} } }`,
    { id: opts.run, iou, confidence },
  );
  out.write(opts.json ? JSON.stringify(evaluation, null, 2) + "\n" : formatEvaluation(evaluation));
  return evaluation;
}

const num = (v: number | null, digits = 3) => (v === null ? "—" : v.toFixed(digits));
const signed = (v: number | null) => (v === null ? "—" : `${v >= 0 ? "+" : ""}${v.toFixed(3)}`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

export function formatEvaluation(e: EvaluationResult): string {
  const rows = e.classes.map((c) => [
    c.defectClass.name,
    String(c.truths),
    String(c.predictions),
    num(c.ap50),
    num(c.ap),
    num(c.precision),
    num(c.recall),
    num(c.f1),
  ]);
  rows.push(["mean", "", "", num(e.map50), num(e.map), "", "", ""]);
  return (
    `${e.images} images; P / R / F1 at confidence ${e.confidence}, IoU ${e.iou}\n` +
    table(["class", "truths", "preds", "AP50", "AP50:95", "P", "R", "F1"], rows)
  );
}

/** The class whose AP50 moved most is marked, the rare class a fill was meant to help. */
export function formatComparison(classes: ComparisonRow[]): string {
  const largest = classes.reduce<ComparisonRow | null>(
    (best, c) =>
      c.ap50Delta !== null && (best === null || Math.abs(c.ap50Delta) > Math.abs(best.ap50Delta!))
        ? c
        : best,
    null,
  );
  const rows = classes.map((c) => [
    c === largest ? `${c.defectClass.name} *` : c.defectClass.name,
    String(c.truths),
    num(c.base.ap50),
    num(c.other.ap50),
    signed(c.ap50Delta),
    num(c.base.ap),
    num(c.other.ap),
    signed(c.apDelta),
  ]);
  return (
    table(["class", "truths", "AP50 A", "AP50 B", "ΔAP50", "AP A", "AP B", "ΔAP"], rows) +
    "* largest AP50 change\n"
  );
}
