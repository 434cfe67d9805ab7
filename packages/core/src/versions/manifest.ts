// Version manifests: one JSON line per image, sorted by sha256, so two versions compare in one
// merge pass and an export reads a version without touching the live tables.
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { Origin, ReviewState, Split } from "@gridfill/balance";

export interface ManifestBox {
  class: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ManifestLine {
  sha256: string;
  imageId: string;
  key: string;
  filename: string;
  mimeType: string;
  width: number;
  height: number;
  split: Split;
  origin: Origin;
  reviewState: ReviewState;
  boxes: ManifestBox[];
}

export async function* readManifest(stream: Readable): AsyncGenerator<ManifestLine> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim()) yield JSON.parse(line) as ManifestLine;
  }
}

const boxKey = (b: ManifestBox) => `${b.class}|${b.x}|${b.y}|${b.width}|${b.height}`;

/** Boxes in `after` but not `before` and the reverse, counted as multisets. */
export function boxChanges(before: ManifestBox[], after: ManifestBox[]) {
  const counts = new Map<string, number>();
  for (const b of before) counts.set(boxKey(b), (counts.get(boxKey(b)) ?? 0) + 1);
  let added = 0;
  for (const b of after) {
    const n = counts.get(boxKey(b)) ?? 0;
    if (n > 0) counts.set(boxKey(b), n - 1);
    else added += 1;
  }
  let removed = 0;
  for (const n of counts.values()) removed += n;
  return { added, removed };
}

export interface MergeStep {
  before?: ManifestLine;
  after?: ManifestLine;
}

/** Walks two sha256-sorted manifests side by side. */
export async function* mergeManifests(
  a: AsyncIterator<ManifestLine>,
  b: AsyncIterator<ManifestLine>,
): AsyncGenerator<MergeStep> {
  let x = await a.next();
  let y = await b.next();
  while (!x.done || !y.done) {
    if (y.done || (!x.done && x.value.sha256 < y.value.sha256)) {
      yield { before: x.value as ManifestLine };
      x = await a.next();
    } else if (x.done || y.value.sha256 < x.value.sha256) {
      yield { after: y.value };
      y = await b.next();
    } else {
      yield { before: x.value, after: y.value };
      x = await a.next();
      y = await b.next();
    }
  }
}
