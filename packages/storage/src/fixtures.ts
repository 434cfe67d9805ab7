/**
 * Builders for test images, good and hostile. Exported for integration tests across gridfill.
 * All builders are deterministic: the same arguments give the same bytes (and SHA-256).
 */
import { deflateSync } from "node:zlib";
import sharp from "sharp";

/** Deterministic pseudo-random RGB pixels (xorshift32), so images compress poorly and differ by seed. */
function noise(width: number, height: number, seed: number): Buffer {
  const buf = Buffer.alloc(width * height * 3);
  let x = (seed * 2654435761) >>> 0 || 0x9e3779b9;
  for (let i = 0; i < buf.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    buf[i] = x & 0xff;
  }
  return buf;
}

/** A valid RGB PNG of the given size. Different seeds give different bytes. */
export function makePng(width = 64, height = 48, seed = 1): Promise<Buffer> {
  return sharp(noise(width, height, seed), { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A valid baseline JPEG of the given size. */
export function makeJpeg(width = 64, height = 48, seed = 1): Promise<Buffer> {
  return sharp(noise(width, height, seed), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A valid WebP of the given size. */
export function makeWebp(width = 64, height = 48, seed = 1): Promise<Buffer> {
  return sharp(noise(width, height, seed), { raw: { width, height, channels: 3 } })
    .webp({ quality: 90 })
    .toBuffer();
}

/** A valid GIF: a real image in a format gridfill does not accept. */
export function makeGif(width = 16, height = 16): Promise<Buffer> {
  return sharp(noise(width, height, 7), { raw: { width, height, channels: 3 } })
    .gif()
    .toBuffer();
}

/** A PNG cut off in the middle of its pixel data: the header is intact, decoding fails. */
export async function makeTruncatedPng(): Promise<Buffer> {
  const png = await makePng(128, 128, 3);
  return png.subarray(0, Math.floor(png.length * 0.6));
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([len, typeAndData, crc]);
}

let bombCache: Buffer | undefined;

/**
 * A decompression bomb: a complete, valid 20000×20000 (400 megapixel) 1-bit greyscale PNG of
 * about 50 KB. Decoding it to RGBA would need 1.6 GB. Built by hand (fast, ~0.2 s, cached).
 */
export function makeBombPng(width = 20000, height = 20000): Buffer {
  if (width === 20000 && height === 20000 && bombCache) return bombCache;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  // compression, filter, interlace: 0
  const rowBytes = 1 + Math.ceil(width / 8); // filter byte + packed pixels, all zero (black)
  const idat = deflateSync(Buffer.alloc(rowBytes * height), { level: 9 });
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", idat),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
  if (width === 20000 && height === 20000) bombCache = png;
  return png;
}

/** A plain text file, as if someone renamed notes.txt to photo.png. */
export function textFileAsPng(): Buffer {
  return Buffer.from(
    "These are my notes about the substation inspection.\nNot an image at all.\n",
    "utf8",
  );
}
