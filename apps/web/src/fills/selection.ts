/**
 * A best-of sample's selection as its lineage records it (`Lineage.selection`): which of the
 * generated candidates the critic kept, of how many, with every candidate's score.
 */

export interface Selection {
  candidate: number;
  of: number;
  score: number;
  scores: number[];
}

/** The selection from the lineage's JSON, or null when the fill kept its only candidate. */
export function readSelection(json: unknown): Selection | null {
  if (typeof json !== "object" || json === null) return null;
  const { candidate, of, score, scores } = json as Partial<Selection>;
  if (typeof candidate !== "number" || typeof of !== "number" || typeof score !== "number")
    return null;
  return { candidate, of, score, scores: Array.isArray(scores) ? scores : [] };
}

/** "best of 4 (candidate 2, score 0.83)": how the kept candidate was chosen. */
export function describeSelection(selection: Selection): string {
  return `best of ${selection.of} (candidate ${selection.candidate}, score ${selection.score.toFixed(2)})`;
}
