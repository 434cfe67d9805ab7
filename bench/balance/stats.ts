// Latency summaries. Percentiles by the nearest-rank method: with 200 samples p95 is the 190th.

export interface Summary {
  calls: number;
  p50: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
}

export function summarize(samples: number[]): Summary {
  if (samples.length === 0) throw new Error("no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  return {
    calls: sorted.length,
    p50: rank(0.5),
    p95: rank(0.95),
    mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

/** Runs `fn` `warmup` times unmeasured, then `calls` times sequentially, timing each call in ms. */
export async function measure(
  calls: number,
  warmup: number,
  fn: () => Promise<unknown>,
): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return summarize(samples);
}

export function ms(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}
