// Small real images for fill tests: each 96 × 80 with one box of a class, its box and colours drawn
// from a seed, so that references differ from one another and a test's data is reproducible.
import { boxImage } from "@gridfill/generator/testing";
import { addImageFromBuffer } from "@gridfill/core/images/uploads.ts";
import type { Split } from "@gridfill/balance";
import type { TestApi } from "./harness.ts";

export async function addSeededBoxImage(
  t: TestApi,
  datasetId: string,
  image: { seed: number; className: string; split: Split; filename: string },
) {
  const { seed } = image;
  const box = {
    x: 10 + (seed % 7) * 3,
    y: 12 + (seed % 5) * 4,
    width: 30 + (seed % 4) * 5,
    height: 28 + (seed % 3) * 6,
  };
  return addImageFromBuffer(
    { prisma: t.db.prisma, storage: t.storage, config: t.config },
    {
      datasetId,
      buffer: await boxImage(96, 80, box, [40 + seed * 9, 200 - seed * 7, 90 + seed * 5], seed),
      filename: image.filename,
      split: image.split,
      annotations: [{ className: image.className, box }],
      actor: null,
    },
  );
}
