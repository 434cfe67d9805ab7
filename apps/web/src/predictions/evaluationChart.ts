// Pure geometry and colour for the evaluation page: the PR curve as an SVG path, the confusion
// matrix's heat, and how an AP change reads. No React, so it is tested beside it.
import type { PrPoint } from "./predictions.graphql";

export interface Plot {
  width: number;
  height: number;
  padding: number;
}

/** An SVG path through (recall, precision), recall along x, precision up; 0..1 on both axes. */
export function curvePath(points: readonly PrPoint[], plot: Plot): string {
  const w = plot.width - 2 * plot.padding;
  const h = plot.height - 2 * plot.padding;
  return points
    .map((p, i) => {
      const x = plot.padding + p.recall * w;
      const y = plot.padding + (1 - p.precision) * h;
      return `${i === 0 ? "M" : "L"}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(" ");
}

/** Share of a row's total in a cell, so a rare class's row is as readable as a common one's. */
export function rowShare(
  matrix: readonly (readonly number[])[],
  row: number,
  column: number,
): number {
  const total = matrix[row]!.reduce((a, b) => a + b, 0);
  return total > 0 ? matrix[row]![column]! / total : 0;
}

/** Heat for a share: the diagonal in green (right), elsewhere in red (confused or missed). */
export function heatColor(share: number, onDiagonal: boolean): string {
  const alpha = Math.max(0, Math.min(1, share)).toFixed(2);
  return onDiagonal ? `rgba(34, 139, 84, ${alpha})` : `rgba(200, 60, 50, ${alpha})`;
}

export type DeltaTone = "better" | "worse" | "same";

/** How an AP change reads: within ±0.005 is no change worth colouring. */
export function deltaTone(delta: number | null): DeltaTone {
  if (delta === null || Math.abs(delta) < 0.005) return "same";
  return delta > 0 ? "better" : "worse";
}

export function formatMetric(value: number | null): string {
  return value === null ? "—" : value.toFixed(3);
}

export function formatDelta(value: number | null): string {
  if (value === null) return "—";
  return `${value >= 0 ? "+" : "−"}${Math.abs(value).toFixed(3)}`;
}

/** The class whose AP50 changed most, by absolute change: the one a fill was meant to move. */
export function largestChange<T extends { ap50Delta: number | null }>(
  rows: readonly T[],
): T | null {
  let best: T | null = null;
  for (const row of rows) {
    if (row.ap50Delta === null) continue;
    if (!best || Math.abs(row.ap50Delta) > Math.abs(best.ap50Delta!)) best = row;
  }
  return best;
}
