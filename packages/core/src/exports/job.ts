// The export job: reads the version's manifest as a stream, picks the images (splits, synthetic
// policy), and pipes the writer's zip straight into object storage: nothing is held whole in
// memory or on disk (the COCO writer spools its arrays to temporary files).
import { PassThrough, type Readable } from "node:stream";
import type { PrismaClient } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import {
  writeCoco,
  writeVoc,
  writeYolo,
  type ExportRecord,
  type Split as FormatSplit,
} from "@gridfill/formats";
import type { Logger } from "../log.ts";
import { readManifest, type ManifestLine } from "../versions/manifest.ts";

export interface ExportJobDeps {
  prisma: PrismaClient;
  storage: Storage;
  log: Logger;
}

export function exportKey(jobId: string): string {
  return `exports/${jobId}.zip`;
}

/** Synthetic images allowed per class so that synthetic ≤ cap × (real + synthetic). */
export function syntheticAllowance(realImages: number, cap: number): number {
  if (cap <= 0) return 0;
  return Math.floor((cap * realImages) / (1 - cap));
}

function lazyStream(open: () => Promise<Readable>): Readable {
  const out = new PassThrough();
  open().then(
    (stream) => {
      stream.on("error", (error) => out.destroy(error));
      stream.pipe(out);
    },
    (error: Error) => out.destroy(error),
  );
  return out;
}

/**
 * Runs one ExportJob. When `signal` aborts (the worker is stopping, or its claim on the job was
 * lost) the export stops at the next image, its partial object is removed and the abort is
 * rethrown, so the job goes back to the queue with the row still RUNNING; the next attempt starts
 * the archive again.
 */
export async function runExportJob(
  deps: ExportJobDeps,
  id: string,
  signal?: AbortSignal,
): Promise<void> {
  const { prisma, storage, log } = deps;
  const job = await prisma.exportJob.findUnique({
    where: { id },
    include: { version: { include: { dataset: { select: { syntheticShareCap: true } } } } },
  });
  if (!job || job.status === "SUCCEEDED" || job.status === "FAILED") return;
  await prisma.exportJob.update({ where: { id }, data: { status: "RUNNING" } });
  const key = exportKey(id);
  try {
    const splits = new Set<string>(job.splits);
    const cap = job.syntheticShareCap ?? job.version.dataset.syntheticShareCap;
    // Real images per class in the chosen splits, from the version's frozen counts.
    const counts = await prisma.datasetVersionClassCount.groupBy({
      by: ["className"],
      where: { versionId: job.versionId, origin: "REAL", split: { in: job.splits } },
      _sum: { images: true },
    });
    const allowance = new Map(
      counts.map((c) => [c.className, syntheticAllowance(c._sum.images ?? 0, cap)]),
    );
    const takenSynthetic = new Map<string, number>();
    // Leakage guard: a synthetic image is exported only if it is in TRAIN and every image it was
    // made from (its references and, for a composite, its host) is still a real TRAIN image (one
    // moved to val or test since would leak through it).
    const leaky = new Set(
      (
        await prisma.$queryRaw<{ id: string }[]>`
          SELECT l."imageId"::text AS id FROM "Lineage" l JOIN "Image" s ON s.id = l."imageId"
          WHERE s."datasetId" = ${job.version.datasetId}::uuid
            AND EXISTS (
              SELECT 1 FROM unnest(array_remove(l."referenceImageIds" || l."hostImageId"::text, NULL)) AS r(id)
              LEFT JOIN "Image" ref ON ref.id = r.id::uuid
              WHERE ref.id IS NULL OR ref.split <> 'TRAIN' OR ref.origin <> 'REAL')`
      ).map((r) => r.id),
    );
    const keep = (line: ManifestLine): boolean => {
      if (!splits.has(line.split)) return false;
      if (line.origin === "REAL") return true;
      if (!job.includeSynthetic || line.reviewState !== "ACCEPTED") return false;
      if (line.split !== "TRAIN" || leaky.has(line.imageId)) return false;
      const classes = [...new Set(line.boxes.map((b) => b.class))];
      if (classes.some((c) => (takenSynthetic.get(c) ?? 0) >= (allowance.get(c) ?? 0)))
        return false;
      for (const c of classes) takenSynthetic.set(c, (takenSynthetic.get(c) ?? 0) + 1);
      return true;
    };
    const manifest = readManifest(await storage.getStream("exports", job.version.manifestKey));
    async function* records(): AsyncGenerator<ExportRecord> {
      for await (const line of manifest) {
        signal?.throwIfAborted();
        if (!keep(line)) continue;
        let sidecar: object | undefined;
        if (line.origin === "SYNTHETIC") {
          // Lineage rows appear with fills; without one the image still carries its origin.
          const lineage = await prisma.lineage.findUnique({ where: { imageId: line.imageId } });
          sidecar = lineage
            ? JSON.parse(
                JSON.stringify(lineage, (_k, v: unknown) =>
                  typeof v === "bigint" ? v.toString() : v,
                ),
              )
            : {
                imageId: line.imageId,
                sha256: line.sha256,
                origin: line.origin,
                reviewState: line.reviewState,
              };
        }
        yield {
          image: {
            name: line.filename || `${line.sha256}.png`,
            width: line.width,
            height: line.height,
            stream: () => lazyStream(() => storage.getStream("images", line.key)),
          },
          boxes: line.boxes.map((b) => ({
            className: b.class,
            box: { x: b.x, y: b.y, width: b.width, height: b.height },
          })),
          ...(line.split === "UNASSIGNED"
            ? {}
            : { split: line.split.toLowerCase() as FormatSplit }),
          ...(sidecar ? { sidecar } : {}),
        };
      }
    }
    const classes = (
      await prisma.datasetVersionClassCount.findMany({
        where: { versionId: job.versionId },
        distinct: ["className"],
        select: { className: true },
        orderBy: { className: "asc" },
      })
    ).map((c) => c.className);
    const zip = new PassThrough();
    const write = job.format === "COCO" ? writeCoco : job.format === "YOLO" ? writeYolo : writeVoc;
    const [summary] = await Promise.all([
      write(records(), zip, { classes }).catch((error: Error) => {
        zip.destroy(error);
        throw error;
      }),
      storage.put("exports", key, zip, { contentType: "application/zip" }),
    ]);
    const stat = await storage.stat("exports", key);
    await prisma.exportJob.update({
      where: { id },
      data: {
        status: "SUCCEEDED",
        objectKey: key,
        images: summary.images,
        boxes: summary.boxes,
        bytes: stat ? BigInt(stat.size) : null,
        finishedAt: new Date(),
      },
    });
  } catch (error) {
    await storage.remove("exports", key).catch(() => {});
    if (signal?.aborted) throw signal.reason;
    log.error("export failed", { exportJobId: id, error: String(error) });
    await prisma.exportJob.update({
      where: { id },
      data: {
        status: "FAILED",
        finishedAt: new Date(),
        message: "the export stopped on an internal error; see the server log",
      },
    });
  }
}
