// The import job: downloads the zip to a temporary file (the zip reader needs random access), reads
// it with @gridfill/formats and adds each image with its boxes through addImageFromBuffer (the same
// checks as an upload, image and boxes in one transaction). Idempotent: an image the dataset already
// holds (same sha256) only gains the boxes it lacks, so re-importing adds nothing and a retried job
// finishes where the last attempt stopped.
//
// Metadata mode (metadataOnly): the zip holds only the label files and the images are objects
// already in the images bucket, at <bucketPrefix><image path in the dataset>. The readers see the
// zip and the listed objects as one tree; rows are written in batches by importMetadata, without
// decoding or uploading images (a content-addressed key gives the SHA-256 by its name, any other
// object is hashed once as it streams).
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { PassThrough, type Readable } from "node:stream";
import { createPool, type Pool, type Prisma, type PrismaClient } from "@gridfill/db";
import type { Config } from "@gridfill/config";
import { imageMimeTypeOf, type Storage } from "@gridfill/storage";
import type { Split } from "@gridfill/balance";
import {
  openZip,
  readCoco,
  readVoc,
  readYolo,
  type DatasetSource,
  type FileTree,
  type FormatError,
  type ReadOptions,
  type SourceImage,
  sniffImageSize,
  eventLoopSlices,
  untilAborted,
} from "@gridfill/formats";
import type { Actor } from "../context.ts";
import { DomainError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { addImageFromBuffer } from "../images/uploads.ts";
import { createClass } from "../classes/service.ts";
import { addMissingBoxes, type NamedBox } from "./boxes.ts";
import type { ImportFormat } from "./service.ts";
import { importMetadata, type ObjectLookup } from "./metadata.ts";

export interface ImportJobDeps {
  prisma: PrismaClient;
  storage: Storage;
  config: Config;
  log: Logger;
  /** Metadata mode writes through a pg pool: this one, or one opened on databaseUrl. */
  pool?: Pool;
  databaseUrl?: string;
}

/** Kept in the report; beyond it only the count grows, so a broken archive cannot bloat the row. */
const MAX_REPORTED_ERRORS = 1000;
const CHECKPOINT_MS = 1000;

export function openSource(
  format: ImportFormat,
  root: string | FileTree,
  options: ReadOptions,
): DatasetSource {
  if (format === "VOC") return readVoc(root, options);
  if (format === "COCO") return readCoco(root, options);
  return readYolo(root, options);
}

export interface ImportProgress {
  imagesAdded: number;
  duplicates: number;
  boxesAdded: Record<string, number>;
  errors: FormatError[];
  errorCount: number;
  done: number;
}

export interface ImportRunOptions {
  datasetId: string;
  actor: Actor;
  /** Forced split; else the format's folders; else UNASSIGNED. */
  split?: Split | null;
  /** Records already handled by an earlier attempt (skipped without touching the database). */
  skip?: number;
  progress?: ImportProgress;
  onCheckpoint?: (progress: ImportProgress) => Promise<void>;
  /** Aborted: the import stops before its next record (every committed record is in `done`). */
  signal?: AbortSignal;
}

export function emptyProgress(): ImportProgress {
  return { imagesAdded: 0, duplicates: 0, boxesAdded: {}, errors: [], errorCount: 0, done: 0 };
}

async function readAll(stream: Readable, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    total += buf.length;
    if (total > maxBytes) {
      stream.destroy();
      return null;
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function reportError(progress: ImportProgress, error: FormatError): void {
  progress.errorCount += 1;
  if (progress.errors.length < MAX_REPORTED_ERRORS) progress.errors.push(error);
}

/** Imports every record of a source into a dataset; per-file problems go to the progress report. */
export async function importRecords(
  deps: ImportJobDeps,
  source: DatasetSource,
  options: ImportRunOptions,
): Promise<ImportProgress> {
  const { prisma, config } = deps;
  const progress = options.progress ?? emptyProgress();
  const skip = options.skip ?? 0;
  const classIds = new Map<string, string>(
    (
      await prisma.defectClass.findMany({
        where: { datasetId: options.datasetId },
        select: { id: true, name: true },
      })
    ).map((c) => [c.name, c.id]),
  );
  let index = 0;
  let lastCheckpoint = Date.now();
  const pause = eventLoopSlices();
  for await (const record of untilAborted(source, options.signal)) {
    await pause();
    options.signal?.throwIfAborted();
    index += 1;
    if (index <= skip) continue;
    const file = record.image.relPath;
    try {
      for (const b of record.boxes) {
        if (!classIds.has(b.className)) {
          const created = await createClass(prisma, options.actor, options.datasetId, {
            name: b.className,
          }).catch(async (error: unknown) => {
            // A concurrent import may have created it first.
            const existing = await prisma.defectClass.findFirst({
              where: { datasetId: options.datasetId, name: b.className },
            });
            if (existing) return existing;
            throw error;
          });
          classIds.set(b.className, created.id);
        }
      }
      const buffer = await readAll(record.image.file(), config.imageLimits.maxBytes);
      if (!buffer) {
        reportError(progress, {
          file,
          code: "UNSUPPORTED",
          message: `the image is larger than the ${config.imageLimits.maxBytes}-byte limit`,
        });
        continue;
      }
      const split: Split =
        options.split ?? (record.split ? (record.split.toUpperCase() as Split) : "UNASSIGNED");
      const boxes: NamedBox[] = record.boxes.map((b) => ({
        classId: classIds.get(b.className)!,
        className: b.className,
        box: b.box,
      }));
      const sha256 = createHash("sha256").update(buffer).digest("hex");
      const existing = await prisma.image.findUnique({
        where: { datasetId_sha256: { datasetId: options.datasetId, sha256 } },
        select: { id: true },
      });
      let added: NamedBox[] = [];
      if (existing) {
        progress.duplicates += 1;
        added = await addMissingBoxes(prisma, options.actor, existing.id, boxes);
      } else {
        const result = await addImageFromBuffer(deps, {
          datasetId: options.datasetId,
          buffer,
          filename: path.posix.basename(file),
          split,
          annotations: boxes.map((b) => ({ classId: b.classId, box: b.box })),
          annotationSource: "IMPORTED",
          actor: options.actor,
        });
        if (result.duplicate) {
          progress.duplicates += 1;
          added = await addMissingBoxes(prisma, options.actor, result.image.id, boxes);
        } else {
          progress.imagesAdded += 1;
          added = boxes;
        }
      }
      for (const b of added)
        progress.boxesAdded[b.className] = (progress.boxesAdded[b.className] ?? 0) + 1;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const reason = error.extensions?.reason;
      reportError(progress, {
        file,
        code: (typeof reason === "string" ? reason : error.code) as FormatError["code"],
        message: error.message,
      });
    } finally {
      progress.done = index;
    }
    if (options.onCheckpoint && Date.now() - lastCheckpoint >= CHECKPOINT_MS) {
      lastCheckpoint = Date.now();
      await options.onCheckpoint(progress);
    }
  }
  progress.done = Math.max(progress.done, index);
  return progress;
}

const CONTENT_ADDRESSED = /(?:^|\/)images\/[0-9a-f]{2}\/[0-9a-f]{2}\/([0-9a-f]{64})\.[a-z0-9]+$/;

/** Objects under a prefix of the images bucket: path below the prefix → size. */
async function listObjects(storage: Storage, prefix: string): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const stream = storage.client.listObjectsV2(storage.bucketName("images"), prefix, true);
  for await (const item of stream as AsyncIterable<{ name?: string; size?: number }>) {
    if (!item.name || item.name.endsWith("/")) continue;
    found.set(item.name.slice(prefix.length), item.size ?? 0);
  }
  return found;
}

/** The zip's files and the bucket's objects as one tree (a label file wins over an object). */
function withObjects(
  zip: FileTree,
  zipFiles: readonly string[],
  storage: Storage,
  prefix: string,
  objects: ReadonlyMap<string, number>,
): FileTree {
  const inZip = new Set(zipFiles);
  const files = [...zipFiles, ...[...objects.keys()].filter((f) => !inZip.has(f))].sort();
  return {
    origin: zip.origin,
    errors: zip.errors,
    listFiles: async () => files,
    refusal: (file) => zip.refusal(file),
    close: () => zip.close(),
    open(file) {
      if (inZip.has(file)) return zip.open(file);
      const out = new PassThrough();
      storage.getStream("images", prefix + file).then(
        (stream) => {
          stream.on("error", (error: Error) => out.destroy(error));
          stream.pipe(out);
        },
        (error: Error) => out.destroy(error),
      );
      return out;
    },
  };
}

/** Metadata mode (see the top of this file); per-file problems go to the progress report. */
async function importFromBucket(
  deps: ImportJobDeps,
  zip: FileTree,
  job: {
    id: string;
    datasetId: string;
    format: ImportFormat;
    split: Split | null;
    classMap: Prisma.JsonValue;
    bucketPrefix: string | null;
  },
  actor: Actor,
  signal?: AbortSignal,
): Promise<ImportProgress> {
  const { storage, prisma, config } = deps;
  const prefix = job.bucketPrefix ?? "";
  const objects = await listObjects(storage, prefix);
  const tree = withObjects(zip, await zip.listFiles(), storage, prefix, objects);
  await prisma.importJob.update({ where: { id: job.id }, data: { total: objects.size } });
  const progress = emptyProgress();
  const seen = new Set<string>();
  const report = (error: FormatError) => {
    const key = `${error.file}|${error.code}|${error.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    reportError(progress, error);
  };
  for (const error of zip.errors) report(error);
  const source = openSource(job.format, tree, {
    ...(job.classMap ? { classMap: job.classMap as Record<string, string | null> } : {}),
    maxBoxesPerImage: config.importMaxBoxesPerImage,
  });
  const stored = async (relPath: string, image: SourceImage): Promise<ObjectLookup> => {
    const bytes = objects.get(relPath);
    if (bytes === undefined) return null;
    const key = prefix + relPath;
    const ext = path.posix.extname(relPath).slice(1).toLowerCase();
    const mimeType = imageMimeTypeOf(relPath);
    if (!mimeType) return { refused: `${key}: .${ext} is not an image type the platform takes` };
    if (bytes > config.imageLimits.maxBytes)
      return {
        refused: `${key}: ${bytes} bytes, over the ${config.imageLimits.maxBytes}-byte limit`,
      };
    let sha256 = CONTENT_ADDRESSED.exec(key)?.[1];
    if (!sha256) {
      const hash = createHash("sha256");
      for await (const chunk of await storage.getStream("images", key))
        hash.update(chunk as Buffer);
      sha256 = hash.digest("hex");
    }
    let { width, height } = image;
    if (!(width && height)) {
      const size = await sniffImageSize(await storage.getStream("images", key));
      if (!size) return { refused: `${key}: not a recognised image (size unknown)` };
      ({ width, height } = size);
    }
    return { key, sha256, bytes, width, height, mimeType };
  };
  const url = deps.databaseUrl ?? config.databaseUrl;
  if (!deps.pool && !url) throw new Error("metadata mode needs a database pool or URL");
  const ownPool = deps.pool ? null : createPool(url!, { max: 2 });
  try {
    const result = await importMetadata(
      { pool: deps.pool ?? ownPool!, prisma, log: deps.log },
      {
        datasetId: job.datasetId,
        source,
        objects: stored,
        split: job.split,
        actor,
        ...(signal ? { signal } : {}),
        onProgress: async (p) => {
          progress.imagesAdded = p.imagesAdded;
          progress.duplicates = p.duplicates;
          progress.done = p.records;
          await prisma.importJob.update({ where: { id: job.id }, data: progressData(progress) });
        },
      },
    );
    progress.imagesAdded = result.imagesAdded;
    progress.duplicates = result.duplicates;
    progress.done = result.records;
    progress.boxesAdded = result.boxesPerClass;
    for (const error of result.errors) report(error);
    progress.errorCount = Math.max(progress.errorCount, result.errorCount);
    return progress;
  } finally {
    await source.close();
    await ownPool?.end();
  }
}

function progressOf(row: {
  imagesAdded: number;
  duplicates: number;
  boxesAdded: Prisma.JsonValue;
  errors: Prisma.JsonValue;
  done: number;
}): ImportProgress {
  const errors = Array.isArray(row.errors) ? (row.errors as unknown as FormatError[]) : [];
  return {
    imagesAdded: row.imagesAdded,
    duplicates: row.duplicates,
    boxesAdded: { ...((row.boxesAdded ?? {}) as Record<string, number>) },
    errors,
    errorCount: errors.length,
    done: row.done,
  };
}

function progressData(p: ImportProgress) {
  return {
    imagesAdded: p.imagesAdded,
    duplicates: p.duplicates,
    boxesAdded: p.boxesAdded,
    errors: p.errors as unknown as Prisma.InputJsonValue,
    done: p.done,
  };
}

/**
 * Runs (or resumes) one ImportJob; finished jobs are left alone. When `signal` aborts (the worker
 * is stopping, or lost its claim on the job) the import stops between records or batches, saves
 * its checkpoint and rethrows the abort: the job goes back to the queue with its row RUNNING, and
 * the next attempt resumes after the last committed record.
 */
export async function runImportJob(
  deps: ImportJobDeps,
  id: string,
  signal?: AbortSignal,
): Promise<void> {
  const { prisma, storage, log } = deps;
  const job = await prisma.importJob.findUnique({ where: { id } });
  if (!job || job.status === "SUCCEEDED" || job.status === "FAILED") return;
  const resumed = job.status === "RUNNING";
  await prisma.importJob.update({
    where: { id },
    data: { status: "RUNNING", startedAt: job.startedAt ?? new Date() },
  });
  const actor: Actor = job.createdById
    ? await prisma.user
        .findUnique({ where: { id: job.createdById }, select: { id: true, email: true } })
        .then((u) => u ?? null)
    : null;
  const dir = await mkdtemp(path.join(tmpdir(), "gridfill-import-"));
  let tree: FileTree | undefined;
  let progress: ImportProgress | undefined;
  try {
    const zipPath = path.join(dir, "source.zip");
    await pipeline(await storage.getStream("images", job.source), createWriteStream(zipPath));
    tree = await openZip(zipPath);
    if (job.metadataOnly) {
      // Idempotent as a whole (rows are matched by SHA-256 and exact boxes), so a retried job
      // simply runs again.
      const result = await importFromBucket(deps, tree, job, actor, signal);
      const { total } = await prisma.importJob.findUniqueOrThrow({
        where: { id },
        select: { total: true },
      });
      await prisma.importJob.update({
        where: { id },
        data: {
          ...progressData(result),
          // Objects under the prefix that no label names count as handled.
          done: Math.max(result.done, total ?? 0),
          status: "SUCCEEDED",
          finishedAt: new Date(),
          message:
            result.errorCount > result.errors.length
              ? `${result.errorCount} problems; the first ${result.errors.length} are listed`
              : null,
        },
      });
      await storage.remove("images", job.source).catch(() => {});
      return;
    }
    const total = (await tree.listFiles()).filter((f) => imageMimeTypeOf(f)).length;
    await prisma.importJob.update({ where: { id }, data: { total } });
    progress = resumed ? progressOf(job) : emptyProgress();
    const report = progress;
    const seen = new Set(progress.errors.map((e) => `${e.file}|${e.code}|${e.message}`));
    const source = openSource(job.format, tree, {
      ...(job.classMap ? { classMap: job.classMap as Record<string, string | null> } : {}),
      maxBoxesPerImage: deps.config.importMaxBoxesPerImage,
      onError: (error) => {
        // A resumed job meets the format errors of the first attempt again.
        const key = `${error.file}|${error.code}|${error.message}`;
        if (!seen.has(key)) {
          seen.add(key);
          reportError(report, error);
        }
      },
    });
    for (const error of tree.errors) {
      const key = `${error.file}|${error.code}|${error.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        reportError(progress, error);
      }
    }
    const result = await importRecords(deps, source, {
      datasetId: job.datasetId,
      actor,
      split: job.split,
      skip: resumed ? job.done : 0,
      progress,
      ...(signal ? { signal } : {}),
      onCheckpoint: async (p) => {
        await prisma.importJob.update({ where: { id }, data: progressData(p) });
      },
    });
    await source.close();
    await prisma.$transaction(async (tx) => {
      await tx.importJob.update({
        where: { id },
        data: {
          ...progressData(result),
          done: Math.max(result.done, total),
          status: "SUCCEEDED",
          finishedAt: new Date(),
          message:
            result.errorCount > result.errors.length
              ? `${result.errorCount} problems; the first ${result.errors.length} are listed`
              : null,
        },
      });
    });
    await storage.remove("images", job.source).catch(() => {});
  } catch (error) {
    if (signal?.aborted) {
      if (progress) await prisma.importJob.update({ where: { id }, data: progressData(progress) });
      throw signal.reason;
    }
    log.error("import failed", { importJobId: id, error: String(error) });
    await prisma.importJob.update({
      where: { id },
      data: {
        status: "FAILED",
        finishedAt: new Date(),
        message:
          error instanceof Error && /zip|end of central directory|signature/i.test(error.message)
            ? `the upload is not a readable zip archive (${error.message})`
            : "the import stopped on an internal error; see the server log",
      },
    });
  } finally {
    await tree?.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}
