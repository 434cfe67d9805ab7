/** Dataset split an image belongs to. */
export type Split = "TRAIN" | "VAL" | "TEST" | "UNASSIGNED";

/** Where an image comes from. */
export type Origin = "REAL" | "SYNTHETIC";

/** Review state of an image: real images are always NONE; synthetic ones go PENDING → ACCEPTED | REJECTED. */
export type ReviewState = "NONE" | "PENDING" | "ACCEPTED" | "REJECTED";

/** Which synthetic images count towards the class balance. Real images always count; rejected never do. */
export type SyntheticPolicy = "accepted" | "none" | "accepted-and-pending";

/** What a class count measures: distinct images containing the class, or boxes of the class. */
export type CountUnit = "images" | "boxes";

export const SPLITS: readonly Split[] = ["TRAIN", "VAL", "TEST", "UNASSIGNED"];

/**
 * One per-class counter row, as maintained transactionally by the application:
 * one row per (dataset, class, split, origin, reviewState).
 */
export interface CounterRow {
  datasetId?: string;
  classId: string;
  split: Split;
  origin: Origin;
  reviewState: ReviewState;
  /** Distinct images of this (split, origin, reviewState) having at least one box of the class. */
  images: number;
  /** Boxes of the class in those images. */
  boxes: number;
  /**
   * Of `images`, those whose boxes of the class are all predicted boxes no human has reviewed yet;
   * 0 when absent.
   */
  unreviewedPredictedImages?: number;
  /** Of `boxes`, the predicted boxes no human has reviewed yet; 0 when absent. */
  unreviewedPredictedBoxes?: number;
}

/** A class of the taxonomy. */
export interface ClassInfo {
  id: string;
  name: string;
  color?: string | null;
  parentId?: string | null;
}

export interface Tally {
  images: number;
  boxes: number;
}

/** Counts by origin; all three buckets are reported whatever the synthetic policy. */
export interface OriginBreakdown {
  real: Tally;
  syntheticAccepted: Tally;
  syntheticPending: Tally;
}
