/** Small datasets built on the fly for the tests: real PNGs, label files, and crafted zips. */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PassThrough } from "node:stream";
import { crc32, deflateSync } from "node:zlib";
import yazl from "yazl";
import type { DatasetSource } from "./model.ts";

/** A valid grey PNG of the given size. */
export function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter byte per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

export type FixtureFiles = Record<string, string | Buffer>;

export async function tempDir(prefix = "gridfill-formats-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Writes files (paths `/`-separated) under a new temporary folder and returns it. */
export async function folderOf(files: FixtureFiles): Promise<string> {
  const root = await tempDir();
  for (const [path, data] of Object.entries(files)) {
    const target = join(root, ...path.split("/"));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, data);
  }
  return root;
}

/**
 * Builds a zip in memory (fixtures are small). `rename` swaps stored names afterwards, for
 * names yazl refuses to write (absolute, `../`); each pair must have equal byte lengths.
 */
export async function zipOf(
  files: FixtureFiles,
  rename: Record<string, string> = {},
): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [path, data] of Object.entries(files)) {
    zip.addBuffer(typeof data === "string" ? Buffer.from(data) : data, path);
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream.pipe(new PassThrough())) chunks.push(chunk as Buffer);
  let bytes: Buffer = Buffer.concat(chunks);
  for (const [from, to] of Object.entries(rename))
    bytes = replaceAll(bytes, Buffer.from(from), Buffer.from(to));
  return bytes;
}

function replaceAll(haystack: Buffer, from: Buffer, to: Buffer): Buffer {
  if (from.length !== to.length) throw new Error("renamed entries must keep their byte length");
  const out = Buffer.from(haystack);
  for (let at = out.indexOf(from); at >= 0; at = out.indexOf(from, at + 1)) to.copy(out, at);
  return out;
}

/** Sets the uncompressed size that the central directory declares for one entry. */
export function declareSize(zip: Buffer, entry: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const name = Buffer.from(entry);
  const signature = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let at = out.indexOf(signature); at >= 0; at = out.indexOf(signature, at + 1)) {
    const nameLength = out.readUInt16LE(at + 28);
    if (out.subarray(at + 46, at + 46 + nameLength).equals(name)) {
      out.writeUInt32LE(size, at + 24);
      return out;
    }
  }
  throw new Error(`no central directory entry for ${entry}`);
}

export async function zipFileOf(
  files: FixtureFiles,
  rename: Record<string, string> = {},
): Promise<string> {
  const path = join(await tempDir(), "dataset.zip");
  await writeFile(path, await zipOf(files, rename));
  return path;
}

export function vocXmlOf(
  filename: string,
  size: { width: number; height: number } | null,
  objects: [name: string, xmin: number, ymin: number, xmax: number, ymax: number][],
): string {
  return [
    "<annotation>",
    `  <filename>${filename}</filename>`,
    "  <path>/home/someone/数据/elsewhere.jpg</path>",
    size
      ? `  <size><width>${size.width}</width><height>${size.height}</height><depth>3</depth></size>`
      : "",
    ...objects.map(
      ([name, xmin, ymin, xmax, ymax]) =>
        `  <object><name>${name}</name><bndbox><xmin>${xmin}</xmin><ymin>${ymin}</ymin><xmax>${xmax}</xmax><ymax>${ymax}</ymax></bndbox></object>`,
    ),
    "</annotation>",
  ].join("\n");
}

/** Reads a whole source: records by image path, plus the error report. */
export async function drain(source: DatasetSource) {
  const records = [];
  try {
    for await (const record of source) records.push(record);
  } finally {
    await source.close();
  }
  return { records, errors: source.errors, paths: records.map((r) => r.image.relPath) };
}
