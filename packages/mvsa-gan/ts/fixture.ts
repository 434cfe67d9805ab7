// Shared helpers: decode the base64 tensors of a parity fixture written by mvsa_gan.export.
import { readFileSync } from "node:fs";

export interface EncodedTensor {
  dtype: "float32" | "int64";
  shape: number[];
  b64: string;
}
export interface FixtureCase {
  model: string;
  inputs: Record<string, EncodedTensor>;
  outputs: Record<string, EncodedTensor>;
}
export interface Fixture {
  tolerance: number;
  cases: FixtureCase[];
}

export function readFixture(path: string): Fixture {
  return JSON.parse(readFileSync(path, "utf8")) as Fixture;
}

export function decode(t: EncodedTensor): Float32Array | BigInt64Array {
  const buf = Buffer.from(t.b64, "base64");
  const bytes = new Uint8Array(buf.byteLength);
  bytes.set(buf);
  return t.dtype === "float32" ? new Float32Array(bytes.buffer) : new BigInt64Array(bytes.buffer);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
