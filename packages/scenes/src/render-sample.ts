/**
 * Renders the README sample (with class-coloured boxes) and measures render speed.
 *   node --import tsx packages/scenes/src/render-sample.ts [seed]
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { DEFECT_CLASSES, INSULATOR_CLASS } from "./classes.ts";
import { composeScene, renderScene } from "./scene.ts";

const seed = Number(process.argv[2] ?? 2024);
const scene = await renderScene(seed, {
  defects: [
    "missing_cap",
    "flashover_burn",
    "bird_nest",
    "broken_damper",
    "foreign_object",
    "contamination",
    "corrosion",
  ],
});
const colorOf = new Map<string, string>(
  [...DEFECT_CLASSES, INSULATOR_CLASS].map((c) => [c.name, c.color]),
);
const overlay = scene.objects
  .map((o) => {
    const { xmin, ymin, xmax, ymax } = o.bbox;
    const c = colorOf.get(o.name) ?? "#ffffff";
    return (
      `<rect x="${xmin + 0.5}" y="${ymin + 0.5}" width="${xmax - xmin - 1}" height="${ymax - ymin - 1}" fill="none" stroke="${c}" stroke-width="1.5"/>` +
      `<rect x="${xmin}" y="${ymin - 11}" width="${o.name.length * 5.6 + 4}" height="11" fill="${c}" opacity="0.85"/>` +
      `<text x="${xmin + 2}" y="${ymin - 2.5}" font-family="DejaVu Sans, sans-serif" font-size="9" fill="#000">${o.name}</text>`
    );
  })
  .join("");
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}">${overlay}</svg>`;
const target = fileURLToPath(new URL("../docs/sample.png", import.meta.url));
const png = await sharp(scene.png)
  .composite([{ input: Buffer.from(svg) }])
  .png({ compressionLevel: 9, palette: true, quality: 90 })
  .toBuffer();
await writeFile(target, png);
console.log(
  `wrote ${target} (${(png.length / 1024).toFixed(0)} KB): ${scene.objects.map((o) => o.name).join(", ")}`,
);

// Speed: SVG composition alone, then full PNG rendering, at the default 640x480.
const n = 50;
let t = performance.now();
for (let i = 0; i < n; i++) composeScene(i);
const composeMs = (performance.now() - t) / n;
t = performance.now();
for (let i = 0; i < n; i++) await renderScene(i);
const renderMs = (performance.now() - t) / n;
console.log(
  `640x480: compose ${composeMs.toFixed(1)} ms/image, compose+PNG ${renderMs.toFixed(1)} ms/image (sequential, ${n} images)`,
);
