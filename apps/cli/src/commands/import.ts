// `gridfill import`: zips a dataset folder on the fly (or takes a zip as it is), PUTs it to a
// presigned URL, starts the import job and follows its progress until it finishes.
import { createReadStream } from "node:fs";
import { opendir, readFile, stat } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import path from "node:path";
import type { Readable } from "node:stream";
import { PassThrough } from "node:stream";
import yazl from "yazl";
import cliProgress from "cli-progress";
import type { ApiClient } from "../api-client.ts";
import { ApiError } from "../api-client.ts";
import { followJob } from "../follow.ts";

export type ImportOptions = {
  dataset: string;
  format: string;
  create?: boolean;
  split?: string;
  classMap?: string;
  json?: boolean;
  /** Metadata mode: only the label files go up; the images are already in the bucket. */
  metadataOnly?: boolean;
  /** Metadata mode: the folder of the images bucket holding the images (key = prefix + path). */
  bucketPrefix?: string;
  /** Seconds between progress reads when the API's progress subscription cannot be had. */
  pollSeconds?: number;
};

export type ImportSummary = {
  id: string;
  status: string;
  imagesAdded: number;
  duplicates: number;
  boxesAdded: { className: string; boxes: number }[];
  errors: { file: string; code: string; message: string }[];
  errorCount: number;
  done: number;
  total: number | null;
  message: string | null;
};

const FORMATS = ["voc", "coco", "yolo"];
const IMAGE_FILE = /\.(png|jpe?g|webp|tiff?|gif|bmp)$/i;
const SPLITS = ["train", "val", "test"];

/**
 * Streams a folder as a zip. Entries are stored (images are already compressed) with their sizes
 * declared up front, so yazl knows the archive's length before the first byte: S3 needs a
 * Content-Length on a PUT, and nothing is written to disk or held in memory.
 */
export async function zipFolder(
  root: string,
  options: { skipImages?: boolean } = {},
): Promise<{ stream: Readable; size: number }> {
  const files: { full: string; rel: string; size: number }[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = [];
    for await (const entry of await opendir(dir)) entries.push(entry);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full, rel);
      else if (entry.isFile() && !(options.skipImages && IMAGE_FILE.test(entry.name)))
        files.push({ full, rel, size: (await stat(full)).size });
    }
  };
  await walk(root, "");
  const zip = new yazl.ZipFile();
  for (const f of files) {
    // Opened lazily: yazl reads one entry at a time, so only one file handle is open at once.
    zip.addReadStreamLazy(f.rel, { compress: false, size: f.size }, (cb) =>
      cb(null, createReadStream(f.full)),
    );
  }
  return endZip(zip);
}

/**
 * Ends a zip of stored entries and gives its stream with the length yazl announces. The ZIP64 end
 * records are always written: yazl 3.3 counts them in the announced length as soon as the central
 * directory passes 64 KiB (about a thousand files) but writes them only past 4 GiB, so without
 * them a large folder's PUT announced 76 bytes it never sent and hung until the server's timeout.
 */
export async function endZip(zip: yazl.ZipFile): Promise<{ stream: Readable; size: number }> {
  const size = await new Promise<number>((resolve) =>
    zip.end({ forceZip64Format: true, comment: "" }, ((total: number) =>
      resolve(total)) as () => void),
  );
  const stream = new PassThrough();
  zip.outputStream.pipe(stream);
  return { stream, size };
}

async function datasetId(client: ApiClient, name: string, create: boolean): Promise<string> {
  const found = await client.request<{ dataset: { id: string } | null }>(
    `query CliDataset($name: String) { dataset(name: $name) { id } }`,
    { name },
  );
  if (found.dataset) return found.dataset.id;
  if (!create)
    throw new ApiError(`no dataset named "${name}" (pass --create to create it)`, "NOT_FOUND");
  const created = await client.request<{ createDataset: { id: string } }>(
    `mutation CliCreateDataset($name: String!) { createDataset(input: { name: $name }) { id } }`,
    { name },
  );
  return created.createDataset.id;
}

/**
 * The bytes of an upload and their exact size, known before anything is sent: a zip goes up as it
 * is, a folder is zipped while it uploads (labels only in metadata mode).
 */
async function archiveOf(
  source: string,
  skipImages: boolean,
): Promise<{ stream: Readable; size: number }> {
  const info = await stat(source);
  const archive = info.isDirectory()
    ? await zipFolder(source, { skipImages })
    : { stream: createReadStream(source), size: info.size };
  if (archive.size < 0)
    throw new ApiError(`cannot compute the archive size of ${source}`, "BAD_USER_INPUT");
  return archive;
}

/** PUTs the archive to a presigned URL that was signed for exactly its size. */
export async function upload(
  url: string,
  headers: Record<string, string>,
  { stream, size }: { stream: Readable; size: number },
): Promise<void> {
  // node:http rather than fetch: a streamed body must go with its exact Content-Length.
  const target = new URL(url);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  const status = await new Promise<number>((resolve, reject) => {
    const req = send(
      target,
      { method: "PUT", headers: { ...headers, "content-length": String(size) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    stream.on("error", (error: Error) => req.destroy(error));
    stream.pipe(req);
  });
  if (status < 200 || status >= 300) {
    throw new ApiError(`the upload was refused: HTTP ${status}`, `HTTP_${status}`);
  }
}

const JOB_FIELDS = `id status imagesAdded duplicates boxesAdded { className boxes }
  errors { file code message } errorCount done total message`;

export async function runImport(
  client: ApiClient,
  source: string,
  opts: ImportOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<ImportSummary> {
  const format = opts.format.toLowerCase();
  if (!FORMATS.includes(format))
    throw new ApiError(`--format must be one of ${FORMATS.join(", ")}`, "BAD_USER_INPUT");
  if (opts.split && !SPLITS.includes(opts.split.toLowerCase()))
    throw new ApiError(`--split must be one of ${SPLITS.join(", ")}`, "BAD_USER_INPUT");
  if (opts.bucketPrefix && !opts.metadataOnly)
    throw new ApiError("--bucket-prefix applies only with --metadata-only", "BAD_USER_INPUT");
  if (opts.metadataOnly && !opts.bucketPrefix?.trim())
    throw new ApiError(
      "--metadata-only needs --bucket-prefix: the folder of the images bucket that holds the images",
      "BAD_USER_INPUT",
    );
  const info = await stat(source).catch(() => null);
  if (!info || (!info.isDirectory() && !source.toLowerCase().endsWith(".zip")))
    throw new ApiError(`${source} is neither a folder nor a .zip file`, "BAD_USER_INPUT");
  let classMap: unknown;
  if (opts.classMap) {
    try {
      classMap = JSON.parse(await readFile(opts.classMap, "utf8"));
    } catch (error) {
      throw new ApiError(
        `--class-map ${opts.classMap}: ${(error as Error).message}`,
        "BAD_USER_INPUT",
      );
    }
  }
  const id = await datasetId(client, opts.dataset, Boolean(opts.create));
  const archive = await archiveOf(source, Boolean(opts.metadataOnly));
  const ticket = await client.request<{
    requestImportUpload: { key: string; url: string; headers: Record<string, string> };
  }>(
    `mutation CliImportUpload($id: ID!, $bytes: Float!) {
      requestImportUpload(datasetId: $id, bytes: $bytes) { key url headers }
    }`,
    { id, bytes: archive.size },
  );
  if (!opts.json) out.write(`Uploading ${source}…\n`);
  await upload(ticket.requestImportUpload.url, ticket.requestImportUpload.headers, archive);
  const started = await client.request<{ startImport: ImportSummary }>(
    `mutation CliStartImport($id: ID!, $format: DatasetFormat!, $source: String!, $split: Split, $classMap: JSON,
                             $metadataOnly: Boolean, $bucketPrefix: String) {
      startImport(datasetId: $id, format: $format, source: $source, split: $split, classMap: $classMap,
                  metadataOnly: $metadataOnly, bucketPrefix: $bucketPrefix) { ${JOB_FIELDS} }
    }`,
    {
      id,
      format: format.toUpperCase(),
      source: ticket.requestImportUpload.key,
      split: opts.split ? opts.split.toUpperCase() : null,
      classMap: classMap ?? null,
      metadataOnly: Boolean(opts.metadataOnly),
      bucketPrefix: opts.metadataOnly ? opts.bucketPrefix!.trim() : null,
    },
  );
  const bar =
    opts.json || !(out as NodeJS.WriteStream).isTTY
      ? undefined
      : new cliProgress.SingleBar(
          { format: "Importing [{bar}] {value}/{total} images", stream: out as NodeJS.WriteStream },
          cliProgress.Presets.shades_classic,
        );
  bar?.start(1, 0);
  const job = await followJob(client, started.startImport, {
    subscription: `subscription CliImportUpdated($id: ID!) { importJobUpdated(id: $id) { ${JOB_FIELDS} } }`,
    field: "importJobUpdated",
    read: async (id) => {
      const read = await client.request<{ importJob: ImportSummary | null }>(
        `query CliImportJob($id: ID!) { importJob(id: $id) { ${JOB_FIELDS} } }`,
        { id },
      );
      if (!read.importJob) throw new ApiError("the import job disappeared", "NOT_FOUND");
      return read.importJob;
    },
    onProgress: (job) => {
      if (job.total) bar?.setTotal(job.total);
      bar?.update(job.done);
    },
    pollSeconds: opts.pollSeconds,
  });
  bar?.stop();
  if (opts.json) out.write(JSON.stringify(job, null, 2) + "\n");
  else out.write(formatSummary(job) + "\n");
  return job;
}

export function formatSummary(job: ImportSummary): string {
  const lines = [
    `Import ${job.status.toLowerCase()}: ${job.imagesAdded} images added, ${job.duplicates} already present.`,
  ];
  for (const c of job.boxesAdded) lines.push(`  ${c.className}: ${c.boxes} boxes added`);
  if (job.message) lines.push(job.message);
  if (job.errorCount) {
    lines.push(`${job.errorCount} problem(s):`);
    for (const e of job.errors.slice(0, 50)) lines.push(`  ${e.file}: ${e.code}: ${e.message}`);
    if (job.errors.length > 50) lines.push(`  … (--json lists them all)`);
  }
  return lines.join("\n");
}
