/**
 * A zip archive as a file tree (yauzl): the central directory is listed once, entries are
 * inflated lazily when opened. Unsafe entries are refused and reported instead of failing the
 * whole archive: absolute or `../` paths (ZIP_SLIP), and entries whose declared or actual
 * inflated size or compression ratio passes the limits (ZIP_BOMB), checked again while inflating
 * because headers can lie.
 */
import { PassThrough, Transform, pipeline } from "node:stream";
import type { Readable, TransformCallback } from "node:stream";
import yauzl from "yauzl";
import type { Entry, ZipFile } from "yauzl";
import { comparePaths, isJunkPath } from "./file-tree.ts";
import type { FileTree } from "./file-tree.ts";
import type { FormatError } from "./model.ts";

export interface ZipLimits {
  /** Largest inflated size of one entry; default 4 GiB. */
  maxEntryBytes?: number;
  /** Largest inflated size of all entries together (declared, and actually inflated); default 64 GiB. */
  maxTotalBytes?: number;
  /** Largest inflated/compressed ratio of an entry bigger than `ratioFloorBytes`; default 200. */
  maxRatio?: number;
  /** Entries smaller than this are not ratio-checked (tiny files compress oddly); default 1 MiB. */
  ratioFloorBytes?: number;
  /** Most entries listed; default 2,000,000. */
  maxEntries?: number;
}

const DEFAULT_LIMITS: Required<ZipLimits> = {
  maxEntryBytes: 4 * 1024 ** 3,
  maxTotalBytes: 64 * 1024 ** 3,
  maxRatio: 200,
  ratioFloorBytes: 1024 ** 2,
  maxEntries: 2_000_000,
};

/** Raised inside an entry stream when inflating passes a limit. */
export class ZipBombError extends Error {
  readonly code = "ZIP_BOMB";
}

const UTF8_FLAG = 0x800;
const ENCRYPTED_FLAG = 0x1;

function decodeName(raw: Buffer, flags: number): string {
  if (flags & UTF8_FLAG) return raw.toString("utf8");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    // Legacy archivers write CP437; latin1 keeps ASCII exact and the rest readable.
    return raw.toString("latin1");
  }
}

/** Why a stored name is unsafe to use as a path, or null. */
export function unsafePathReason(name: string): string | null {
  const normal = name.replace(/\\/g, "/");
  if (normal.startsWith("/") || /^[a-zA-Z]:/.test(normal)) return "absolute path";
  if (normal.split("/").includes("..")) return "path climbs out with ../";
  if (normal.includes("\0")) return "NUL in path";
  return null;
}

function openZipFile(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(
      path,
      // Names are decoded and validated here so one bad entry does not abort the listing;
      // sizes are enforced by InflateGuard, which also covers the declared-size check.
      { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false },
      (err, zip) => (err || !zip ? reject(err ?? new Error("cannot open zip")) : resolve(zip)),
    ),
  );
}

function listEntries(zip: ZipFile, max: number): Promise<{ entries: Entry[]; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on("entry", (entry: Entry) => {
      if (entries.length >= max) {
        resolve({ entries, truncated: true });
        return;
      }
      entries.push(entry);
      zip.readEntry();
    });
    zip.on("end", () => resolve({ entries, truncated: false }));
    zip.on("error", reject);
    zip.readEntry();
  });
}

class InflateGuard extends Transform {
  private count = 0;
  constructor(
    private readonly entry: Entry,
    private readonly name: string,
    private readonly limits: Required<ZipLimits>,
    private readonly total: { bytes: number },
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.count += chunk.length;
    this.total.bytes += chunk.length;
    const { limits, entry } = this;
    let reason: string | null = null;
    if (this.count > entry.uncompressedSize) {
      reason = `inflates past its declared size of ${entry.uncompressedSize} bytes`;
    } else if (this.count > limits.maxEntryBytes) {
      reason = `inflates past ${limits.maxEntryBytes} bytes`;
    } else if (
      this.count > limits.ratioFloorBytes &&
      this.count / Math.max(1, entry.compressedSize) > limits.maxRatio
    ) {
      reason = `inflates more than ${limits.maxRatio} times its compressed size`;
    } else if (this.total.bytes > limits.maxTotalBytes) {
      reason = `archive inflates past ${limits.maxTotalBytes} bytes in total`;
    }
    if (reason) done(new ZipBombError(`${this.name}: ${reason}`));
    else done(null, chunk);
  }
}

/** Opens a zip file as a tree; call `close()` when done. */
export async function openZip(path: string, limits: ZipLimits = {}): Promise<FileTree> {
  const lim: Required<ZipLimits> = { ...DEFAULT_LIMITS, ...limits };
  const zip = await openZipFile(path);
  const errors: FormatError[] = [];
  const refused = new Map<string, FormatError>();
  const usable = new Map<string, Entry>();
  const inflated = { bytes: 0 };
  let declaredTotal = 0;

  const { entries, truncated } = await listEntries(zip, lim.maxEntries);
  if (truncated) {
    errors.push({
      file: path,
      code: "ZIP_BOMB",
      message: `archive has more than ${lim.maxEntries} entries; the rest are ignored`,
    });
  }
  for (const entry of entries) {
    const raw = decodeName(entry.fileName as unknown as Buffer, entry.generalPurposeBitFlag);
    if (raw.endsWith("/") || raw.endsWith("\\")) continue;
    const refuse = (code: FormatError["code"], message: string) => {
      const error: FormatError = { file: raw, code, message };
      errors.push(error);
      refused.set(raw.replace(/\\/g, "/").replace(/^(\.\/)+/, ""), error);
    };
    const unsafe = unsafePathReason(raw);
    if (unsafe) {
      refuse("ZIP_SLIP", `entry refused: ${unsafe}`);
      continue;
    }
    const name = raw.replace(/\\/g, "/").replace(/^(\.\/)+/, "");
    if (isJunkPath(name)) continue;
    const size = entry.uncompressedSize;
    if (size > lim.maxEntryBytes) {
      refuse("ZIP_BOMB", `declares ${size} bytes, over the ${lim.maxEntryBytes}-byte limit`);
      continue;
    }
    if (size > lim.ratioFloorBytes && size / Math.max(1, entry.compressedSize) > lim.maxRatio) {
      refuse(
        "ZIP_BOMB",
        `declares a compression ratio of ${Math.round(size / Math.max(1, entry.compressedSize))}, over ${lim.maxRatio}`,
      );
      continue;
    }
    if (declaredTotal + size > lim.maxTotalBytes) {
      refuse("ZIP_BOMB", `archive declares more than ${lim.maxTotalBytes} bytes in total`);
      continue;
    }
    if (entry.generalPurposeBitFlag & ENCRYPTED_FLAG) {
      refuse("UNSUPPORTED", "entry is encrypted");
      continue;
    }
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      refuse("UNSUPPORTED", `compression method ${entry.compressionMethod} is not supported`);
      continue;
    }
    if (usable.has(name)) continue; // duplicate names: the first entry wins, as in most unzippers
    declaredTotal += size;
    usable.set(name, entry);
  }
  const files = [...usable.keys()].sort(comparePaths);

  return {
    origin: path,
    errors,
    listFiles: async () => files,
    open(name) {
      const out = new PassThrough();
      const entry = usable.get(name);
      if (!entry) {
        process.nextTick(() => out.destroy(new Error(`no such entry: ${name}`)));
        return out;
      }
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) {
          out.destroy(err ?? new Error(`cannot read ${name}`));
          return;
        }
        pipeline(stream, new InflateGuard(entry, name, lim, inflated), out, () => {});
      });
      return out as Readable;
    },
    refusal: (name) => refused.get(name),
    close: async () => zip.close(),
  };
}
