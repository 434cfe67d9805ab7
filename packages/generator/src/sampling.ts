// The seeded plan of one synthetic sample: which references, which base, the fusion coefficients
// and the fused positions. Everything random about a sample is decided here, from (request seed,
// sample index) alone, with a fully specified algorithm (README "Sampling spec"), so a lineage row
// can be checked and replayed by any implementation, in any process, on any machine.
//
// A best-of-N fill draws N candidate plans per sample and keeps the one the critic scores highest.
// Candidate 0 is the sample's plan exactly as a fill without selection draws it (same seed string,
// same plan object), so turning selection on changes no existing plan, seed or lineage; candidate
// c > 0 hashes `<seed>:<index>:<c>` instead, a string no plain sample can produce.
import { createHash } from "node:crypto";
import { GeneratorError, invalid } from "./errors.ts";

export const PLAN_ALGORITHM = "gridfill-fill-v1";

const MASK64 = (1n << 64n) - 1n;

/** SplitMix64 (Steele, Lea, Flood 2014; Vigna's splitmix64.c): used only to expand a seed. */
export class SplitMix64 {
  private state: bigint;
  constructor(seed: bigint) {
    this.state = BigInt.asUintN(64, seed);
  }
  next(): bigint {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK64;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  }
}

/** xoshiro128** 1.1 (Blackman & Vigna, xoshiro128starstar.c): 32-bit outputs, 128-bit state. */
export class Xoshiro128StarStar {
  private readonly s: Uint32Array;
  constructor(state: readonly [number, number, number, number]) {
    this.s = Uint32Array.from(state);
    if (this.s.every((w) => w === 0)) throw invalid("xoshiro128** state must not be all zero");
  }

  /** Seeds from a 64-bit value the way the reference code suggests: two SplitMix64 outputs. */
  static fromSeed64(seed: bigint): Xoshiro128StarStar {
    const sm = new SplitMix64(seed);
    const a = sm.next();
    const b = sm.next();
    const lo = (x: bigint) => Number(x & 0xffffffffn);
    const hi = (x: bigint) => Number(x >> 32n);
    return new Xoshiro128StarStar([lo(a), hi(a), lo(b), hi(b)]);
  }

  /** Next output, an unsigned 32-bit integer. */
  next(): number {
    const s = this.s;
    let s0 = s[0]!,
      s1 = s[1]!,
      s2 = s[2]!,
      s3 = s[3]!;
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3 >>> 0, 11);
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return result;
  }

  /** Unbiased integer in [0, n), n ≤ 2^32, by rejection of the top partial range. */
  uniformInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32)
      throw invalid(`uniformInt bound ${n} out of range`);
    const bound = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const u = this.next();
      if (u < bound) return u % n;
    }
  }

  /** Uniform double in [0, 1) with 32 random bits: next() / 2^32. */
  uniform01(): number {
    return this.next() / 2 ** 32;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Canonical decimal form of a request seed: what the seed hash reads. */
export function canonicalSeed(requestSeed: bigint | string | number): string {
  if (typeof requestSeed === "bigint") return requestSeed.toString();
  if (typeof requestSeed === "number") {
    if (!Number.isSafeInteger(requestSeed))
      throw invalid(`request seed ${requestSeed} is not a safe integer; pass a bigint or a string`);
    return String(requestSeed);
  }
  if (!/^-?\d+$/.test(requestSeed))
    throw invalid(
      `request seed must be an integer in decimal digits, got ${JSON.stringify(requestSeed)}`,
    );
  return BigInt(requestSeed).toString();
}

/**
 * The 64-bit seed of sample `index`: the first 8 bytes (big-endian) of
 * SHA-256("gridfill-fill-v1:<seed>:<index>"), or of SHA-256("gridfill-fill-v1:<seed>:<index>:<candidate>")
 * for best-of candidate `candidate` > 0 (candidate 0 is the plain sample).
 */
export function sampleSeed(
  requestSeed: bigint | string | number,
  index: number,
  candidate = 0,
): bigint {
  checkIndex(index);
  checkCandidate(candidate);
  const suffix = candidate > 0 ? `:${candidate}` : "";
  const digest = createHash("sha256")
    .update(`${PLAN_ALGORITHM}:${canonicalSeed(requestSeed)}:${index}${suffix}`, "utf8")
    .digest();
  return digest.readBigUInt64BE(0);
}

function checkIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0)
    throw invalid(`sample index must be a non-negative integer, got ${index}`);
}

function checkCandidate(candidate: number): void {
  if (!Number.isSafeInteger(candidate) || candidate < 0)
    throw invalid(`best-of candidate must be a non-negative integer, got ${candidate}`);
}

export interface PlanRequest {
  requestSeed: bigint | string | number;
  /** Sample index within the request, 0-based. */
  index: number;
  /**
   * Best-of candidate number, 0-based (not to be confused with the reference `candidates`): 0 or
   * absent draws the sample's own plan, c > 0 the c-th alternative a best-of-N fill scores.
   */
  candidate?: number;
  /**
   * Reference candidates: ids of real TRAIN images with a box of the class, distinct, in a
   * deterministic order chosen by the caller (e.g. sorted by id) — the plan depends on the order.
   */
  candidates: readonly string[];
  /** K, from the model metadata (k_shot). */
  shots: number;
  /** Cells of the feature grid: grid_size². */
  gridCells: number;
  /** N, from the model metadata (n_positions). */
  fusedPositions: number;
}

export interface SamplePlan {
  algorithm: typeof PLAN_ALGORITHM;
  /** Canonical decimal form. */
  requestSeed: string;
  index: number;
  /** Best-of candidate number; present only when > 0, so candidate 0 is the plain sample's plan. */
  candidate?: number;
  shots: number;
  gridCells: number;
  fusedPositions: number;
  /** K distinct candidate ids; slot 0 is the base image, the rest in draw order. */
  referenceIds: string[];
  /** Draw-order slot (0..K-1) the base was chosen from; referenceIds[0] is that reference. */
  baseIndex: number;
  /** K non-negative float32 values summing to 1 (±1e-6); coefficients[i] weighs referenceIds[i]. */
  coefficients: number[];
  /** N distinct row-major feature-grid cells in [0, gridCells), ascending. */
  positions: number[];
}

function positiveInt(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 1)
    throw invalid(`${name} must be a positive integer, got ${v}`);
}

/** Draws the plan of one sample. Pure: the same request gives the same plan everywhere. */
export function planSample(req: PlanRequest): SamplePlan {
  const { candidates, shots: k, gridCells, fusedPositions: n } = req;
  positiveInt("shots", k);
  positiveInt("gridCells", gridCells);
  positiveInt("fusedPositions", n);
  checkIndex(req.index);
  const candidate = req.candidate ?? 0;
  checkCandidate(candidate);
  if (n > gridCells)
    throw invalid(`cannot fuse ${n} distinct positions of a ${gridCells}-cell grid`);
  if (new Set(candidates).size !== candidates.length)
    throw invalid("reference candidates must be distinct");
  if (candidates.length < k) {
    throw new GeneratorError(
      "NOT_ENOUGH_CANDIDATES",
      `the model needs ${k} distinct reference images of the class, only ${candidates.length} available`,
    );
  }
  const requestSeed = canonicalSeed(req.requestSeed);
  const rng = Xoshiro128StarStar.fromSeed64(sampleSeed(requestSeed, req.index, candidate));

  // 1. K distinct references: the first K steps of a Fisher–Yates shuffle of the candidates.
  const pool = candidates.slice();
  for (let j = 0; j < k; j++) swap(pool, j, j + rng.uniformInt(pool.length - j));
  const drawn = pool.slice(0, k);

  // 2. The base, moved to slot 0 (the graph's base slot); the others keep their draw order.
  const baseIndex = rng.uniformInt(k);
  const referenceIds = [drawn[baseIndex]!, ...drawn.filter((_, i) => i !== baseIndex)];

  // 3. Coefficients as LoFGAN/MVSA-GAN training draws them: uniform(0,1) each, normalised to sum 1.
  //    Rounded to float32 here so the plan holds exactly what the graph is fed.
  let u: number[];
  let sum: number;
  do {
    u = Array.from({ length: k }, () => rng.uniform01());
    sum = u.reduce((a, b) => a + b, 0);
  } while (sum === 0);
  const coefficients = u.map((x) => Math.fround(x / sum));

  // 4. N distinct grid cells: the first N steps of a Fisher–Yates shuffle of 0..G-1, then sorted
  //    (the fusion treats positions as a set; sorting makes the stored form canonical).
  const cells = Array.from({ length: gridCells }, (_, i) => i);
  for (let j = 0; j < n; j++) swap(cells, j, j + rng.uniformInt(gridCells - j));
  const positions = cells.slice(0, n).sort((a, b) => a - b);

  return {
    algorithm: PLAN_ALGORITHM,
    requestSeed,
    index: req.index,
    ...(candidate > 0 ? { candidate } : {}),
    shots: k,
    gridCells,
    fusedPositions: n,
    referenceIds,
    baseIndex,
    coefficients,
    positions,
  };
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/**
 * Re-draws a stored plan from its own seed, index, best-of candidate and sizes with the candidate
 * list it was drawn from. Equal to `plan` when the lineage is consistent (see `samePlan`). Regenerating an image
 * does not need this: the stored plan is fed to the generator as is.
 */
export function replay(plan: SamplePlan, candidates: readonly string[]): SamplePlan {
  if (plan.algorithm !== PLAN_ALGORITHM)
    throw invalid(`unknown plan algorithm ${JSON.stringify(plan.algorithm)}`);
  return planSample({ ...plan, candidates });
}

/** Field-by-field equality of two plans (coefficients compared exactly: both are float32 values). */
export function samePlan(a: SamplePlan, b: SamplePlan): boolean {
  const eq = (x: readonly unknown[], y: readonly unknown[]) =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    a.algorithm === b.algorithm &&
    a.requestSeed === b.requestSeed &&
    a.index === b.index &&
    (a.candidate ?? 0) === (b.candidate ?? 0) &&
    a.shots === b.shots &&
    a.gridCells === b.gridCells &&
    a.fusedPositions === b.fusedPositions &&
    a.baseIndex === b.baseIndex &&
    eq(a.referenceIds, b.referenceIds) &&
    eq(a.coefficients, b.coefficients) &&
    eq(a.positions, b.positions)
  );
}

/** Checks a plan (e.g. read back from lineage) before it is fed to a generator of this shape. */
export function validatePlan(
  plan: SamplePlan,
  shape: { shots: number; gridCells: number; fusedPositions: number },
): void {
  const problems: string[] = [];
  if (plan.referenceIds.length !== shape.shots)
    problems.push(`${plan.referenceIds.length} references, the model takes ${shape.shots}`);
  if (plan.coefficients.length !== shape.shots)
    problems.push(`${plan.coefficients.length} coefficients, the model takes ${shape.shots}`);
  if (plan.coefficients.some((c) => !(c >= 0) || !Number.isFinite(c)))
    problems.push("coefficients must be finite and ≥ 0");
  const sum = plan.coefficients.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-5) problems.push(`coefficients sum to ${sum}, not 1`);
  if (plan.positions.length !== shape.fusedPositions)
    problems.push(`${plan.positions.length} positions, the model fuses ${shape.fusedPositions}`);
  if (plan.positions.some((p) => !Number.isInteger(p) || p < 0 || p >= shape.gridCells))
    problems.push(`positions must be cells in [0, ${shape.gridCells})`);
  if (new Set(plan.positions).size !== plan.positions.length)
    problems.push("positions must be distinct");
  if (problems.length)
    throw new GeneratorError(
      "INVALID_ARGUMENT",
      `plan does not fit the model: ${problems.join("; ")}`,
      problems,
    );
}
