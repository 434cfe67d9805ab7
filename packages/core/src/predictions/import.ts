// Importing a prediction run: a client puts a zip of prediction files into object storage
// (images bucket, predictions/<id>.zip, via a presigned PUT), startPredictionImport writes the run,
// its audit event and its job in one transaction, and the job (runPredictionImport) reads the
// files, resolves image names and classes, and writes every prediction by COPY in one transaction
// with the run's final state. A run with any error is refused whole: it records the errors and
// writes no prediction, so a retried job finds either nothing or everything.
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import {
  createPool,
  type Pool,
  type Prisma,
  type PrismaClient,
  type PredictionRun,
} from "@gridfill/db";
import type { Split } from "@gridfill/balance";
import type { Storage } from "@gridfill/storage";
import {
  openZip,
  readPredictions,
  type PredictionFile,
  type PredictionFileError,
  type PredictionFormat,
  type PredictionTable,
} from "@gridfill/formats";
import type { Actor } from "../context.ts";
import { badInput, conflict, notFound, requireUuid } from "../errors.ts";
import { recordAudit } from "../audit/record.ts";
import { uuidv7, uuidv7Source } from "../ids.ts";
import { QUEUES, type JobQueue } from "../jobs/queues.ts";
import { checkClassMap } from "../imports/service.ts";
import type { Logger } from "../log.ts";
import { datasetUploadTicket, type TicketDeps } from "../upload-tickets.ts";

export const PREDICTION_FORMATS: readonly PredictionFormat[] = ["COCO", "YOLO", "VOC"];
const SPLITS: readonly Split[] = ["TRAIN", "VAL", "TEST", "UNASSIGNED"];
const UPLOAD_KEY = /^predictions\/[0-9a-f-]{36}\.zip$/;
const UPLOAD_TTL_SECONDS = 15 * 60;
/** A predicted box may overhang the image by this many pixels (rounding); it is clipped to it. */
const EDGE_TOLERANCE_PX = 0.5;
const MAX_REPORTED = 1000;
const MAX_LISTED_UNKNOWN = 1000;

export interface PredictionImportDeps {
  prisma: PrismaClient;
  storage: Storage;
  jobs?: JobQueue;
  /** COPY runs on this pool, or on one opened on databaseUrl for the job. */
  pool?: Pool;
  databaseUrl?: string;
  log?: Logger;
}

/** A presigned PUT for a zip of prediction files of exactly `bytes` bytes. */
export function requestPredictionUpload(
  deps: TicketDeps,
  actor: Actor,
  datasetId: string,
  bytes: number,
) {
  return datasetUploadTicket(deps, actor, {
    datasetId,
    kind: "archive",
    bytes,
    bucket: "images",
    key: () => `predictions/${uuidv7()}.zip`,
    contentType: "application/zip",
    ttlSeconds: UPLOAD_TTL_SECONDS,
    action: "predictions.requestUpload",
  });
}

export interface StartPredictionImportInput {
  datasetId: string;
  /** The version number the detector was evaluated on. */
  version: number;
  split: string;
  format: string;
  source: string;
  name?: string | null;
  classMap?: unknown;
}

/** Checks the request, then writes the run, its audit event and its job together. */
export async function startPredictionImport(
  deps: PredictionImportDeps,
  actor: Actor,
  input: StartPredictionImportInput,
): Promise<PredictionRun> {
  const datasetId = requireUuid(input.datasetId, "dataset");
  const format = input.format as PredictionFormat;
  if (!PREDICTION_FORMATS.includes(format))
    throw badInput(`format must be one of ${PREDICTION_FORMATS.join(", ")}`);
  if (!SPLITS.includes(input.split as Split))
    throw badInput(`split must be one of ${SPLITS.join(", ")}`);
  const classMap = checkClassMap(input.classMap);
  const name = (input.name ?? "").trim();
  if (name.length > 200) throw badInput("name must be at most 200 characters");
  if (!UPLOAD_KEY.test(input.source))
    throw badInput("source must be the key returned by requestPredictionUpload");
  const version = await deps.prisma.datasetVersion.findUnique({
    where: { datasetId_number: { datasetId, number: input.version } },
    select: { id: true },
  });
  if (!version) throw notFound("version", `${input.version} of dataset ${datasetId}`);
  if (!(await deps.storage.stat("images", input.source)))
    throw badInput(`nothing was uploaded to ${input.source}`);
  const jobs = deps.jobs;
  if (!jobs) throw conflict("the job runner is not running; prediction imports cannot start");
  return deps.prisma.$transaction(async (tx) => {
    const run = await tx.predictionRun.create({
      data: {
        datasetId,
        versionId: version.id,
        split: input.split as Split,
        name,
        source: "IMPORT",
        format,
        objectKey: input.source,
        parameters: (classMap ? { classMap } : {}) as Prisma.InputJsonValue,
        createdById: actor?.id ?? null,
      },
    });
    await recordAudit(tx, {
      actor,
      action: "predictions.import",
      entityType: "PredictionRun",
      entityId: run.id,
      datasetId,
      details: { format, version: input.version, split: input.split, source: input.source },
    });
    await jobs.send(QUEUES.predictions, { id: run.id, actor }, { tx });
    return run;
  });
}

/**
 * The job: reads the uploaded zip and imports it; a finished run is left as it is. An unreadable
 * file refuses the run; a database failure throws, and pg-boss retries the job.
 */
export async function runPredictionImport(deps: PredictionImportDeps, runId: string) {
  const run = await deps.prisma.predictionRun.findUnique({ where: { id: runId } });
  if (!run || run.status === "SUCCEEDED" || run.status === "FAILED") return;
  if (!run.objectKey || !run.format) throw new Error(`run ${runId} has no file to import`);
  await deps.prisma.predictionRun.update({
    where: { id: runId },
    data: { status: "RUNNING", message: "reading prediction files" },
  });
  const dir = await mkdtemp(path.join(tmpdir(), "gridfill-predictions-"));
  let file: PredictionFile;
  try {
    const zipPath = path.join(dir, "predictions.zip");
    await pipeline(
      await deps.storage.getStream("images", run.objectKey),
      createWriteStream(zipPath),
    );
    const tree = await openZip(zipPath);
    try {
      file = await readPredictions(tree, run.format as PredictionFormat);
    } finally {
      await tree.close();
    }
  } catch (error) {
    await finishRefused(deps.prisma, runId, [
      { file: run.objectKey, code: "UNSUPPORTED", message: (error as Error).message },
    ]);
    await deps.storage.remove("images", run.objectKey).catch(() => {});
    return;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const classMap = (run.parameters as { classMap?: Record<string, string | null> }).classMap;
  await importPredictionTable(deps, run, file.table, { fileErrors: file.errors, classMap });
  await deps.storage.remove("images", run.objectKey).catch(() => {});
}

export interface ImportTableOptions {
  fileErrors?: readonly PredictionFileError[];
  classMap?: Record<string, string | null> | undefined;
}

export interface ImportSummary {
  status: "SUCCEEDED" | "FAILED";
  predictions: number;
  unknownImages: string[];
  errors: PredictionFileError[];
}

/**
 * Resolves and checks every row, then either writes all of them (COPY, one transaction with the
 * run's state) or none (the run records why). Used by the job, the benchmark and the tests.
 */
export async function importPredictionTable(
  deps: Pick<PredictionImportDeps, "prisma" | "pool" | "databaseUrl">,
  run: Pick<PredictionRun, "id" | "datasetId" | "split">,
  table: PredictionTable,
  options: ImportTableOptions = {},
): Promise<ImportSummary> {
  const errors: PredictionFileError[] = [...(options.fileErrors ?? [])];
  const images = await imagesOfSplit(deps.prisma, run.datasetId, run.split);
  const classes = await classIds(deps.prisma, run.datasetId);
  const resolved = resolveRows(table, images, classes, options.classMap, errors);
  const summary = {
    predictions: resolved.rows,
    unknownImages: [...resolved.unknownImages].slice(0, MAX_LISTED_UNKNOWN),
    errors: errors.slice(0, MAX_REPORTED),
  };
  if (errors.length) {
    await finishRefused(deps.prisma, run.id, summary.errors, summary.unknownImages);
    return { status: "FAILED", ...summary, predictions: 0 };
  }
  await deps.prisma.predictionRun.update({
    where: { id: run.id },
    data: { message: "writing predictions", total: resolved.rows },
  });
  const ownPool = deps.pool ? null : createPool(requireUrl(deps.databaseUrl));
  try {
    await writeResolved(deps.pool ?? ownPool!, run.id, resolved, summary.unknownImages);
  } finally {
    await ownPool?.end();
  }
  return { status: "SUCCEEDED", ...summary };
}

function requireUrl(url: string | undefined): string {
  if (!url) throw new Error("importing predictions needs a pool or a databaseUrl");
  return url;
}

async function finishRefused(
  prisma: PrismaClient,
  runId: string,
  errors: readonly PredictionFileError[],
  unknownImages: readonly string[] = [],
) {
  await prisma.predictionRun.update({
    where: { id: runId },
    data: {
      status: "FAILED",
      errors: errors as unknown as Prisma.InputJsonValue,
      unknownImages: [...unknownImages],
      message: `refused: ${errors.length} problem(s); nothing was written`,
      finishedAt: new Date(),
    },
  });
}

interface SplitImage {
  id: string;
  width: number;
  height: number;
}

/**
 * Names an image of the split answers to: its file name (as exports write it, or the sha256 name
 * when it has none), and the stem of that name (YOLO names labels by stem). A name two images share
 * resolves to neither: it is listed as unknown, never guessed.
 */
async function imagesOfSplit(prisma: PrismaClient, datasetId: string, split: Split) {
  const rows = await prisma.image.findMany({
    where: { datasetId, split, origin: "REAL" },
    select: { id: true, width: true, height: true, filename: true, sha256: true },
  });
  const byName = new Map<string, SplitImage | null>();
  const claim = (name: string, image: SplitImage) => {
    const other = byName.get(name);
    byName.set(name, other === undefined || other?.id === image.id ? image : null);
  };
  for (const row of rows) {
    const image = { id: row.id, width: row.width, height: row.height };
    const name = baseName(row.filename) || `${row.sha256}.png`;
    claim(name, image);
    claim(stem(name), image);
    claim(`${row.sha256}.png`, image);
  }
  return byName;
}

const baseName = (p: string) => p.slice(p.lastIndexOf("/") + 1);
const stem = (name: string) =>
  name.lastIndexOf(".") > 0 ? name.slice(0, name.lastIndexOf(".")) : name;

async function classIds(prisma: PrismaClient, datasetId: string) {
  const rows = await prisma.defectClass.findMany({
    where: { datasetId },
    select: { id: true, name: true },
  });
  return new Map(rows.map((r) => [r.name, r.id]));
}

interface ResolvedRows {
  rows: number;
  imageId: string[];
  classId: string[];
  /** Pixel boxes, clipped to the image. */
  box: Float64Array;
  score: Float64Array;
  unknownImages: Set<string>;
}

function resolveRows(
  table: PredictionTable,
  images: Map<string, SplitImage | null>,
  classes: Map<string, string>,
  classMap: Record<string, string | null> | undefined,
  errors: PredictionFileError[],
): ResolvedRows {
  const n = table.image.length;
  const out: ResolvedRows = {
    rows: 0,
    imageId: [],
    classId: [],
    box: new Float64Array(n * 4),
    score: new Float64Array(n),
    unknownImages: new Set(),
  };
  const unknownClasses = new Set<string>();
  for (let i = 0; i < n; i++) {
    const name = table.image[i]!;
    const image = images.get(baseName(name)) ?? images.get(stem(baseName(name)));
    if (!image) {
      out.unknownImages.add(name);
      continue;
    }
    const source = table.className[i]!;
    const mapped = classMap && source in classMap ? classMap[source] : source;
    if (mapped === null) continue; // dropped by the class map
    const classId = classes.get(mapped!);
    if (!classId) {
      if (!unknownClasses.has(source)) {
        unknownClasses.add(source);
        errors.push({
          file: name,
          code: "UNKNOWN_CATEGORY",
          message: `class "${source}" is not a class of the dataset (map it with the class map)`,
        });
      }
      continue;
    }
    const sx = table.normalized ? image.width : 1;
    const sy = table.normalized ? image.height : 1;
    let x1 = table.x[i]! * sx;
    let y1 = table.y[i]! * sy;
    let x2 = x1 + table.width[i]! * sx;
    let y2 = y1 + table.height[i]! * sy;
    const t = EDGE_TOLERANCE_PX;
    if (x1 < -t || y1 < -t || x2 > image.width + t || y2 > image.height + t) {
      if (errors.length < MAX_REPORTED) {
        errors.push({
          file: name,
          code: "BOX_OUT_OF_BOUNDS",
          message: `box [${round(x1)}, ${round(y1)}, ${round(x2)}, ${round(y2)}] leaves the ${image.width}×${image.height} image`,
        });
      }
      continue;
    }
    x1 = Math.max(0, x1);
    y1 = Math.max(0, y1);
    x2 = Math.min(image.width, x2);
    y2 = Math.min(image.height, y2);
    const k = out.rows;
    out.imageId.push(image.id);
    out.classId.push(classId);
    out.box.set([x1, y1, x2 - x1, y2 - y1], k * 4);
    out.score[k] = table.score[i]!;
    out.rows += 1;
  }
  return out;
}

const round = (v: number) => Math.round(v * 100) / 100;

const COPY_CHUNK_ROWS = 20_000;

function* copyLines(runId: string, rows: ResolvedRows): Generator<string> {
  const nextId = uuidv7Source();
  let chunk = "";
  for (let i = 0; i < rows.rows; i++) {
    const b = rows.box;
    chunk += `${nextId()}\t${runId}\t${rows.imageId[i]}\t${rows.classId[i]}\t${b[i * 4]}\t${b[i * 4 + 1]}\t${b[i * 4 + 2]}\t${b[i * 4 + 3]}\t${rows.score[i]}\n`;
    if ((i + 1) % COPY_CHUNK_ROWS === 0) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

export const PREDICTION_COPY_SQL = `COPY "Prediction" (id, "runId", "imageId", "classId", x, y, width, height, score) FROM STDIN`;

async function writeResolved(
  pool: Pool,
  runId: string,
  rows: ResolvedRows,
  unknownImages: string[],
) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // The row lock makes a second worker on the same run wait, then see it finished.
    const { rows: state } = await client.query<{ status: string }>(
      `SELECT status FROM "PredictionRun" WHERE id = $1 FOR UPDATE`,
      [runId],
    );
    if (state[0]?.status === "SUCCEEDED" || state[0]?.status === "FAILED") {
      await client.query("ROLLBACK");
      return;
    }
    await pipeline(
      Readable.from(copyLines(runId, rows)),
      client.query(copyFrom(PREDICTION_COPY_SQL)),
    );
    await client.query(
      `UPDATE "PredictionRun" SET status = 'SUCCEEDED', predictions = $2, done = $2, total = $2,
         "unknownImages" = $3::jsonb, message = NULL, "finishedAt" = now(), "updatedAt" = now()
       WHERE id = $1`,
      [runId, rows.rows, JSON.stringify(unknownImages)],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
