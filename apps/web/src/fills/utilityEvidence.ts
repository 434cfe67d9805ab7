/**
 * What the detector-utility benchmark measured for a model (its card's `detectorUtility` metrics,
 * written by `bench/utility`), reduced to what the fill dialog shows beside the method choice: the
 * rare-class AP50 of a detector trained on real images only, with copy-paste composites, and with
 * this model's composites, and whether the model's composites beat copy-paste beyond the spread.
 */
export interface MeasuredAp {
  mean: number;
  std: number;
  runs: number;
}

export interface UtilityEvidence {
  rareClass: string;
  rareTrainBoxes: number | null;
  realOnly: MeasuredAp | null;
  copyPaste: MeasuredAp | null;
  model: MeasuredAp | null;
  /** MODEL when the model's composites beat copy-paste by more than twice the larger spread. */
  better: "MODEL" | "COPY_PASTE" | "UNDECIDED";
  /** The method a new fill should start with. */
  suggested: "MODEL" | "COPY_PASTE";
}

function measured(value: unknown): MeasuredAp | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  const mean = v.mean;
  const std = v.std ?? 0;
  const runs = v.runs ?? 1;
  if (typeof mean !== "number" || typeof std !== "number" || typeof runs !== "number") return null;
  if (!Number.isFinite(mean) || !Number.isFinite(std)) return null;
  return { mean, std, runs };
}

/** Reads a model card's metrics; null when it holds no utility measurement. */
export function utilityEvidence(metrics: unknown): UtilityEvidence | null {
  if (!metrics || typeof metrics !== "object") return null;
  const utility = (metrics as Record<string, unknown>).detectorUtility;
  if (!utility || typeof utility !== "object") return null;
  const u = utility as Record<string, unknown>;
  const ap = (u.rareAp50 ?? {}) as Record<string, unknown>;
  const evidence = {
    rareClass: typeof u.rareClass === "string" ? u.rareClass : "the rare class",
    rareTrainBoxes: typeof u.rareTrainBoxes === "number" ? u.rareTrainBoxes : null,
    realOnly: measured(ap.real),
    copyPaste: measured(ap["copy-paste"]),
    model: measured(ap.model),
  };
  if (!evidence.model) return null;
  const { model, copyPaste } = evidence;
  let better: UtilityEvidence["better"] = "UNDECIDED";
  if (copyPaste) {
    const margin = 2 * Math.max(model.std, copyPaste.std);
    if (model.mean - copyPaste.mean > margin) better = "MODEL";
    else if (copyPaste.mean - model.mean > margin) better = "COPY_PASTE";
  }
  // The generator is the default only where it has been shown to pay off.
  const suggested = better === "MODEL" || !copyPaste ? "MODEL" : "COPY_PASTE";
  return { ...evidence, better, suggested };
}

/** "0.412 ± 0.031 (3 runs)", or "0.412 (1 run)". */
export function formatAp(ap: MeasuredAp): string {
  const runs = `${ap.runs} run${ap.runs === 1 ? "" : "s"}`;
  return ap.runs > 1
    ? `${ap.mean.toFixed(3)} ± ${ap.std.toFixed(3)} (${runs})`
    : `${ap.mean.toFixed(3)} (${runs})`;
}
