/** The fill dialog's inputs, checked before anything is sent. */
import type { FillMethod } from "./fills.graphql";

const MAX_SEED = (1n << 64n) - 1n;

export interface FillFormValues {
  count: number;
  /** Decimal, 0 .. 2^64 − 1; null for a random seed. */
  seed: string | null;
}

/** Reads the count and optional seed, or says what is wrong with them. */
export function parseFillForm(count: string, seed: string): FillFormValues | string {
  const trimmedCount = count.trim();
  if (!/^\d+$/.test(trimmedCount)) return "Enter a whole number of images (1 or more).";
  const n = Number(trimmedCount);
  if (!Number.isSafeInteger(n) || n < 1) return "Enter a whole number of images (1 or more).";
  const trimmedSeed = seed.trim();
  if (trimmedSeed === "") return { count: n, seed: null };
  if (!/^\d+$/.test(trimmedSeed)) return "The seed is a whole decimal number (0 to 2^64 − 1).";
  const value = BigInt(trimmedSeed);
  if (value > MAX_SEED) return "The seed must fit in 64 bits (at most 18446744073709551615).";
  return { count: n, seed: value.toString() };
}

/** "Keep the best of": candidates generated per image, of which the critic's best is kept. */
export const BEST_OF_CHOICES = [1, 2, 4, 8] as const;

/**
 * What a request sends for "Keep the best of": only a model fill whose model has a critic chooses
 * between candidates, so anything else sends nothing (the API's default, 1: no selection).
 */
export function bestOfInput(
  method: FillMethod,
  hasCritic: boolean,
  bestOf: number,
): { bestOf?: number } {
  return method === "MODEL" && hasCritic && bestOf > 1 ? { bestOf } : {};
}
