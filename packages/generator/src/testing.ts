// Test helpers shared by this package's tests: the committed fixture model and synthetic images.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

export const fixtureDir = fileURLToPath(new URL("../fixtures/", import.meta.url));
export const fixtureGenerator = (): Buffer => readFileSync(`${fixtureDir}generator.onnx`);
export const fixtureCritic = (): Buffer => readFileSync(`${fixtureDir}critic.onnx`);

/** A grey width×height PNG with a filled rectangle of `colour` at `box`, plus mild deterministic texture. */
export async function boxImage(
  width: number,
  height: number,
  box: { x: number; y: number; width: number; height: number },
  colour: [number, number, number],
  seed = 1,
): Promise<Buffer> {
  const px = Buffer.alloc(width * height * 3);
  let s = seed >>> 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const inside = x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height;
      const c = inside ? colour : [110 + (s >>> 28), 110 + (s >>> 28), 110 + (s >>> 28)];
      px.set(c, (y * width + x) * 3);
    }
  }
  return sharp(px, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}
