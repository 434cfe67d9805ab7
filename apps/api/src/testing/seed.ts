// Fast scenery for query tests: Image rows (pointing at no stored object) with their boxes,
// written through the same counter maintenance as every real writer.
import type { PrismaClient } from "@gridfill/db";
import type { Origin, ReviewState, Split } from "@gridfill/balance";
import { uuidv7 } from "@gridfill/core/ids.ts";
import { changeBoxes } from "@gridfill/core/balance/counters.ts";

export interface SeedImage {
  split?: Split;
  origin?: Origin;
  reviewState?: ReviewState;
  tags?: string[];
  capturedAt?: Date | null;
  /** Class ids, one per box. */
  boxes?: string[];
}

export async function seedImages(
  prisma: PrismaClient,
  datasetId: string,
  specs: SeedImage[],
): Promise<string[]> {
  const ids: string[] = [];
  await prisma.$transaction(
    async (tx) => {
      for (const spec of specs) {
        const id = uuidv7();
        const sha = id.replaceAll("-", "").padEnd(64, "0");
        const state = {
          id,
          datasetId,
          split: spec.split ?? "UNASSIGNED",
          origin: spec.origin ?? "REAL",
          reviewState: spec.reviewState ?? "NONE",
        } as const;
        await tx.$executeRaw`
          INSERT INTO "Image" (id, "datasetId", sha256, "objectKey", "mimeType", width, height, bytes, split, origin, "reviewState", tags, "capturedAt", "updatedAt")
          VALUES (${id}::uuid, ${datasetId}::uuid, ${sha}, ${`images/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}.png`}, 'image/png', 100, 100, 1000,
                  ${state.split}::text::"Split", ${state.origin}::text::"Origin", ${state.reviewState}::text::"ReviewState",
                  ${spec.tags ?? []}::text[], ${spec.capturedAt ?? null}, now())`;
        if (spec.boxes?.length) {
          await tx.annotation.createMany({
            data: spec.boxes.map((classId) => ({
              imageId: id,
              classId,
              x: 1,
              y: 1,
              width: 10,
              height: 10,
            })),
          });
          const perClass = new Map<string, number>();
          for (const c of spec.boxes) perClass.set(c, (perClass.get(c) ?? 0) + 1);
          await changeBoxes(tx, state, perClass);
        }
        ids.push(id);
      }
    },
    { timeout: 60_000 },
  );
  return ids;
}
