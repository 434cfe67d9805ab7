// Deterministic synthetic dataset for the balance / image-list benchmark: a long-tailed class
// distribution as seen in inspection imagery (a few common defects, many rare ones), real images
// split 70/15/15, about 10% synthetic images under review, and time-ordered (UUID v7 layout) ids.
// Every pass over the data replays the same PRNG stream, so each table can be loaded on its own
// without holding a million images in memory.

export type Split = "TRAIN" | "VAL" | "TEST";
export type Origin = "REAL" | "SYNTHETIC";
export type ReviewState = "NONE" | "PENDING" | "ACCEPTED" | "REJECTED";

export interface GenBox {
  id: string;
  classIndex: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GenImage {
  index: number;
  id: string;
  /** Milliseconds since the epoch, the id's timestamp. */
  createdMs: number;
  sha256: string;
  width: number;
  height: number;
  bytes: number;
  split: Split;
  origin: Origin;
  reviewState: ReviewState;
  tags: string[];
  capturedMs: number | null;
  latitude: number | null;
  longitude: number | null;
  boxes: GenBox[];
}

export const CLASS_NAMES = [
  "insulator_flashover",
  "bird_nest",
  "insulator_broken_shed",
  "damper_displaced",
  "corrosion_fitting",
  "insulator_contamination",
  "vegetation_encroachment",
  "damper_missing",
  "conductor_broken_strand",
  "spacer_damaged",
  "bolt_missing",
  "split_pin_missing",
  "grading_ring_tilted",
  "insulator_missing_cap",
  "tower_member_bent",
  "foreign_object_kite",
  "foreign_object_plastic",
  "conductor_sag_abnormal",
  "arcing_horn_deformed",
  "clamp_slipped",
  "tower_rust",
  "ground_wire_damage",
  "sign_plate_missing",
  "anti_climb_damaged",
  "insulator_string_tilt",
  "tower_foundation_erosion",
  "corona_ring_missing",
  "jumper_loose",
  "lightning_arrester_damage",
  "nut_loose",
] as const;

export const CLASS_COUNT = CLASS_NAMES.length;

/** Zipf exponent of the real class distribution: the rarest class gets ~1/300 of the commonest. */
const ZIPF_EXPONENT = 1.7;
/** Synthetic fills target the rare classes, so synthetic images draw from the tail only. */
const SYNTHETIC_FIRST_CLASS = 10;
/** Probability that a further box on an image repeats one of its classes (defects cluster). */
const REPEAT_CLASS = 0.6;

const START_MS = Date.UTC(2023, 0, 1);
const SPAN_MS = 2 * 365 * 24 * 3600 * 1000;

const TAGS = [
  "line-110kv",
  "line-220kv",
  "line-500kv",
  "uav-survey",
  "helicopter",
  "winter",
  "fog",
  "night",
];
const RESOLUTIONS: [number, number][] = [
  [5472, 3648],
  [4000, 3000],
  [8192, 5460],
  [1920, 1080],
];

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex32(x: number): string {
  return HEX[(x >>> 24) & 255]! + HEX[(x >>> 16) & 255]! + HEX[(x >>> 8) & 255]! + HEX[x & 255]!;
}

/** sfc32: fast, 128-bit state, good enough statistically for data generation. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  next(): number {
    return this.u32() / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** A UUID with the v7 layout: 48-bit millisecond timestamp, version 7, variant 10, random rest. */
export function uuidV7(ms: number, rng: Rng): string {
  const hi = Math.floor(ms / 0x10000);
  const lo = ms % 0x10000;
  const r1 = rng.u32();
  const r2 = rng.u32();
  const r3 = rng.u32();
  const t = hex32(hi) + HEX[lo >>> 8]! + HEX[lo & 255]!;
  const ver = (0x7000 | (r1 & 0x0fff)).toString(16);
  const variant = (0x8000 | ((r1 >>> 16) & 0x3fff)).toString(16);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-${ver}-${variant}-${hex32(r2)}${hex32(r3).slice(0, 4)}`;
}

function cumulative(weights: number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  let acc = 0;
  return weights.map((w) => (acc += w / total));
}

const REAL_CDF = cumulative(
  Array.from({ length: CLASS_COUNT }, (_, r) => 1 / Math.pow(r + 1, ZIPF_EXPONENT)),
);
const SYNTHETIC_CDF = cumulative(
  Array.from({ length: CLASS_COUNT }, (_, r) => (r >= SYNTHETIC_FIRST_CLASS ? 1 : 0)),
);

function draw(cdf: number[], u: number): number {
  for (let i = 0; i < cdf.length; i++) if (u < cdf[i]!) return i;
  return cdf.length - 1;
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

/**
 * The dataset's images in id order. Box counts come in pairs (k, 6 - k) so that the dataset holds
 * exactly three boxes per image on average while single images vary from 1 to 5.
 */
export function* generateImages(count: number, seed = 20261128): Generator<GenImage> {
  const rng = new Rng(seed);
  const stepMs = Math.max(1, Math.floor(SPAN_MS / Math.max(1, count)));
  let pairBoxes = 0;
  for (let i = 0; i < count; i++) {
    const createdMs = START_MS + i * stepMs;
    const id = uuidV7(createdMs, rng);
    let sha = "";
    for (let k = 0; k < 8; k++) sha += hex32(rng.u32());
    const [width, height] = RESOLUTIONS[rng.int(RESOLUTIONS.length)]!;
    const bytes = Math.floor(width * height * (0.2 + 0.15 * rng.next()));

    const s = rng.next();
    const synthetic = rng.next() < 0.1;
    // Generated images never leave TRAIN (the API refuses to move them): evaluation stays real.
    const split: Split = synthetic || s < 0.7 ? "TRAIN" : s < 0.85 ? "VAL" : "TEST";
    const origin: Origin = synthetic ? "SYNTHETIC" : "REAL";
    let reviewState: ReviewState = "NONE";
    if (synthetic) {
      const r = rng.next();
      reviewState = r < 0.6 ? "ACCEPTED" : r < 0.9 ? "PENDING" : "REJECTED";
    }

    const tags: string[] = [];
    const tagBits = rng.u32();
    if (!synthetic) {
      tags.push(TAGS[tagBits % 3]!);
      if ((tagBits >>> 8) % 4 === 0) tags.push(TAGS[3 + ((tagBits >>> 12) % 5)]!);
    }
    const capturedMs = synthetic ? null : createdMs - rng.int(30 * 24 * 3600 * 1000);
    const latitude = synthetic ? null : Math.round((30 + rng.next() * 10) * 1000) / 1000;
    const longitude = synthetic ? null : Math.round((110 + rng.next() * 10) * 1000) / 1000;

    let boxCount: number;
    if (i % 2 === 0) {
      // The last image of an odd-sized dataset has no partner: give it the mean.
      boxCount = i === count - 1 ? 3 : 1 + rng.int(5);
      pairBoxes = boxCount;
    } else {
      boxCount = 6 - pairBoxes;
    }

    const cdf = synthetic ? SYNTHETIC_CDF : REAL_CDF;
    const classes: number[] = [];
    const boxes: GenBox[] = [];
    for (let b = 0; b < boxCount; b++) {
      let classIndex: number;
      if (classes.length > 0 && rng.next() < REPEAT_CLASS)
        classIndex = classes[rng.int(classes.length)]!;
      else classIndex = draw(cdf, rng.next());
      if (!classes.includes(classIndex)) classes.push(classIndex);
      const bw = width * (0.02 + 0.18 * rng.next());
      const bh = height * (0.02 + 0.18 * rng.next());
      boxes.push({
        // Boxes are drawn within a second after the image was added.
        id: uuidV7(createdMs + b, rng),
        classIndex,
        x: round1(rng.next() * (width - bw)),
        y: round1(rng.next() * (height - bh)),
        width: round1(bw),
        height: round1(bh),
      });
    }
    yield {
      index: i,
      id,
      createdMs,
      sha256: sha,
      width,
      height,
      bytes,
      split,
      origin,
      reviewState,
      tags,
      capturedMs,
      latitude,
      longitude,
      boxes,
    };
  }
}
