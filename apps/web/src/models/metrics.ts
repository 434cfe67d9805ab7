/** A model card's free-form metrics as rows for a small key / value table. */

export interface MetricRow {
  key: string;
  value: string;
}

function formatValue(value: unknown): string {
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/**
 * Flat values become one row each; an object one level down becomes dotted rows
 * (`downstreamF1.fill_mvsa`); anything deeper, and arrays, are shown as compact JSON.
 */
export function metricRows(metrics: unknown): MetricRow[] | string | null {
  if (metrics == null) return null;
  if (typeof metrics !== "object" || Array.isArray(metrics)) return JSON.stringify(metrics);
  const rows: MetricRow[] = [];
  for (const [key, value] of Object.entries(metrics as Record<string, unknown>)) {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value as Record<string, unknown>))
        rows.push({ key: `${key}.${inner}`, value: formatValue(innerValue) });
    } else rows.push({ key, value: formatValue(value) });
  }
  return rows;
}
