// Best-of-N selection: a fill may generate N candidates per sample (plans from `planSample` with
// candidate 0 … N−1) and keep the one its critic scores highest. The score adds the critic's
// realism (a hinge score, unbounded) and the log of its class score, so a candidate must look
// both real and like the class; the floor keeps a near-zero class score finite. Ties go to the
// lowest candidate number, so the choice is a pure function of the scores.
import { invalid } from "./errors.ts";

/** The most candidates a sample may have (each costs one generator and one critic pass). */
export const MAX_BEST_OF = 8;

/** The class score below which a candidate is judged as if it were this low. */
export const CLASS_SCORE_FLOOR = 1e-6;

/** realism + ln(max(classScore, 1e-6)); realism alone when the critic has no score for the class. */
export function selectionScore(realism: number, classScore: number | null): number {
  return classScore === null
    ? realism
    : realism + Math.log(Math.max(classScore, CLASS_SCORE_FLOOR));
}

/** What a best-of sample's lineage records: the kept candidate, of how many, and every score. */
export interface Selection {
  /** The kept candidate's number, 0-based. */
  candidate: number;
  /** N, the candidates scored. */
  of: number;
  /** The kept candidate's selection score: the highest of `scores`. */
  score: number;
  /** Every candidate's selection score, by candidate number. */
  scores: number[];
}

/** The candidate with the highest score (ties: the lowest number; a NaN score never wins). */
export function selectBest(scores: readonly number[]): Selection {
  if (scores.length === 0) throw invalid("best-of selection needs at least one candidate");
  let candidate = 0;
  for (let c = 1; c < scores.length; c++) {
    const best = scores[candidate]!;
    if (scores[c]! > best || (Number.isNaN(best) && !Number.isNaN(scores[c]!))) candidate = c;
  }
  return { candidate, of: scores.length, score: scores[candidate]!, scores: [...scores] };
}
