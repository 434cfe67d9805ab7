// Evaluation benchmark: import a prediction run of 1M boxes over 100k test images (COCO results
// JSON read by @gridfill/formats, resolved and written by COPY through importPredictionTable),
// against a raw COPY of the same rows in the same run; then evaluate the run (evaluateRun: two
// ordered scans and the pure COCO evaluation), against a naive evaluation that joins predictions
// and labels with one SQL query per image.
//
//   node --import tsx bench/evaluate/run.ts [--images 100000] [--per-image 10] [--naive-images N]
//                                           [--docs|--no-docs]
//
// Writes the "## Evaluation" section of docs/benchmarks.md on full-size runs (or with --docs).
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { applyMigrations, createPool, createPrisma } from "@gridfill/db";
import { openFolder, readPredictions } from "@gridfill/formats";
import { uuidv7 } from "@gridfill/core/ids.ts";
import { importPredictionTable, PREDICTION_COPY_SQL } from "@gridfill/core/predictions/import.ts";
import { evaluateRun } from "@gridfill/core/predictions/service.ts";
import { evaluateDetections, type EvaluationImage } from "@gridfill/core/predictions/evaluation.ts";

const DATABASE = "gridfill_bench_evaluate";
const SECTION_TITLE = "## Evaluation";
const FULL_IMAGES = 100_000;
const TARGET_PREDICTIONS_PER_S = 100_000;
const TARGET_SHARE_OF_COPY = 1 / 3;
const TARGET_EVALUATION_S = 10;
const TARGET_SPEEDUP = 5;
const CLASSES = ["insulator", "missing_cap", "flashover_burn", "corrosion", "bird_nest"];
const WIDTH = 1280;
const HEIGHT = 720;

const { values: args } = parseArgs({
  options: {
    images: { type: "string", default: String(FULL_IMAGES) },
    "per-image": { type: "string", default: "10" },
    "naive-images": { type: "string" },
    docs: { type: "boolean" },
    "no-docs": { type: "boolean" },
  },
});
const imageCount = Number(args.images);
const perImage = Number(args["per-image"]);
const naiveImages = Number(args["naive-images"] ?? imageCount);
const adminUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

/** mulberry32, so every run measures the same data. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function freshDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${DATABASE}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${DATABASE}`;
  await applyMigrations(url.toString());
  return url.toString();
}

async function copyRows(client: pg.PoolClient, sql: string, lines: Iterable<string>) {
  await pipeline(Readable.from(lines), client.query(copyFrom(sql)));
}

function* chunks<T>(items: readonly T[], line: (item: T) => string, size = 10_000) {
  for (let i = 0; i < items.length; i += size)
    yield items
      .slice(i, i + size)
      .map(line)
      .join("");
}

interface Scene {
  id: string;
  name: string;
  truths: { id: string; cls: number; x: number; y: number; w: number; h: number }[];
}

/** Labelled test images: 1-5 boxes each, of the five classes. */
function scenes(rand: () => number): Scene[] {
  return Array.from({ length: imageCount }, (_, i) => {
    const n = 1 + Math.floor(rand() * 5);
    return {
      id: uuidv7(),
      name: `scene-${i}.jpg`,
      truths: Array.from({ length: n }, () => {
        const w = 20 + rand() * 200;
        const h = 20 + rand() * 200;
        return {
          id: uuidv7(),
          cls: Math.floor(rand() * CLASSES.length),
          x: rand() * (WIDTH - w),
          y: rand() * (HEIGHT - h),
          w,
          h,
        };
      }),
    };
  });
}

/** A detector's output: jittered hits on most boxes, the rest background, `perImage` per image. */
function results(rand: () => number, images: Scene[]) {
  const rows: { image_id: number; category_id: number; bbox: number[]; score: number }[] = [];
  images.forEach((scene, i) => {
    for (let k = 0; k < perImage; k++) {
      const truth = scene.truths[k];
      if (truth && rand() < 0.85) {
        const dx = (rand() - 0.5) * truth.w * 0.2;
        const dy = (rand() - 0.5) * truth.h * 0.2;
        const x = Math.max(0, truth.x + dx);
        const y = Math.max(0, truth.y + dy);
        const cls = rand() < 0.9 ? truth.cls : Math.floor(rand() * CLASSES.length);
        rows.push({
          image_id: i + 1,
          category_id: cls + 1,
          bbox: [x, y, Math.min(truth.w, WIDTH - x), Math.min(truth.h, HEIGHT - y)],
          score: 0.3 + rand() * 0.7,
        });
      } else {
        const w = 10 + rand() * 100;
        const h = 10 + rand() * 100;
        rows.push({
          image_id: i + 1,
          category_id: 1 + Math.floor(rand() * CLASSES.length),
          bbox: [rand() * (WIDTH - w), rand() * (HEIGHT - h), w, h],
          score: rand() * 0.6,
        });
      }
    }
  });
  return rows;
}

async function seed(pool: pg.Pool, images: Scene[]) {
  const prisma = createPrisma(poolUrl);
  const dataset = await prisma.dataset.create({ data: { name: "bench-evaluate" } });
  const classIds: string[] = [];
  for (const name of CLASSES) {
    classIds.push((await prisma.defectClass.create({ data: { datasetId: dataset.id, name } })).id);
  }
  const version = await prisma.datasetVersion.create({
    data: {
      datasetId: dataset.id,
      number: 1,
      manifestKey: "bench",
      manifestSha256: "0",
      images: imageCount,
      boxes: 0,
    },
  });
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await copyRows(
      client,
      `COPY "Image" (id, "datasetId", sha256, "objectKey", "mimeType", width, height, bytes, filename, split, "updatedAt") FROM STDIN`,
      chunks(
        images,
        (s) =>
          `${s.id}\t${dataset.id}\t${s.id.replaceAll("-", "").padEnd(64, "0")}\tbench/${s.name}\timage/jpeg\t${WIDTH}\t${HEIGHT}\t1\t${s.name}\tTEST\tnow\n`,
      ),
    );
    await copyRows(
      client,
      `COPY "Annotation" (id, "imageId", "classId", x, y, width, height, source, "updatedAt") FROM STDIN`,
      chunks(
        images.flatMap((s) => s.truths.map((t) => ({ s, t }))),
        ({ s, t }) =>
          `${t.id}\t${s.id}\t${classIds[t.cls]}\t${t.x}\t${t.y}\t${t.w}\t${t.h}\tIMPORTED\tnow\n`,
      ),
    );
    await client.query("COMMIT");
  } finally {
    client.release();
  }
  await prisma.$disconnect();
  return { datasetId: dataset.id, versionId: version.id, classIds };
}

let poolUrl = "";

async function newRun(pool: pg.Pool, datasetId: string, versionId: string, name: string) {
  const id = uuidv7();
  await pool.query(
    `INSERT INTO "PredictionRun" (id, "datasetId", "versionId", split, name, source, format, "updatedAt")
     VALUES ($1, $2, $3, 'TEST', $4, 'IMPORT', 'COCO', now())`,
    [id, datasetId, versionId, name],
  );
  return id;
}

/** The same rows as the import writes, precomputed, in one COPY. */
async function rawCopy(
  pool: pg.Pool,
  runId: string,
  images: Scene[],
  rows: ReturnType<typeof results>,
  classIds: string[],
) {
  const lines = rows.map(
    (r) =>
      `${uuidv7()}\t${runId}\t${images[r.image_id - 1]!.id}\t${classIds[r.category_id - 1]}\t${r.bbox[0]}\t${r.bbox[1]}\t${r.bbox[2]}\t${r.bbox[3]}\t${r.score}\n`,
  );
  const client = await pool.connect();
  const started = performance.now();
  try {
    await client.query("BEGIN");
    await copyRows(
      client,
      PREDICTION_COPY_SQL,
      chunks(lines, (l) => l, 20_000),
    );
    await client.query("COMMIT");
  } finally {
    client.release();
  }
  return (performance.now() - started) / 1000;
}

/** One query per image joining its predictions and labels, then the same COCO evaluation. */
async function naiveEvaluation(pool: pg.Pool, runId: string, images: Scene[], classIds: string[]) {
  const classIndex = new Map(classIds.map((id, i) => [id, i]));
  const started = performance.now();
  const evaluated: EvaluationImage[] = [];
  for (const scene of images.slice(0, naiveImages)) {
    const { rows } = await pool.query(
      `SELECT p.id::text AS pid, p."classId"::text AS pc, p.x AS px, p.y AS py, p.width AS pw, p.height AS ph, p.score,
              a.id::text AS aid, a."classId"::text AS ac, a.x AS ax, a.y AS ay, a.width AS aw, a.height AS ah
       FROM "Prediction" p JOIN "Annotation" a ON a."imageId" = p."imageId"
       WHERE p."runId" = $1 AND p."imageId" = $2`,
      [runId, scene.id],
    );
    const truths = new Map<string, EvaluationImage["truths"][number]>();
    const predictions = new Map<string, EvaluationImage["predictions"][number]>();
    for (const r of rows) {
      truths.set(r.aid, {
        x: r.ax,
        y: r.ay,
        width: r.aw,
        height: r.ah,
        classIndex: classIndex.get(r.ac)!,
      });
      predictions.set(r.pid, {
        x: r.px,
        y: r.py,
        width: r.pw,
        height: r.ph,
        score: r.score,
        classIndex: classIndex.get(r.pc)!,
      });
    }
    evaluated.push({
      imageId: scene.id,
      truths: [...truths.values()],
      predictions: [...predictions.values()],
    });
  }
  const result = evaluateDetections(evaluated, { classCount: classIds.length });
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    perImageMs: (seconds * 1000) / Math.min(naiveImages, images.length),
    map50: result.map50,
  };
}

function replaceSection(file: string, section: string) {
  const current = readFileSync(file, "utf8");
  const lines = current.split("\n");
  const start = lines.findIndex((l) => l.trim() === SECTION_TITLE);
  if (start === -1)
    return writeFileSync(file, current.replace(/\n*$/, "\n\n") + section.replace(/\n*$/, "\n"));
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end === -1) end = lines.length;
  const next = [
    ...lines.slice(0, start),
    ...section.replace(/\n*$/, "").split("\n"),
    "",
    ...lines.slice(end),
  ];
  writeFileSync(file, next.join("\n").replace(/\n*$/, "\n"));
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const sec = (s: number) => `${s.toFixed(2)} s`;

async function main() {
  const load = os.loadavg()[0]!.toFixed(2);
  poolUrl = await freshDatabase();
  log(`database ${DATABASE} migrated`);
  const pool = createPool(poolUrl);
  const rand = prng(7);
  const images = scenes(rand);
  const rows = results(rand, images);
  const { datasetId, versionId, classIds } = await seed(pool, images);
  const truths = images.reduce((n, s) => n + s.truths.length, 0);
  log(
    `seeded ${int(images.length)} test images with ${int(truths)} labels; ${int(rows.length)} predictions to import`,
  );

  const dir = await mkdtemp(path.join(os.tmpdir(), "gridfill-bench-evaluate-"));
  try {
    await writeFile(
      path.join(dir, "instances_test.json"),
      JSON.stringify({
        images: images.map((s, i) => ({
          id: i + 1,
          file_name: s.name,
          width: WIDTH,
          height: HEIGHT,
        })),
        categories: CLASSES.map((name, i) => ({ id: i + 1, name })),
      }),
    );
    await writeFile(path.join(dir, "results.json"), JSON.stringify(rows));
    const fileMB = (await stat(path.join(dir, "results.json"))).size / 1024 ** 2;

    const copyRun = await newRun(pool, datasetId, versionId, "raw copy");
    const copySeconds = await rawCopy(pool, copyRun, images, rows, classIds);
    log(`raw COPY: ${sec(copySeconds)} (${int(rows.length / copySeconds)} rows/s)`);

    const runId = await newRun(pool, datasetId, versionId, "imported");
    const prisma = createPrisma(poolUrl);
    const started = performance.now();
    const file = await readPredictions(openFolder(dir), "COCO");
    const readSeconds = (performance.now() - started) / 1000;
    const summary = await importPredictionTable(
      { prisma, pool },
      { id: runId, datasetId, split: "TEST" },
      file.table,
      {
        fileErrors: file.errors,
      },
    );
    const importSeconds = (performance.now() - started) / 1000;
    if (summary.status !== "SUCCEEDED")
      throw new Error(`import refused: ${JSON.stringify(summary.errors.slice(0, 3))}`);
    log(
      `import: ${sec(importSeconds)} (read ${sec(readSeconds)}), ${int(summary.predictions / importSeconds)} predictions/s`,
    );

    // The raw-COPY run is gone before evaluating, so both evaluations read one run of 1M rows.
    await pool.query(`DELETE FROM "PredictionRun" WHERE id = $1`, [copyRun]);
    await pool.query(`VACUUM ANALYZE "Prediction"`);
    await pool.query(`ANALYZE "Annotation"`);

    const evalStarted = performance.now();
    const evaluation = await evaluateRun({ prisma, pool }, runId, { iou: 0.5, confidence: 0.5 });
    const evalSeconds = (performance.now() - evalStarted) / 1000;
    log(
      `evaluateRun: ${sec(evalSeconds)}, mAP50 ${evaluation.map50?.toFixed(4)}, mAP ${evaluation.map?.toFixed(4)}`,
    );

    const naive = await naiveEvaluation(pool, runId, images, classIds);
    const naiveFullSeconds = (naive.perImageMs * images.length) / 1000;
    log(
      `naive per-image join: ${sec(naive.seconds)} over ${int(Math.min(naiveImages, images.length))} images`,
    );
    await prisma.$disconnect();
    await pool.end();

    const predictionsPerS = summary.predictions / importSeconds;
    const copyPerS = rows.length / copySeconds;
    const share = predictionsPerS / copyPerS;
    const speedup = naiveFullSeconds / evalSeconds;
    const section = [
      SECTION_TITLE,
      "",
      "A prediction run of COCO results JSON imported through `readPredictions` (`packages/formats`) and `importPredictionTable` (`packages/core/src/predictions/import.ts`: every row resolved to an image and class and checked, then all written by one COPY in one transaction with the run's state), against a raw `COPY` of the same precomputed rows into the same table in the same run; then `evaluateRun` (two ordered scans, labels and predictions, and the pure COCO evaluation of `evaluation.ts`) against a naive evaluation that runs one SQL join of predictions and labels per image, then the same evaluation.",
      "",
      `- Date: ${new Date().toISOString().slice(0, 10)}`,
      `- Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}; 1-minute load average ${load} at the start, ${os.loadavg()[0]!.toFixed(2)} at the end (shared machine: numbers are noisy)`,
      `- Command: \`node --import tsx bench/evaluate/run.ts${process.argv.slice(2).length ? " " + process.argv.slice(2).join(" ") : ""}\``,
      `- Data: ${int(images.length)} test images, ${int(truths)} labels, ${int(rows.length)} predictions (${perImage} per image, ${CLASSES.length} classes) in a ${fileMB.toFixed(1)} MB results JSON; database \`${DATABASE}\`, freshly created and migrated`,
      "",
      "| step | rows | wall | rows/s |",
      "| --- | ---: | ---: | ---: |",
      `| import: read and parse the files | ${int(rows.length)} | ${sec(readSeconds)} | ${int(rows.length / readSeconds)} |`,
      `| import: read, resolve, check and COPY (end to end) | ${int(summary.predictions)} | ${sec(importSeconds)} | ${int(predictionsPerS)} |`,
      `| raw COPY of the same rows | ${int(rows.length)} | ${sec(copySeconds)} | ${int(copyPerS)} |`,
      `| evaluateRun (AP50:95, P/R/F1, curves, confusion) | ${int(summary.predictions)} | ${sec(evalSeconds)} | ${int(summary.predictions / evalSeconds)} |`,
      `| naive: one join per image, then the same evaluation${naiveImages < images.length ? ` (${int(naiveImages)} images, scaled to all)` : ""} | ${int(summary.predictions)} | ${sec(naiveFullSeconds)} | ${int(summary.predictions / naiveFullSeconds)} |`,
      "",
      `- Target import ≥ ${int(TARGET_PREDICTIONS_PER_S)} predictions/s: ${predictionsPerS >= TARGET_PREDICTIONS_PER_S ? "met" : "**missed**"} (${int(predictionsPerS)}).`,
      `- Target import ≥ 1/3 of raw COPY: ${share >= TARGET_SHARE_OF_COPY ? "met" : "**missed**"} (${(share * 100).toFixed(0)}%).`,
      `- Target evaluation of the run ≤ ${TARGET_EVALUATION_S} s: ${evalSeconds <= TARGET_EVALUATION_S ? "met" : "**missed**"} (${sec(evalSeconds)}).`,
      `- Target evaluation ≥ ${TARGET_SPEEDUP}× faster than the naive per-image join: ${speedup >= TARGET_SPEEDUP ? "met" : "**missed**"} (${speedup.toFixed(1)}×; ${naive.perImageMs.toFixed(2)} ms per image naive).`,
      `- Both evaluations agree: mAP50 ${evaluation.map50?.toFixed(4)} (evaluateRun)${naiveImages >= images.length ? ` and ${naive.map50?.toFixed(4)} (naive)` : ""}; mAP50:95 ${evaluation.map?.toFixed(4)}.`,
    ].join("\n");
    console.log("\n" + section);
    const writeDocs = args.docs || (!args["no-docs"] && imageCount >= FULL_IMAGES);
    if (writeDocs) {
      replaceSection(path.resolve(import.meta.dirname, "../../docs/benchmarks.md"), section);
      log("docs/benchmarks.md updated");
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
