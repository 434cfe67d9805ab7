// Imports: a client puts a zip into object storage (images bucket, imports/<id>.zip, via a
// presigned PUT), then startImport records an ImportJob and enqueues it; the job (job.ts) does the
// work and reports progress and per-file errors on the row.
import type { ImportJob, Prisma, PrismaClient } from "@gridfill/db";
import type { Split } from "@gridfill/balance";
import type { Storage } from "@gridfill/storage";
import type { Actor } from "../context.ts";
import { badInput, conflict, notFound, requireUuid } from "../errors.ts";
import { recordAudit } from "../audit/record.ts";
import { uuidv7 } from "../ids.ts";
import { datasetUploadTicket, type TicketDeps } from "../upload-tickets.ts";
import type { JobQueue } from "../jobs/queues.ts";
import { QUEUES } from "../jobs/queues.ts";

export const IMPORT_FORMATS = ["VOC", "COCO", "YOLO"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
const SPLITS: readonly Split[] = ["TRAIN", "VAL", "TEST", "UNASSIGNED"];
/** Upload URLs for import zips live only long enough to start the PUT. */
const IMPORT_UPLOAD_TTL_SECONDS = 15 * 60;
const IMPORT_KEY = /^imports\/[0-9a-f-]{36}\.zip$/;

export interface ImportDeps {
  prisma: PrismaClient;
  storage: Storage;
  jobs?: JobQueue;
}

export function importKey(id: string): string {
  return `imports/${id}.zip`;
}

async function requireDataset(prisma: PrismaClient, datasetId: string): Promise<string> {
  const id = requireUuid(datasetId, "dataset");
  const found = await prisma.dataset.findUnique({ where: { id }, select: { id: true } });
  if (!found) throw notFound("dataset", datasetId);
  return id;
}

/**
 * A presigned PUT for the zip of an import, for exactly `bytes` bytes; the key goes to startImport
 * once the PUT is done.
 */
export function requestImportUpload(
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
    key: () => importKey(uuidv7()),
    contentType: "application/zip",
    ttlSeconds: IMPORT_UPLOAD_TTL_SECONDS,
    action: "import.requestUpload",
  });
}

export interface StartImportInput {
  datasetId: string;
  format: string;
  source: string;
  split?: string | null;
  classMap?: unknown;
  /** Metadata mode: the zip holds only labels; the images are objects under bucketPrefix. */
  metadataOnly?: boolean | null;
  bucketPrefix?: string | null;
}

const PREFIX_SEGMENT = /^[A-Za-z0-9!_.*'()-]+$/;

/** A folder of the images bucket ("datasets/cplid/"), or a clear error. */
export function checkBucketPrefix(
  metadataOnly: boolean,
  raw: string | null | undefined,
): string | null {
  if (!metadataOnly) {
    if (raw) throw badInput("bucketPrefix applies only with metadataOnly");
    return null;
  }
  const prefix = (raw ?? "").trim().replace(/^\/+/, "");
  if (!prefix)
    throw badInput(
      "metadataOnly needs bucketPrefix: the folder of the images bucket that holds the images",
    );
  const folder = prefix.endsWith("/") ? prefix : `${prefix}/`;
  const segments = folder.slice(0, -1).split("/");
  if (
    folder.length > 512 ||
    segments.some((seg) => !PREFIX_SEGMENT.test(seg) || seg === "." || seg === "..")
  )
    throw badInput(
      "bucketPrefix must be a folder path of letters, digits and ! _ . * ' ( ) - segments, without . or ..",
    );
  if (segments[0] === "imports" || segments[0] === "thumbnails")
    throw badInput(`bucketPrefix cannot be inside ${segments[0]}/`);
  return folder;
}

export function checkClassMap(raw: unknown): Record<string, string | null> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "object" || Array.isArray(raw))
    throw badInput(
      'classMap must be an object such as { "Insulator": "insulator", "tower": null }',
    );
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > 10_000) throw badInput("classMap has more than 10,000 entries");
  for (const [from, to] of entries) {
    if (!from || from.length > 200) throw badInput("classMap keys must be 1–200 characters");
    if (to !== null && (typeof to !== "string" || !to.trim() || to.length > 64))
      throw badInput(`classMap["${from.slice(0, 40)}"] must be a class name or null`);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, v === null ? null : String(v).trim()]));
}

export async function startImport(
  deps: ImportDeps,
  actor: Actor,
  input: StartImportInput,
): Promise<ImportJob> {
  const datasetId = await requireDataset(deps.prisma, input.datasetId);
  const format = input.format as ImportFormat;
  if (!IMPORT_FORMATS.includes(format))
    throw badInput(`format must be one of ${IMPORT_FORMATS.join(", ")}`);
  const split = input.split ?? null;
  if (split !== null && !SPLITS.includes(split as Split))
    throw badInput(`split must be one of ${SPLITS.join(", ")}`);
  const classMap = checkClassMap(input.classMap);
  const metadataOnly = Boolean(input.metadataOnly);
  const bucketPrefix = checkBucketPrefix(metadataOnly, input.bucketPrefix);
  if (!IMPORT_KEY.test(input.source))
    throw badInput("source must be the key returned by requestImportUpload (imports/<id>.zip)");
  if (!(await deps.storage.stat("images", input.source)))
    throw badInput(`nothing was uploaded to ${input.source}`);
  if (!deps.jobs) throw conflict("the job runner is not running; imports cannot start");
  const job = await deps.prisma.$transaction(async (tx) => {
    const row = await tx.importJob.create({
      data: {
        datasetId,
        format,
        source: input.source,
        split: split as Split | null,
        ...(classMap ? { classMap: classMap as Prisma.InputJsonValue } : {}),
        metadataOnly,
        bucketPrefix,
        createdById: actor?.id ?? null,
      },
    });
    await recordAudit(tx, {
      actor,
      action: "import.start",
      entityType: "ImportJob",
      entityId: row.id,
      datasetId,
      details: { format, source: input.source, split, metadataOnly, bucketPrefix },
    });
    return row;
  });
  await deps.jobs.send(QUEUES.import, { id: job.id });
  return job;
}

export async function findImportJob(prisma: PrismaClient, id: string): Promise<ImportJob | null> {
  return prisma.importJob.findUnique({ where: { id: requireUuid(id, "import job") } });
}

export async function listImportJobs(prisma: PrismaClient, datasetId: string, first: number) {
  return prisma.importJob.findMany({
    where: { datasetId: requireUuid(datasetId, "dataset") },
    orderBy: { id: "desc" },
    take: Math.max(1, Math.min(first, 100)),
  });
}
