// `gridfill predictions import`: zips the prediction files (a folder, a .zip as it is, or one file),
// PUTs them to a presigned URL, starts the import job and waits for the run to be written or
// refused, then prints what happened.
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import yazl from "yazl";
import type { ApiClient } from "../api-client.ts";
import { ApiError } from "../api-client.ts";
import { endZip, upload, zipFolder } from "./import.ts";

export interface PredictionImportOptions {
  dataset: string;
  version: string;
  split: string;
  format: string;
  name?: string;
  classMap?: string;
  json?: boolean;
  pollSeconds?: number;
}

export interface PredictionRunSummary {
  id: string;
  status: string;
  predictionCount: number;
  unknownImages: string[];
  errors: { file: string; code: string; message: string }[];
  message: string | null;
}

const FORMATS = ["coco", "yolo", "voc"];
const SPLITS = ["train", "val", "test", "unassigned"];
const RUN_FIELDS = `id status predictionCount unknownImages errors { file code message } message`;

/** One file becomes a one-entry zip; a folder is zipped as it streams; a zip goes as it is. */
async function archiveOf(source: string): Promise<{ stream: Readable; size: number }> {
  const info = await stat(source).catch(() => null);
  if (!info) throw new ApiError(`${source} does not exist`, "BAD_USER_INPUT");
  if (info.isDirectory()) return zipFolder(source);
  if (source.toLowerCase().endsWith(".zip"))
    return { stream: createReadStream(source), size: info.size };
  const zip = new yazl.ZipFile();
  zip.addBuffer(await readFile(source), path.basename(source));
  return endZip(zip);
}

export async function datasetIdByName(client: ApiClient, name: string): Promise<string> {
  const found = await client.request<{ dataset: { id: string } | null }>(
    `query CliDataset($name: String) { dataset(name: $name) { id } }`,
    { name },
  );
  if (!found.dataset) throw new ApiError(`no dataset named "${name}"`, "NOT_FOUND");
  return found.dataset.id;
}

function checkOptions(opts: PredictionImportOptions) {
  const format = opts.format.toLowerCase();
  if (!FORMATS.includes(format))
    throw new ApiError(`--format must be one of ${FORMATS.join(", ")}`, "BAD_USER_INPUT");
  const split = opts.split.toLowerCase();
  if (!SPLITS.includes(split))
    throw new ApiError(`--split must be one of ${SPLITS.join(", ")}`, "BAD_USER_INPUT");
  const version = Number(opts.version);
  if (!Number.isInteger(version) || version < 1)
    throw new ApiError("--version must be a version number (1, 2, …)", "BAD_USER_INPUT");
  return { format: format.toUpperCase(), split: split.toUpperCase(), version };
}

export async function runPredictionImport(
  client: ApiClient,
  source: string,
  opts: PredictionImportOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<PredictionRunSummary> {
  const { format, split, version } = checkOptions(opts);
  const classMap = opts.classMap
    ? (JSON.parse(await readFile(opts.classMap, "utf8")) as unknown)
    : null;
  const datasetId = await datasetIdByName(client, opts.dataset);
  const archive = await archiveOf(source);
  const ticket = (
    await client.request<{
      requestPredictionUpload: { key: string; url: string; headers: Record<string, string> };
    }>(
      `mutation CliPredictionUpload($id: ID!, $bytes: Float!) {
        requestPredictionUpload(datasetId: $id, bytes: $bytes) { key url headers }
      }`,
      { id: datasetId, bytes: archive.size },
    )
  ).requestPredictionUpload;
  await upload(ticket.url, ticket.headers, archive);
  const started = await client.request<{ importPredictions: { id: string } }>(
    `mutation CliImportPredictions($id: ID!, $version: Int!, $split: Split!, $format: DatasetFormat!,
       $source: String!, $name: String, $classMap: JSON) {
       importPredictions(datasetId: $id, version: $version, split: $split, format: $format,
         source: $source, name: $name, classMap: $classMap) { id } }`,
    {
      id: datasetId,
      version,
      split,
      format,
      source: ticket.key,
      name: opts.name ?? path.basename(source),
      classMap,
    },
  );
  const run = await follow(client, started.importPredictions.id, opts.pollSeconds ?? 0.5);
  out.write(opts.json ? JSON.stringify(run, null, 2) + "\n" : formatRunSummary(run));
  return run;
}

async function follow(
  client: ApiClient,
  id: string,
  pollSeconds: number,
): Promise<PredictionRunSummary> {
  for (;;) {
    const { predictionRun } = await client.request<{ predictionRun: PredictionRunSummary }>(
      `query CliPredictionRun($id: ID!) { predictionRun(id: $id) { ${RUN_FIELDS} } }`,
      { id },
    );
    if (predictionRun.status === "SUCCEEDED" || predictionRun.status === "FAILED")
      return predictionRun;
    await new Promise((resolve) => setTimeout(resolve, pollSeconds * 1000));
  }
}

export function formatRunSummary(run: PredictionRunSummary): string {
  const lines = [
    run.status === "SUCCEEDED"
      ? `run ${run.id}: ${run.predictionCount} predictions imported`
      : `run ${run.id} refused, nothing written: ${run.message ?? ""}`,
  ];
  if (run.unknownImages.length)
    lines.push(
      `${run.unknownImages.length} image name(s) not in the split: ${run.unknownImages.slice(0, 10).join(", ")}`,
    );
  for (const e of run.errors.slice(0, 20)) lines.push(`  ${e.file}: ${e.code}: ${e.message}`);
  if (run.errors.length > 20) lines.push(`  … and ${run.errors.length - 20} more`);
  return lines.join("\n") + "\n";
}
