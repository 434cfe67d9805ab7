/**
 * Seeded randomness. Every visual decision in a scene flows from one of these
 * generators, so a seed fully determines the rendered pixels and the boxes.
 */

/** mulberry32: tiny 32-bit generator with good statistical quality for graphics work. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mixes any number of seed parts (numbers or strings) into one 32-bit seed, so
 * e.g. (datasetSeed, imageIndex) pairs give unrelated per-image streams.
 */
export function hashSeed(...parts: (number | string)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const text = typeof part === "number" ? `n${part}` : `s${part}`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0xff;
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche (murmur3 fmix32) so neighbouring inputs diverge fully.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  float(min: number, max: number): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Index drawn proportionally to non-negative weights. */
  weightedIndex(weights: readonly number[]): number;
  shuffle<T>(items: T[]): T[];
  /** Independent child stream, so adding draws in one layer never shifts another. */
  fork(label: string): Rng;
}

export function createRng(seed: number | string): Rng {
  const base = typeof seed === "number" && Number.isInteger(seed) ? seed >>> 0 : hashSeed(seed);
  const next = mulberry32(base);
  const rng: Rng = {
    next,
    float: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from empty list");
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weightedIndex: (weights) => {
      const total = weights.reduce((a, b) => a + Math.max(0, b), 0);
      if (!(total > 0)) throw new Error("weights must have a positive sum");
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= Math.max(0, weights[i] ?? 0);
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = items[i] as (typeof items)[number];
        items[i] = items[j] as (typeof items)[number];
        items[j] = tmp;
      }
      return items;
    },
    fork: (label) => createRng(hashSeed(base, label)),
  };
  return rng;
}
