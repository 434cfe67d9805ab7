// Exports: a frozen version written as a VOC, COCO or YOLO zip into the exports bucket by a job,
// then offered through a short-lived presigned download URL.
import type { ExportJob, PrismaClient } from "@gridfill/db";
import type { Split } from "@gridfill/balance";
import type { Storage } from "@gridfill/storage";
import type { Actor } from "../context.ts";
import { badInput, conflict, notFound, requireUuid } from "../errors.ts";
import { recordAudit } from "../audit/record.ts";
import type { JobQueue } from "../jobs/queues.ts";
import { QUEUES } from "../jobs/queues.ts";
import { IMPORT_FORMATS, type ImportFormat } from "../imports/service.ts";

const SPLITS: readonly Split[] = ["TRAIN", "VAL", "TEST", "UNASSIGNED"];
/** Download links are meant to be followed at once. */
export const EXPORT_URL_TTL_SECONDS = 300;

export interface ExportDeps {
  prisma: PrismaClient;
  storage: Storage;
  jobs?: JobQueue;
}

export interface ExportVersionInput {
  versionId: string;
  format: string;
  splits?: string[] | null;
  includeSynthetic?: "NONE" | "ACCEPTED" | null;
  syntheticShareCap?: number | null;
}

export async function exportVersion(
  deps: ExportDeps,
  actor: Actor,
  input: ExportVersionInput,
): Promise<ExportJob> {
  const versionId = requireUuid(input.versionId, "version");
  const version = await deps.prisma.datasetVersion.findUnique({ where: { id: versionId } });
  if (!version) throw notFound("version", input.versionId);
  const format = input.format as ImportFormat;
  if (!IMPORT_FORMATS.includes(format))
    throw badInput(`format must be one of ${IMPORT_FORMATS.join(", ")}`);
  const splits = [...new Set(input.splits ?? SPLITS)] as Split[];
  if (splits.length === 0 || splits.some((s) => !SPLITS.includes(s)))
    throw badInput(`splits must be a non-empty list of ${SPLITS.join(", ")}`);
  const includeSynthetic = (input.includeSynthetic ?? "NONE") === "ACCEPTED";
  const cap = input.syntheticShareCap ?? null;
  if (cap !== null && !(cap >= 0 && cap < 1)) throw badInput("syntheticShareCap must be in [0, 1)");
  if (!deps.jobs) throw conflict("the job runner is not running; exports cannot start");
  const job = await deps.prisma.$transaction(async (tx) => {
    const row = await tx.exportJob.create({
      data: {
        versionId,
        format,
        splits,
        includeSynthetic,
        syntheticShareCap: cap,
        createdById: actor?.id ?? null,
      },
    });
    await recordAudit(tx, {
      actor,
      action: "export.start",
      entityType: "ExportJob",
      entityId: row.id,
      datasetId: version.datasetId,
      details: { versionId, number: version.number, format, splits, includeSynthetic, cap },
    });
    return row;
  });
  await deps.jobs.send(QUEUES.export, { id: job.id });
  return job;
}

export function findExportJob(prisma: PrismaClient, id: string) {
  return prisma.exportJob.findUnique({ where: { id: requireUuid(id, "export job") } });
}

/** A presigned GET of the finished zip, named after the dataset, version and format. */
export async function exportUrl(
  deps: { prisma: PrismaClient; storage: Storage },
  job: ExportJob,
): Promise<string | null> {
  if (job.status !== "SUCCEEDED" || !job.objectKey) return null;
  const version = await deps.prisma.datasetVersion.findUniqueOrThrow({
    where: { id: job.versionId },
    include: { dataset: { select: { name: true } } },
  });
  const name = `${version.dataset.name}-v${version.number}-${job.format.toLowerCase()}.zip`.replace(
    /[^\w.-]+/g,
    "_",
  );
  const { url } = await deps.storage.presignGet("exports", job.objectKey, {
    ttl: EXPORT_URL_TTL_SECONDS,
    filename: name,
  });
  return url;
}
