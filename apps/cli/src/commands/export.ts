// `gridfill export`: exports a dataset version through an export job and downloads the zip.
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import cliProgress from "cli-progress";
import type { ApiClient } from "../api-client.ts";
import { ApiError } from "../api-client.ts";
import { followJob } from "../follow.ts";

export type ExportOptions = {
  dataset: string;
  version: string;
  format: string;
  out: string;
  splits?: string;
  includeSynthetic?: boolean;
  syntheticShareCap?: string;
  json?: boolean;
  /** Seconds between progress reads when the API's progress subscription cannot be had. */
  pollSeconds?: number;
};

type Job = {
  id: string;
  status: string;
  images: number;
  boxes: number;
  bytes: number | null;
  message: string | null;
  url: string | null;
};
const FIELDS = "id status images boxes bytes message url";

export async function runExport(
  client: ApiClient,
  opts: ExportOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<Job> {
  const format = opts.format.toUpperCase();
  if (!["VOC", "COCO", "YOLO"].includes(format))
    throw new ApiError("--format must be one of voc, coco, yolo", "BAD_USER_INPUT");
  const number = Number(opts.version);
  if (!Number.isInteger(number) || number < 1)
    throw new ApiError("--version must be a version number (1, 2, …)", "BAD_USER_INPUT");
  const found = await client.request<{
    dataset: { versions: { id: string; number: number }[] } | null;
  }>(`query CliVersions($name: String) { dataset(name: $name) { versions { id number } } }`, {
    name: opts.dataset,
  });
  if (!found.dataset) throw new ApiError(`no dataset named "${opts.dataset}"`, "NOT_FOUND");
  const version = found.dataset.versions.find((v) => v.number === number);
  if (!version)
    throw new ApiError(`dataset "${opts.dataset}" has no version ${number}`, "NOT_FOUND");
  const started = await client.request<{ exportVersion: Job }>(
    `mutation CliExport($id: ID!, $format: DatasetFormat!, $splits: [Split!], $synthetic: SyntheticInclusion, $cap: Float) {
      exportVersion(versionId: $id, format: $format, splits: $splits, includeSynthetic: $synthetic, syntheticShareCap: $cap) { ${FIELDS} }
    }`,
    {
      id: version.id,
      format,
      splits: opts.splits ? opts.splits.split(",").map((s) => s.trim().toUpperCase()) : null,
      synthetic: opts.includeSynthetic ? "ACCEPTED" : "NONE",
      cap: opts.syntheticShareCap === undefined ? null : Number(opts.syntheticShareCap),
    },
  );
  if (!opts.json) out.write(`Exporting version ${number} of ${opts.dataset} as ${format}…\n`);
  const job = await followJob(client, started.exportVersion, {
    subscription: `subscription CliExportUpdated($id: ID!) { exportJobUpdated(id: $id) { ${FIELDS} } }`,
    field: "exportJobUpdated",
    read: async (id) => {
      const read = await client.request<{ exportJob: Job | null }>(
        `query CliExportJob($id: ID!) { exportJob(id: $id) { ${FIELDS} } }`,
        { id },
      );
      if (!read.exportJob) throw new ApiError("the export job disappeared", "NOT_FOUND");
      return read.exportJob;
    },
    pollSeconds: opts.pollSeconds,
  });
  if (job.status !== "SUCCEEDED" || !job.url)
    throw new ApiError(`the export failed: ${job.message ?? job.status}`, "EXPORT_FAILED");
  const response = await fetch(job.url);
  if (!response.ok || !response.body)
    throw new ApiError(`the download failed: HTTP ${response.status}`, `HTTP_${response.status}`);
  const total = Number(response.headers.get("content-length") ?? job.bytes ?? 0);
  const bar =
    opts.json || !(out as NodeJS.WriteStream).isTTY
      ? undefined
      : new cliProgress.SingleBar(
          {
            format: "Downloading [{bar}] {percentage}% {value}/{total} bytes",
            stream: out as NodeJS.WriteStream,
          },
          cliProgress.Presets.shades_classic,
        );
  bar?.start(total, 0);
  let received = 0;
  const body = Readable.fromWeb(response.body as never);
  body.on("data", (chunk: Buffer) => {
    received += chunk.length;
    bar?.update(received);
  });
  // Written beside the target and renamed at the end, so a failed download leaves no half file.
  const partial = `${opts.out}.part`;
  try {
    await pipeline(body, createWriteStream(partial));
    await rename(partial, opts.out);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    bar?.stop();
  }
  const summary = { ...job, url: undefined, file: opts.out, bytes: received };
  out.write(
    opts.json
      ? JSON.stringify(summary, null, 2) + "\n"
      : `Wrote ${opts.out}: ${job.images} images, ${job.boxes} boxes, ${received} bytes.\n`,
  );
  return job;
}
