// Generator output → PNG. The bytes are a pure function of the float image (fixed rounding, fixed
// encoder settings, no metadata), so regenerating from lineage gives a byte-identical file.
import sharp from "sharp";
import { invalid } from "./errors.ts";

/** float32 [3, H, W] in [-1, 1] → interleaved RGB bytes: round((clamp(x) + 1) × 127.5). */
export function toRgbBytes(chw: Float32Array, width: number, height: number): Buffer {
  const plane = width * height;
  if (chw.length !== 3 * plane)
    throw invalid(`image has ${chw.length} values, expected 3×${height}×${width}`);
  const out = Buffer.alloc(3 * plane);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) {
      const v = chw[c * plane + p]!;
      const x = Number.isNaN(v) ? -1 : Math.min(1, Math.max(-1, v));
      out[p * 3 + c] = Math.round((x + 1) * 127.5);
    }
  }
  return out;
}

/** float32 [3, H, W] in [-1, 1] → PNG (8-bit RGB). H = W = size unless given. */
export async function toPng(chw: Float32Array, size: number, height = size): Promise<Buffer> {
  return sharp(toRgbBytes(chw, size, height), { raw: { width: size, height, channels: 3 } })
    .png({ compressionLevel: 9, adaptiveFiltering: false, palette: false })
    .toBuffer();
}
