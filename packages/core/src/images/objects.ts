// Stored image objects are content-addressed and shared by every Image row with the same bytes
// (across datasets). An object is removed only when no row references it any more, and both that
// check and the confirm that adds a reference hold the same per-key advisory lock, so a concurrent
// upload of the same file can never be left pointing at a deleted object.
import type { PrismaClient } from "@gridfill/db";
import { thumbnailKey, type Storage } from "@gridfill/storage";
import type { Tx } from "../audit/record.ts";
import type { Logger } from "../log.ts";

export const THUMBNAIL_SIZE = 256;

export interface StoredObject {
  objectKey: string;
  sha256: string;
}

/** Takes the transaction-scoped lock of each object key (sorted, so lockers cannot deadlock). */
export async function lockObjectKeys(tx: Tx, keys: readonly string[]): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  if (sorted.length === 0) return;
  await tx.$executeRaw`
    SELECT pg_advisory_xact_lock(hashtextextended(k, 7)) FROM unnest(${sorted}::text[]) AS k ORDER BY k`;
}

/**
 * Removes the objects (and their thumbnails) that no Image row references, after the rows were
 * deleted and committed. Failures are logged, not thrown: the rows are already gone.
 */
export async function removeUnreferencedObjects(
  deps: { prisma: PrismaClient; storage: Storage; log?: Logger },
  objects: readonly StoredObject[],
): Promise<number> {
  const unique = [...new Map(objects.map((o) => [o.objectKey, o])).values()];
  let removed = 0;
  for (let i = 0; i < unique.length; i += 500) {
    const batch = unique.slice(i, i + 500);
    try {
      removed += await deps.prisma.$transaction(
        async (tx) => {
          await lockObjectKeys(
            tx,
            batch.map((o) => o.objectKey),
          );
          const still = await tx.$queryRaw<{ objectKey: string }[]>`
            SELECT DISTINCT "objectKey" FROM "Image" WHERE "objectKey" = ANY(${batch.map((o) => o.objectKey)}::text[])`;
          const referenced = new Set(still.map((r) => r.objectKey));
          const orphans = batch.filter((o) => !referenced.has(o.objectKey));
          if (orphans.length === 0) return 0;
          await deps.storage.removeMany("images", [
            ...orphans.map((o) => o.objectKey),
            ...orphans.map((o) => thumbnailKey(o.sha256, THUMBNAIL_SIZE)),
          ]);
          return orphans.length;
        },
        { timeout: 60_000 },
      );
    } catch (error) {
      deps.log?.error("could not remove unreferenced image objects", { error, keys: batch.length });
    }
  }
  return removed;
}
