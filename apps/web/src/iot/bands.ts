/** Parsing and labelling of sensor bands for the band-balance chart. */

/** "30, 60, 80" → sorted distinct edges, or an error message. */
export function parseEdges(text: string): { edges: number[] } | { error: string } {
  const parts = text
    .split(/[,;\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) return { error: "Give at least one edge, e.g. 40, 60, 80." };
  const values: number[] = [];
  for (const part of parts) {
    const value = Number(part);
    if (!Number.isFinite(value)) return { error: `"${part}" is not a number.` };
    values.push(value);
  }
  return { edges: [...new Set(values)].sort((a, b) => a - b) };
}

function edge(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/** [lower, upper) as the chart labels it: "< 40", "40–60", "≥ 80". */
export function bandLabel(lower: number | null, upper: number | null): string {
  if (lower == null && upper == null) return "all";
  if (lower == null) return `< ${edge(upper!)}`;
  if (upper == null) return `≥ ${edge(lower)}`;
  return `${edge(lower)}–${edge(upper)}`;
}
