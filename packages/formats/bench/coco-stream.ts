/**
 * Streaming check for COCO import: generates an instances JSON (default 100,000 images, 500,000
 * boxes) in a temporary folder, reads it through `readCoco`, and prints elapsed time, file size
 * and peak RSS. Image files are not generated: a thin tree lists them without bytes, since sizes
 * come from the JSON and the reader never opens them.
 *
 *   node --import tsx packages/formats/bench/coco-stream.ts [images] [boxesPerImage]
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openFolder, readCoco } from "../src/index.ts";
import type { FileTree } from "../src/index.ts";

const images = Number(process.argv[2] ?? 100_000);
const boxesPerImage = Number(process.argv[3] ?? 5);
const classes = [
  "insulator",
  "missing_cap",
  "flashover_burn",
  "crack",
  "corrosion",
  "bird_nest",
  "contamination",
  "broken_damper",
  "foreign_object",
];

async function generate(path: string): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  await write('{"info":{"description":"bench"},"licenses":[],"images":[');
  for (let i = 1; i <= images; i++) {
    await write(
      `${i > 1 ? "," : ""}\n{"id":${i},"file_name":"${String(i).padStart(8, "0")}.jpg","width":1920,"height":1080,"license":0,"date_captured":"2024-05-01 10:00:00"}`,
    );
  }
  await write('],"annotations":[');
  let id = 0;
  for (let i = 1; i <= images; i++) {
    for (let b = 0; b < boxesPerImage; b++) {
      const x = (i * 37 + b * 101) % 1700;
      const y = (i * 53 + b * 71) % 900;
      const w = 20 + ((i + b) % 180);
      const h = 20 + ((i * 3 + b) % 160);
      await write(
        `${id ? "," : ""}\n{"id":${++id},"image_id":${i},"category_id":${1 + ((i + b) % classes.length)},"bbox":[${x}.5,${y},${w},${h}.25],"area":${w * h},"iscrowd":0,"segmentation":[[${x},${y},${x + w},${y},${x + w},${y + h},${x},${y + h}]]}`,
      );
    }
  }
  await write(
    `],"categories":${JSON.stringify(classes.map((name, i) => ({ id: i + 1, name })))}}\n`,
  );
  out.end();
  await once(out, "close");
}

const dir = await mkdtemp(join(tmpdir(), "gridfill-coco-bench-"));
try {
  const file = join(dir, "instances_train.json");
  let started = performance.now();
  await generate(file);
  const bytes = (await stat(file)).size;
  console.log(
    `generated ${images} images, ${images * boxesPerImage} boxes, ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const folder = openFolder(dir);
  const names = Array.from(
    { length: images },
    (_, i) => `images/${String(i + 1).padStart(8, "0")}.jpg`,
  );
  const tree: FileTree = { ...folder, listFiles: async () => ["instances_train.json", ...names] };

  global.gc?.();
  const baseline = process.memoryUsage().rss;
  const heapBaseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  let heapPeak = heapBaseline;
  const sample = () => {
    const usage = process.memoryUsage();
    peak = Math.max(peak, usage.rss);
    heapPeak = Math.max(heapPeak, usage.heapUsed + usage.arrayBuffers);
  };
  const sampler = setInterval(sample, 20);
  started = performance.now();
  const source = readCoco(tree);
  let records = 0;
  let boxes = 0;
  for await (const record of source) {
    records++;
    boxes += record.boxes.length;
  }
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);
  sample();
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
  console.log(
    `read ${records} records, ${boxes} boxes, ${source.errors.length} errors in ${elapsed.toFixed(1)} s (${(bytes / 1e6 / elapsed).toFixed(1)} MB/s)`,
  );
  console.log(
    `RSS before ${mb(baseline)}, peak ${mb(peak)}, growth ${mb(peak - baseline)}; JS heap + buffers growth ${mb(heapPeak - heapBaseline)}; file ${mb(bytes)}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
