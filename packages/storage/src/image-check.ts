/**
 * Validation of uploaded image bytes before they enter a dataset.
 *
 * Order matters for safety: the byte size is checked while reading, the dimensions come from
 * the file header (no pixel decode), and only an image within every limit is fully decoded to
 * prove its pixel data is complete. A decompression bomb is thus refused without allocating
 * its pixels.
 */
import { Readable } from "node:stream";
import sharp, { type Metadata } from "sharp";

export type ImageCheckCode =
  | "NOT_AN_IMAGE"
  | "TRUNCATED"
  | "TOO_LARGE_DIMENSIONS"
  | "TOO_MANY_PIXELS"
  | "TOO_MANY_BYTES"
  | "UNSUPPORTED_FORMAT";

export type ImageFormat = "png" | "jpeg" | "webp" | "tiff";

export interface ImageLimits {
  maxBytes: number;
  maxWidth: number;
  maxHeight: number;
  maxPixels: number;
  /** Accepted formats; defaults to all of png, jpeg, webp, tiff. */
  formats?: readonly ImageFormat[];
}

export type ImageCheckResult =
  | {
      ok: true;
      /** Width and height of the stored pixel grid (before any EXIF rotation). */
      width: number;
      height: number;
      format: ImageFormat;
      mimeType: string;
      /** Canonical file extension, usable with imageKey(). */
      extension: string;
      /** EXIF orientation 1-8 when present; 5-8 mean browsers show it with width and height swapped. */
      orientation?: number;
      size: number;
    }
  | { ok: false; code: ImageCheckCode; message: string };

/**
 * The one table of image types the platform takes: uploads, imports (including metadata imports,
 * which never decode the bytes) and exports all read it. `extensions` are the file names it is
 * recognised by; `extension` is the one it is stored under.
 */
export const SUPPORTED_IMAGE_FORMATS: Readonly<
  Record<ImageFormat, { mimeType: string; extension: string; extensions: readonly string[] }>
> = {
  png: { mimeType: "image/png", extension: "png", extensions: ["png"] },
  jpeg: { mimeType: "image/jpeg", extension: "jpg", extensions: ["jpg", "jpeg"] },
  webp: { mimeType: "image/webp", extension: "webp", extensions: ["webp"] },
  tiff: { mimeType: "image/tiff", extension: "tiff", extensions: ["tif", "tiff"] },
};

/** MIME types of the supported formats. */
export const IMAGE_MIME_TYPES: readonly string[] = Object.values(SUPPORTED_IMAGE_FORMATS).map(
  (f) => f.mimeType,
);

/** The MIME type of a file name with a supported image extension, else undefined. */
export function imageMimeTypeOf(fileName: string): string | undefined {
  const ext = fileName.slice(fileName.lastIndexOf(".") + 1).toLowerCase();
  return Object.values(SUPPORTED_IMAGE_FORMATS).find((f) => f.extensions.includes(ext))?.mimeType;
}

function fail(code: ImageCheckCode, message: string): ImageCheckResult {
  return { ok: false, code, message };
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

async function readLimited(stream: Readable, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    total += buf.length;
    if (total > maxBytes) {
      stream.destroy();
      return null;
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, total);
}

export async function inspectImage(
  input: Buffer | Uint8Array | Readable,
  limits: ImageLimits,
): Promise<ImageCheckResult> {
  const allowed = limits.formats ?? (Object.keys(SUPPORTED_IMAGE_FORMATS) as ImageFormat[]);

  let buf: Buffer;
  if (input instanceof Readable) {
    const read = await readLimited(input, limits.maxBytes);
    if (!read)
      return fail("TOO_MANY_BYTES", `The file is larger than the ${mb(limits.maxBytes)} limit.`);
    buf = read;
  } else {
    buf = Buffer.isBuffer(input)
      ? input
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    if (buf.length > limits.maxBytes) {
      return fail(
        "TOO_MANY_BYTES",
        `The file is ${mb(buf.length)}, larger than the ${mb(limits.maxBytes)} limit.`,
      );
    }
  }
  if (buf.length === 0) return fail("NOT_AN_IMAGE", "The file is empty.");

  // Header only: no pixels are decoded here, so the pixel limit is checked below ourselves.
  let meta: Metadata;
  try {
    meta = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch {
    return fail("NOT_AN_IMAGE", "The file is not a readable image.");
  }

  const format = meta.format as string | undefined;
  if (!format || !(format in SUPPORTED_IMAGE_FORMATS) || !allowed.includes(format as ImageFormat)) {
    return fail(
      "UNSUPPORTED_FORMAT",
      `Images in ${format ? format.toUpperCase() : "this"} format are not accepted; use ${allowed.map((f) => f.toUpperCase()).join(", ")}.`,
    );
  }
  const fmt = format as ImageFormat;

  const width = meta.width;
  const height = meta.height;
  if (!width || !height) return fail("NOT_AN_IMAGE", "The image has no dimensions.");
  if (width > limits.maxWidth || height > limits.maxHeight) {
    return fail(
      "TOO_LARGE_DIMENSIONS",
      `The image is ${width}×${height} pixels; the maximum is ${limits.maxWidth}×${limits.maxHeight}.`,
    );
  }
  if (width * height > limits.maxPixels) {
    return fail(
      "TOO_MANY_PIXELS",
      `The image has ${((width * height) / 1e6).toFixed(1)} megapixels; the maximum is ${(limits.maxPixels / 1e6).toFixed(1)}.`,
    );
  }

  // Full decode of the first page with the strictest error level: truncated or corrupt pixel
  // data fails here even though the header above looked fine.
  try {
    await sharp(buf, { failOn: "warning", limitInputPixels: limits.maxPixels }).stats();
  } catch {
    return fail("TRUNCATED", "The image data is incomplete or corrupt (was the upload cut off?).");
  }

  return {
    ok: true,
    width,
    height,
    format: fmt,
    mimeType: SUPPORTED_IMAGE_FORMATS[fmt].mimeType,
    extension: SUPPORTED_IMAGE_FORMATS[fmt].extension,
    ...(meta.orientation ? { orientation: meta.orientation } : {}),
    size: buf.length,
  };
}
