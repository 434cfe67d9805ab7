// The label-error queue's keyboard and choices, without React: which keys do what for which kind
// of candidate, and where the cursor goes after a decision.
import type { LabelErrorKind } from "./predictions.graphql";

export type QueueAction = "ACCEPT" | "CONFIRM" | "DELETE" | "DISMISS" | "NEXT" | "PREVIOUS";

/** A: accept the prediction as a box; C: the label is right; D: delete the box; X: dismiss. */
export const QUEUE_KEYS: Record<string, QueueAction> = {
  a: "ACCEPT",
  c: "CONFIRM",
  d: "DELETE",
  x: "DISMISS",
  j: "NEXT",
  ArrowRight: "NEXT",
  k: "PREVIOUS",
  ArrowLeft: "PREVIOUS",
};

/** What a curator can do with a candidate of this kind. */
export function actionsFor(kind: LabelErrorKind): QueueAction[] {
  if (kind === "MISSING_LABEL") return ["ACCEPT", "DISMISS"];
  if (kind === "SPURIOUS_LABEL") return ["CONFIRM", "DELETE", "DISMISS"];
  return ["ACCEPT", "CONFIRM", "DELETE", "DISMISS"];
}

export function actionOfKey(key: string, kind: LabelErrorKind | undefined): QueueAction | null {
  const action = QUEUE_KEYS[key] ?? QUEUE_KEYS[key.toLowerCase()];
  if (!action) return null;
  if (action === "NEXT" || action === "PREVIOUS") return action;
  return kind && actionsFor(kind).includes(action) ? action : null;
}

/** After the candidate at `index` leaves a queue of `length`, the one to show next. */
export function indexAfterDecision(index: number, length: number): number {
  const remaining = length - 1;
  if (remaining <= 0) return 0;
  return Math.min(index, remaining - 1);
}

export function step(index: number, length: number, by: 1 | -1): number {
  if (length === 0) return 0;
  return Math.max(0, Math.min(length - 1, index + by));
}

export const KIND_TITLES: Record<LabelErrorKind, string> = {
  MISSING_LABEL: "Possible missing box",
  SPURIOUS_LABEL: "Box no prediction supports",
  CLASS_CONFUSION: "Class confusion",
};
