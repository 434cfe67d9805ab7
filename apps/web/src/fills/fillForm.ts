/** The fill dialog's inputs, checked before anything is sent. */

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
