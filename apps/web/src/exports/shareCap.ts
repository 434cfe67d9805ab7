/** Parses the export's cap field: empty → the dataset's cap (null); otherwise 0 ≤ cap < 1. */
export function parseShareCap(text: string): { value: number | null; error: string | null } {
  const trimmed = text.trim();
  if (!trimmed) return { value: null, error: null };
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < 0 || value >= 1)
    return {
      value: null,
      error: "The synthetic share cap is a fraction from 0 up to (not including) 1.",
    };
  return { value, error: null };
}
