// Upload tickets for files that are not images: an import's zip, a zip of predictions, an ONNX
// file. The caller announces the size before the presigned PUT is made; the signature binds it
// (see Storage.presignPut), so a ticket for a small file cannot carry a large one, and a size over
// the configured limit gets no ticket at all.
import type { Config } from "@gridfill/config";
import type { PrismaClient } from "@gridfill/db";
import type { BucketId, Storage } from "@gridfill/storage";
import type { Actor } from "./context.ts";
import { badInput, notFound, requireUuid } from "./errors.ts";
import { recordAudit } from "./audit/record.ts";

export type UploadKind = "archive" | "model";

const WHAT: Record<UploadKind, string> = { archive: "zip", model: "ONNX file" };

/** `bytes` if it is a whole positive number within the kind's limit, or a clear error. */
export function announcedBytes(
  config: Pick<Config, "uploadLimits">,
  kind: UploadKind,
  bytes: number,
): number {
  if (!Number.isSafeInteger(bytes) || bytes < 1)
    throw badInput(`bytes must be the file's size as a whole number ≥ 1, got ${bytes}`);
  const max =
    kind === "archive" ? config.uploadLimits.archiveMaxBytes : config.uploadLimits.modelMaxBytes;
  if (bytes > max)
    throw badInput(`the ${WHAT[kind]} is ${bytes} bytes, more than the ${max}-byte limit`, {
      maxBytes: max,
    });
  return bytes;
}

export interface TicketDeps {
  prisma: PrismaClient;
  storage: Storage;
  config: Pick<Config, "uploadLimits">;
}

export interface DatasetTicketRequest {
  datasetId: string;
  kind: UploadKind;
  bytes: number;
  bucket: BucketId;
  /** Makes the object key once the request is checked. */
  key: () => string;
  contentType: string;
  ttlSeconds: number;
  /** The audit action, e.g. "import.requestUpload". */
  action: string;
}

/** A presigned PUT of exactly the announced size for a file about a dataset, audited. */
export async function datasetUploadTicket(
  deps: TicketDeps,
  actor: Actor,
  request: DatasetTicketRequest,
) {
  const contentLength = announcedBytes(deps.config, request.kind, request.bytes);
  const id = requireUuid(request.datasetId, "dataset");
  if (!(await deps.prisma.dataset.findUnique({ where: { id }, select: { id: true } })))
    throw notFound("dataset", request.datasetId);
  const key = request.key();
  const put = await deps.storage.presignPut(request.bucket, key, {
    contentType: request.contentType,
    ttl: request.ttlSeconds,
    contentLength,
  });
  await deps.prisma.$transaction((tx) =>
    recordAudit(tx, {
      actor,
      action: request.action,
      entityType: "Dataset",
      entityId: id,
      datasetId: id,
      details: { key, bytes: contentLength },
    }),
  );
  return { key, url: put.url, headers: put.headers, expiresAt: put.expiresAt };
}
