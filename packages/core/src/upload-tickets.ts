// The size an upload announces before its presigned PUT is made. The signature binds that size
// (see Storage.presignPut), so a ticket for a small file cannot carry a large one, and the
// announced size is checked against the configured limit before any ticket exists.
import type { Config } from "@gridfill/config";
import { badInput } from "./errors.ts";

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
