// Metadata-mode import: records whose image objects are already in storage (at their
// content-addressed keys, or under a bucket prefix: a bucket migration, a re-import of a dataset the
// platform already holds) are written in batches, without reading or uploading image bytes. Each batch is one transaction:
// COPY into TEMP staging tables, then set-based INSERT … SELECT into Image, Annotation, ImageClass
// and ClassCounter, so the cost per box is a few index insertions instead of a round trip.
//
// Same outcome as the import job, under the same rule for boxes an image already has (boxes.ts):
// re-importing the same file, or a re-export that moved boxes by rounding, adds nothing.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import type { Pool, PoolClient, PrismaClient } from "@gridfill/db";
import { validateBox, type Box, type Split } from "@gridfill/balance";
import { eventLoopSlices, untilAborted } from "@gridfill/formats";
import type { DatasetSource, FormatError, SourceImage } from "@gridfill/formats";
import type { Actor } from "../context.ts";
import type { Logger } from "../log.ts";
import { uuidv7Source } from "../ids.ts";
import { createClass } from "../classes/service.ts";
import { addedBoxesCounted } from "../balance/counters.ts";
import { sameBoxesSql } from "./boxes.ts";
import { insertStagedImagesSql } from "../images/rows.ts";

export interface StoredObject {
  key: string;
  sha256: string;
  bytes: number;
  width: number;
  height: number;
  mimeType: string;
}

export type ObjectLookup = StoredObject | { refused: string } | null;

export interface MetadataProgress {
  /** Records read from the source (including skipped ones). */
  records: number;
  imagesAdded: number;
  /** Records whose image the dataset already held (or that repeated an earlier record). */
  duplicates: number;
  boxesAdded: number;
  /** Boxes added per class name. */
  boxesPerClass: Record<string, number>;
  /** Records skipped: no stored object, or a box outside the stored image. */
  skipped: number;
  errors: FormatError[];
  errorCount: number;
  batches: number;
  /** Milliseconds spent per step, summed over batches (where the time goes). Reading overlaps
   * the writing of the previous batch; `wait` is the time reading stood still for it. */
  timings: {
    read: number;
    wait: number;
    copy: number;
    images: number;
    existing: number;
    boxes: number;
    commit: number;
  };
}

export interface MetadataImportDeps {
  pool: Pool;
  prisma: PrismaClient;
  log?: Logger;
}

export interface MetadataImportOptions {
  datasetId: string;
  source: DatasetSource;
  /**
   * The stored object of a record's image (by its path in the source): null when it is missing,
   * `{ refused }` when it exists but cannot be an image of the dataset (the reason is reported).
   */
  objects: (relPath: string, image: SourceImage) => ObjectLookup | Promise<ObjectLookup>;
  /** Forced split; else the source's split; else UNASSIGNED. */
  split?: Split | null;
  actor?: Actor;
  /** Records per transaction. */
  batchSize?: number;
  /** Boxes per transaction: a batch is written once it holds this many, whatever its records. */
  batchBoxes?: number;
  /** Batches written at once, on as many connections (default 2). */
  writers?: number;
  onProgress?: (progress: MetadataProgress) => void | Promise<void>;
  /** Aborted: no further batch is started; batches being written commit, then the abort is thrown. */
  signal?: AbortSignal;
}

const MAX_REPORTED_ERRORS = 1000;
const SHA256 = /^[0-9a-f]{64}$/;
const SPLITS: readonly Split[] = ["TRAIN", "VAL", "TEST", "UNASSIGNED"];

interface StagedImage {
  id: string;
  /** Position in the batch: boxes refer to their image by it (a small int, not the SHA-256). */
  ord: number;
  sha256: string;
  key: string;
  mimeType: string;
  width: number;
  height: number;
  bytes: number;
  filename: string;
  split: Split;
  /** Box keys already staged for this image (class + numbers → count), for in-batch repeats. */
  boxCounts: Map<string, number>;
}

/** UUID v7 ids for the rows of one import (time-ordered, monotonic within the import). */
export { uuidv7Source };

/** COPY text format: backslash, tab and line breaks are escaped; nothing else is special. */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) =>
        c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
      )
    : value;
}

// Created once per connection; ON COMMIT DELETE ROWS empties them after every batch, so a pooled
// connection never carries one batch's rows into the next.
const STAGING = `
  CREATE TEMP TABLE IF NOT EXISTS import_image_rows (
    id uuid NOT NULL, ord int NOT NULL, sha256 text NOT NULL, "objectKey" text NOT NULL,
    "mimeType" text NOT NULL,
    width int NOT NULL, height int NOT NULL, bytes int NOT NULL, filename text NOT NULL,
    split "Split" NOT NULL, origin "Origin" NOT NULL DEFAULT 'REAL',
    "reviewState" "ReviewState" NOT NULL DEFAULT 'NONE', fresh boolean NOT NULL DEFAULT false
  ) ON COMMIT DELETE ROWS;
  CREATE TEMP TABLE IF NOT EXISTS import_box_rows (
    id uuid NOT NULL, img int NOT NULL, "classId" uuid NOT NULL,
    x float8 NOT NULL, y float8 NOT NULL, width float8 NOT NULL, height float8 NOT NULL,
    k int NOT NULL
  ) ON COMMIT DELETE ROWS;`;

// New images; the ones that went in are marked fresh (their boxes need no comparison). Inserted in
// SHA-256 order, so that two batches writing at once that share images wait on each other in the
// same order instead of deadlocking.
const INSERT_IMAGES = `
  WITH ins AS (${insertStagedImagesSql("import_image_rows")})
  UPDATE import_image_rows s SET fresh = true FROM ins WHERE ins.id = s.id`;

// Images the dataset already held: locked in id order (like lockImages, so that bulk writers cannot
// deadlock), and their committed state copied in, since ImageClass rows carry it.
const RESOLVE_EXISTING = `
  UPDATE import_image_rows s
  SET id = i.id, split = i.split, origin = i.origin, "reviewState" = i."reviewState"
  FROM (SELECT id, sha256, split, origin, "reviewState" FROM "Image"
        WHERE "datasetId" = $1::uuid
          AND sha256 IN (SELECT sha256 FROM import_image_rows WHERE NOT fresh)
        ORDER BY id FOR UPDATE) i
  WHERE NOT s.fresh AND i.sha256 = s.sha256
  RETURNING s.id`;

// Boxes, then ImageClass and ClassCounter from what actually went in (counters.ts's set-based
// form), in one statement. A box on an existing image goes in only when its ordinal among equal
// boxes of the record (k) exceeds the number of equal boxes the image already has.
const INSERT_BOXES = `
  WITH ins AS (
    INSERT INTO "Annotation" (id, "imageId", "classId", x, y, width, height, source, "authorId", "updatedAt")
    SELECT b.id, s.id, b."classId", b.x, b.y, b.width, b.height, 'IMPORTED', $2::uuid, now()
    FROM import_box_rows b JOIN import_image_rows s ON s.ord = b.img
    WHERE s.fresh OR b.k > ${sameBoxesSql("s.id", "b")}
    ORDER BY b.id
    RETURNING "imageId", "classId"),
  per AS (
    SELECT "imageId", "classId", count(*)::int AS n FROM ins GROUP BY 1, 2),
  ${addedBoxesCounted("per", "import_image_rows", "$1")}
  SELECT (SELECT count(*)::int FROM ins) AS boxes, (SELECT count(*)::int FROM counted) AS counters,
         (SELECT json_object_agg("classId", n) FROM (SELECT "classId", sum(n)::int AS n FROM per GROUP BY 1) c) AS "perClass"`;

async function copyInto(client: PoolClient, sql: string, text: string): Promise<void> {
  if (!text) return;
  await pipeline(Readable.from([text]), client.query(copyFrom(sql)));
}

function reportError(progress: MetadataProgress, error: FormatError): void {
  progress.errorCount += 1;
  if (progress.errors.length < MAX_REPORTED_ERRORS) progress.errors.push(error);
}

function boxKey(classId: string, b: Box): string {
  return `${classId}|${b.x}|${b.y}|${b.width}|${b.height}`;
}

/**
 * Streams a source into a dataset in batches (see the top of this file). Memory holds 1 + `writers`
 * batches (one read, the others written) plus whatever the reader itself keeps; a batch ends at
 * `batchSize` records or `batchBoxes` boxes, so its size does not depend on the file. Counters stay
 * equal to a recount after every committed batch.
 */
export async function importMetadata(
  deps: MetadataImportDeps,
  options: MetadataImportOptions,
): Promise<MetadataProgress> {
  const { pool, prisma } = deps;
  const { datasetId } = options;
  const batchSize = Math.max(1, options.batchSize ?? 5000);
  const batchBoxes = Math.max(1, options.batchBoxes ?? 50_000);
  const actor = options.actor ?? null;
  const progress: MetadataProgress = {
    records: 0,
    imagesAdded: 0,
    duplicates: 0,
    boxesAdded: 0,
    boxesPerClass: {},
    skipped: 0,
    errors: [],
    errorCount: 0,
    batches: 0,
    timings: { read: 0, wait: 0, copy: 0, images: 0, existing: 0, boxes: 0, commit: 0 },
  };
  const timings = progress.timings;
  let mark = performance.now();
  const lap = (step: "read" | "wait") => {
    const now = performance.now();
    timings[step] += now - mark;
    mark = now;
  };
  const classIds = new Map(
    (
      await prisma.defectClass.findMany({ where: { datasetId }, select: { id: true, name: true } })
    ).map((c) => [c.name, c.id]),
  );

  const uuidv7 = uuidv7Source();
  const classNames = new Map<string, string>();
  for (const [name, id] of classIds) classNames.set(id, name);

  async function classId(name: string): Promise<string> {
    const known = classIds.get(name);
    if (known) return known;
    // Few and early (COCO declares its categories; other formats meet them in the first records),
    // so the ordinary path with its audit event is fine here.
    const created = await createClass(prisma, actor, datasetId, { name }).catch(
      async (error: unknown) => {
        const existing = await prisma.defectClass.findFirst({ where: { datasetId, name } });
        if (existing) return existing; // a concurrent import created it first
        throw error;
      },
    );
    classIds.set(name, created.id);
    classNames.set(created.id, name);
    return created.id;
  }

  let images = new Map<string, StagedImage>();
  let boxLines: string[] = [];

  // Batches are written while the next is read, `writers` at a time on their own connections:
  // the reader (JSON parsing, on this process) and the database work at the same time, and the
  // database on more than one core. Each batch is still one transaction; its counters are
  // increments, so the order in which batches commit does not matter.
  const writers = Math.max(1, options.writers ?? 2);
  const inFlight = new Set<Promise<void>>();
  /** The first batch that failed; reading stops at the next flush. */
  const failed: { error?: unknown; any: boolean } = { any: false };

  async function flush(): Promise<void> {
    if (images.size === 0) return;
    let imageText = "";
    for (const i of images.values()) {
      imageText += `${i.id}\t${i.ord}\t${i.sha256}\t${copyText(i.key)}\t${copyText(i.mimeType)}\t${i.width}\t${i.height}\t${i.bytes}\t${copyText(i.filename)}\t${i.split}\n`;
    }
    const boxText = boxLines.join("");
    const staged = images.size;
    images = new Map();
    boxLines = [];

    lap("read");
    while (inFlight.size >= writers) await Promise.race(inFlight);
    if (failed.any) throw failed.error;
    lap("wait");
    const writing: Promise<void> = writeWithRetry(imageText, boxText, staged)
      .catch((error: unknown) => {
        if (!failed.any) Object.assign(failed, { error, any: true });
      })
      .finally(() => inFlight.delete(writing));
    inFlight.add(writing);
  }

  /** A deadlock between two writers (possible only around shared images) retries the batch. */
  async function writeWithRetry(imageText: string, boxText: string, staged: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write(imageText, boxText, staged);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 5 || (code !== "40P01" && code !== "40001")) throw error;
      }
    }
  }

  async function write(imageText: string, boxText: string, staged: number): Promise<void> {
    let at = performance.now();
    const step = (name: "copy" | "images" | "existing" | "boxes" | "commit") => {
      const now = performance.now();
      timings[name] += now - at;
      at = now;
    };
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      // The correlated duplicate check makes the box statement's estimated cost look huge, which
      // switches on JIT compilation: about half a second per batch spent compiling a plan that
      // runs in a few hundred milliseconds.
      await client.query("SET LOCAL jit = off");
      await client.query(STAGING);
      await copyInto(
        client,
        `COPY import_image_rows (id, ord, sha256, "objectKey", "mimeType", width, height, bytes, filename, split) FROM STDIN`,
        imageText,
      );
      await copyInto(
        client,
        `COPY import_box_rows (id, img, "classId", x, y, width, height, k) FROM STDIN`,
        boxText,
      );
      // Temporary tables have no statistics until analysed; without them the planner guesses
      // nested loops over the CTEs of INSERT_BOXES. Row counts and the join keys are enough (half
      // the time of analysing every column).
      await client.query("ANALYZE import_image_rows (ord, sha256, id), import_box_rows (img)");
      step("copy");
      const inserted = await client.query(INSERT_IMAGES, [datasetId, actor?.id ?? null]);
      step("images");
      const existing = await client.query(RESOLVE_EXISTING, [datasetId]);
      step("existing");
      const boxes = await client.query<{
        boxes: number;
        perClass: Record<string, number> | null;
      }>(INSERT_BOXES, [datasetId, actor?.id ?? null]);
      step("boxes");
      const added = inserted.rowCount ?? 0;
      const boxesAdded = boxes.rows[0]?.boxes ?? 0;
      if (added + boxesAdded > 0) {
        // One event per batch: the audit trail says what the import wrote without a row per image.
        await client.query(
          `INSERT INTO "AuditEvent" ("actorId", "actorEmail", action, "entityType", "entityId", "datasetId", details)
           VALUES ($1::uuid, $2, 'import.metadata', 'Dataset', $3::text, $3::text::uuid, $4::jsonb)`,
          [
            actor?.id ?? null,
            actor?.email ?? null,
            datasetId,
            JSON.stringify({ images: added, duplicates: staged - added, boxes: boxesAdded }),
          ],
        );
      }
      await client.query("COMMIT");
      step("commit");
      progress.imagesAdded += added;
      progress.duplicates += existing.rowCount ?? 0;
      progress.boxesAdded += boxesAdded;
      for (const [id, n] of Object.entries(boxes.rows[0]?.perClass ?? {})) {
        const name = classNames.get(id) ?? id;
        progress.boxesPerClass[name] = (progress.boxesPerClass[name] ?? 0) + n;
      }
      progress.batches += 1;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    await options.onProgress?.(progress);
  }

  const pause = eventLoopSlices();
  try {
    for await (const record of untilAborted(options.source, options.signal)) {
      await pause();
      progress.records += 1;
      const file = record.image.relPath;
      const found = options.objects(file, record.image);
      const object = found instanceof Promise ? await found : found;
      if (object && "refused" in object) {
        progress.skipped += 1;
        reportError(progress, { file, code: "UNSUPPORTED", message: object.refused });
        continue;
      }
      if (!object || !SHA256.test(object.sha256)) {
        progress.skipped += 1;
        reportError(progress, {
          file,
          code: "MISSING_IMAGE",
          message: "no stored object for this image",
        });
        continue;
      }
      const size = { width: object.width, height: object.height };
      const boxes: { classId: string; box: Box }[] = [];
      let problem: string | null = null;
      for (const [index, b] of record.boxes.entries()) {
        const valid = validateBox(b.box, size);
        if (!valid.ok) {
          problem = `box ${index}: ${valid.message}`;
          break;
        }
        boxes.push({
          classId: classIds.get(b.className) ?? (await classId(b.className)),
          box: valid.box,
        });
      }
      if (problem) {
        progress.skipped += 1;
        reportError(progress, { file, code: "BOX_OUT_OF_BOUNDS", message: problem });
        continue;
      }
      let image = images.get(object.sha256);
      const repeat = image !== undefined;
      if (!image) {
        const split: Split =
          options.split ?? (record.split ? (record.split.toUpperCase() as Split) : "UNASSIGNED");
        image = {
          id: uuidv7(),
          sha256: object.sha256,
          ord: images.size,
          key: object.key,
          mimeType: object.mimeType,
          width: object.width,
          height: object.height,
          bytes: object.bytes,
          filename: file.slice(file.lastIndexOf("/") + 1),
          split: SPLITS.includes(split) ? split : "UNASSIGNED",
          boxCounts: new Map(),
        };
        images.set(object.sha256, image);
      } else progress.duplicates += 1;
      // Ordinal of each box among equal boxes of this record; a repeat of an image in the same batch
      // adds only boxes beyond what the earlier record staged (multiset maximum, as across batches).
      const seen = new Map<string, number>();
      for (const { classId: c, box } of boxes) {
        const key = boxKey(c, box);
        const k = (seen.get(key) ?? 0) + 1;
        seen.set(key, k);
        const already = image.boxCounts.get(key) ?? 0;
        if (repeat && k <= already) continue;
        image.boxCounts.set(key, Math.max(already, k));
        boxLines.push(
          `${uuidv7()}\t${image.ord}\t${c}\t${box.x}\t${box.y}\t${box.width}\t${box.height}\t${k}\n`,
        );
      }
      if (images.size >= batchSize || boxLines.length >= batchBoxes) await flush();
    }
  } catch (error) {
    // Stopped mid-read: batches being written still commit (or roll back) before the abort goes up.
    if (options.signal?.aborted) await Promise.allSettled(inFlight);
    throw error;
  }
  if (!options.signal?.aborted) await flush();
  await Promise.all(inFlight);
  if (failed.any) throw failed.error;
  options.signal?.throwIfAborted();
  for (const error of options.source.errors) reportError(progress, error);
  deps.log?.info("metadata import finished", {
    datasetId,
    records: progress.records,
    imagesAdded: progress.imagesAdded,
    boxesAdded: progress.boxesAdded,
    errors: progress.errorCount,
  });
  return progress;
}
