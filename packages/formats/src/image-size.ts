/**
 * Image dimensions from the first bytes of the file (PNG, JPEG, GIF, BMP, WebP), for formats
 * whose labels do not carry the size (YOLO) or leave it out (some VOC files).
 */
import type { Readable } from "node:stream";
import type { ImageSize } from "@gridfill/balance";

/** JPEG headers (EXIF thumbnails included) rarely pass this; reading stops there. */
const MAX_HEADER_BYTES = 1024 * 1024;

type Parse = ImageSize | "more" | null;

function png(b: Buffer): Parse {
  if (b.length < 24) return "more";
  if (b.toString("latin1", 12, 16) !== "IHDR") return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

function gif(b: Buffer): Parse {
  if (b.length < 10) return "more";
  return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
}

function bmp(b: Buffer): Parse {
  if (b.length < 26) return "more";
  return { width: Math.abs(b.readInt32LE(18)), height: Math.abs(b.readInt32LE(22)) };
}

function webp(b: Buffer): Parse {
  if (b.length < 30) return "more";
  const kind = b.toString("latin1", 12, 16);
  if (kind === "VP8 ")
    return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  if (kind === "VP8L") {
    const bits = b.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (kind === "VP8X") return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
  return null;
}

function jpeg(b: Buffer): Parse {
  let i = 2;
  while (true) {
    if (i + 4 > b.length) return "more";
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1] as number;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    const length = b.readUInt16BE(i + 2);
    // SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > b.length) return "more";
      return { width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5) };
    }
    if (marker === 0xd9 || marker === 0xda) return null; // image data before any frame header
    i += 2 + length;
  }
}

/** Dimensions from a header, "more" when the bytes so far are not enough, null when unknown. */
export function parseImageHeader(b: Buffer): Parse {
  if (b.length < 12) return "more";
  if (b[0] === 0x89 && b.toString("latin1", 1, 4) === "PNG") return png(b);
  if (b[0] === 0xff && b[1] === 0xd8) return jpeg(b);
  if (b.toString("latin1", 0, 3) === "GIF") return gif(b);
  if (b.toString("latin1", 0, 2) === "BM") return bmp(b);
  if (b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP")
    return webp(b);
  return null;
}

/** Reads just enough of the stream to know the image size, then stops reading it. */
export async function sniffImageSize(stream: Readable): Promise<ImageSize | null> {
  let buffer = Buffer.alloc(0);
  try {
    for await (const chunk of stream) {
      buffer = Buffer.concat([buffer, chunk as Buffer]);
      const parsed = parseImageHeader(buffer);
      if (parsed === null) return null;
      if (parsed !== "more") return parsed.width > 0 && parsed.height > 0 ? parsed : null;
      if (buffer.length > MAX_HEADER_BYTES) return null;
    }
    const parsed = parseImageHeader(buffer);
    return parsed && parsed !== "more" && parsed.width > 0 && parsed.height > 0 ? parsed : null;
  } finally {
    stream.destroy();
  }
}
