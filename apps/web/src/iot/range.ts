/** Time ranges of the device page and the server-side bucket each one asks for. */

export type RangePreset = "1h" | "6h" | "24h" | "7d" | "custom";

export const PRESET_MS: Record<Exclude<RangePreset, "custom">, number> = {
  "1h": 3_600_000,
  "6h": 6 * 3_600_000,
  "24h": 24 * 3_600_000,
  "7d": 7 * 24 * 3_600_000,
};

/** Keeps a chart readable and the payload small; the API itself allows up to 10,000. */
export const MAX_CHART_POINTS = 500;

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Round widths in the units the API's `bucket` accepts (second, minute, hour, day). */
export const BUCKETS: { label: string; ms: number }[] = [
  { label: "1 second", ms: SECOND },
  { label: "5 seconds", ms: 5 * SECOND },
  { label: "10 seconds", ms: 10 * SECOND },
  { label: "30 seconds", ms: 30 * SECOND },
  { label: "1 minute", ms: MINUTE },
  { label: "5 minutes", ms: 5 * MINUTE },
  { label: "15 minutes", ms: 15 * MINUTE },
  { label: "30 minutes", ms: 30 * MINUTE },
  { label: "1 hour", ms: HOUR },
  { label: "3 hours", ms: 3 * HOUR },
  { label: "6 hours", ms: 6 * HOUR },
  { label: "12 hours", ms: 12 * HOUR },
  { label: "1 day", ms: DAY },
  { label: "7 days", ms: 7 * DAY },
  { label: "30 days", ms: 30 * DAY },
];

/**
 * The narrowest bucket that keeps [from, to) at or under `maxPoints` points. date_bin aligns
 * buckets to a fixed origin, so a range can touch one more bucket than span / width: counted here
 * the way the API counts it. Ranges wider than the largest bucket allows get the largest.
 */
export function chooseBucket(
  fromMs: number,
  toMs: number,
  maxPoints = MAX_CHART_POINTS,
): { label: string; ms: number } {
  const span = Math.max(0, toMs - fromMs);
  for (const bucket of BUCKETS) {
    if (Math.ceil(span / bucket.ms) + 1 <= maxPoints) return bucket;
  }
  return BUCKETS[BUCKETS.length - 1]!;
}

/** The window a preset covers, ending at `nowMs`. */
export function presetRange(preset: Exclude<RangePreset, "custom">, nowMs: number) {
  return { fromMs: nowMs - PRESET_MS[preset], toMs: nowMs };
}
