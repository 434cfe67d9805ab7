// Makes a prediction run for the demo dataset's test split from a real detector: renders the demo's
// TEST scenes exactly as the demo seed does (same seeds, size and options), runs the detector ONNX
// on each through @gridfill/generator/detector, and writes COCO results JSON plus the dataset JSON
// that names the images, ready for `gridfill predictions import --format coco`.
//
//   node --import tsx bench/evaluate/demo-run.ts --detector detector.onnx --out DIR [--min-score 0.05]
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEFECT_CLASSES, INSULATOR_CLASS, renderScene } from "@gridfill/scenes";
import { Detector } from "@gridfill/generator/detector";

/** The demo seed's first images (apps/cli/src/demo-seed.ts): every tenth pair is TEST. */
const DEMO_IMAGES = 60;
const isTest = (i: number) => i % 10 >= 8;

const { values: args } = parseArgs({
  options: {
    detector: { type: "string" },
    out: { type: "string" },
    "min-score": { type: "string", default: "0.05" },
  },
});
if (!args.detector || !args.out) throw new Error("--detector and --out are required");

const detector = await Detector.load(await readFile(args.detector));
// The demo dataset's classes: the defects and the insulator strings; any other class is left out.
const demoClasses = new Set<string>([...DEFECT_CLASSES, INSULATOR_CLASS].map((c) => c.name));
const classNames = detector.description.classNames.filter((name) => demoClasses.has(name));
const images: { id: number; file_name: string; width: number; height: number }[] = [];
const results: { image_id: number; category_id: number; bbox: number[]; score: number }[] = [];
for (let i = 0; i < DEMO_IMAGES; i++) {
  if (!isTest(i)) continue;
  const scene = await renderScene(1000 + i, { width: 640, height: 480, includeNormalParts: true });
  const id = images.length + 1;
  images.push({
    id,
    file_name: `scene-${String(i).padStart(3, "0")}.png`,
    width: 640,
    height: 480,
  });
  for (const d of await detector.detect(scene.png, { minScore: Number(args["min-score"]) })) {
    const category = classNames.indexOf(detector.description.classNames[d.classIndex]!);
    if (category === -1) continue;
    const round = (v: number) => Math.round(v * 100) / 100;
    results.push({
      image_id: id,
      category_id: category + 1,
      bbox: [round(d.x), round(d.y), round(d.width), round(d.height)],
      score: Math.round(d.score * 10_000) / 10_000,
    });
  }
}
await detector.release();
await mkdir(args.out, { recursive: true });
await writeFile(
  path.join(args.out, "instances_test.json"),
  JSON.stringify(
    { images, categories: classNames.map((name, i) => ({ id: i + 1, name })) },
    null,
    1,
  ) + "\n",
);
await writeFile(path.join(args.out, "results.json"), JSON.stringify(results) + "\n");
console.log(`${results.length} predictions on ${images.length} demo test images → ${args.out}`);
