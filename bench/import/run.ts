// Import benchmark: metadata-mode import of a generated COCO file, against a raw COPY baseline
// measured in the same run, plus the real import path on the CPLID sample.
//
//   node --import tsx bench/import/run.ts [--images 100000] [--boxes-per-image 5] [--small 20000]
//                                         [--batch 5000] [--heap-mib 256] [--no-cplid] [--docs|--no-docs]
//
// 1. A fresh database (gridfill_bench_import, migrated with applyMigrations).
// 2. Metadata import of a generated COCO instances file (deterministic), in a child process so
//    that its peak RSS (sampled every 50 ms) is the import's alone; then the same for --small
//    images, to show whether peak memory grows with the dataset. Both children run under the same
//    V8 old-space cap (--heap-mib).
// 3. Baseline: the same rows (Image, Annotation, ImageClass, ClassCounter, precomputed) loaded with
//    plain COPY into a fresh dataset of the same tables.
// 4. Checks: row counts, and counters and ImageClass equal to a full recount.
// 5. CPLID sample through the import job's own code (importRecords: image bytes read, hashed,
//    checked and uploaded to an embedded S3), when /work/shared/datasets/cplid-sample exists.
// Writes the "Import" section of docs/benchmarks.md on full-size runs.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { applyMigrations, createPool, createPrisma } from "@gridfill/db";
import { imageKey, Storage, startEmbeddedS3, storageConfigFromEnv } from "@gridfill/storage";
import { loadConfig } from "@gridfill/config";
import { openFolder, readCoco, readVoc, type FileTree } from "@gridfill/formats";
import { importMetadata, type StoredObject } from "@gridfill/core/imports/metadata.ts";
import { importRecords } from "@gridfill/core/imports/job.ts";
import {
  readCounters,
  recomputeCounters,
  recomputeImageClasses,
} from "@gridfill/core/balance/counters.ts";
import { uuidv7 } from "@gridfill/core/ids.ts";
import { silentLogger } from "@gridfill/core/log.ts";

const DATABASE = "gridfill_bench_import";
const FULL_SIZE = 100_000;
const TARGET_BOXES_PER_S = 20_000;
const TARGET_SHARE_OF_COPY = 1 / 3;
const SECTION_TITLE = "## Import";
const CPLID = "/work/shared/datasets/cplid-sample";
const CLASSES = [
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
const WIDTH = 1920;
const HEIGHT = 1080;
const SAMPLE_MS = 50;

const { values: args } = parseArgs({
  options: {
    images: { type: "string", default: String(FULL_SIZE) },
    "boxes-per-image": { type: "string", default: "5" },
    small: { type: "string", default: "20000" },
    "heap-mib": { type: "string", default: "256" },
    batch: { type: "string", default: "5000" },
    docs: { type: "boolean" },
    "no-docs": { type: "boolean", default: false },
    "no-cplid": { type: "boolean", default: false },
    child: { type: "boolean", default: false },
    "database-url": { type: "string" },
    "dataset-name": { type: "string" },
  },
});
const imageCount = Number(args.images);
const boxesPerImage = Number(args["boxes-per-image"]);
const smallCount = Number(args.small);
const batchSize = Number(args.batch);
const heapMiB = Number(args["heap-mib"]);
if (!Number.isInteger(imageCount) || imageCount < 100) throw new Error("--images must be ≥ 100");
if (!Number.isInteger(boxesPerImage) || boxesPerImage < 1) throw new Error("--boxes-per-image ≥ 1");
const writeDocs = args["no-docs"] ? false : (args.docs ?? imageCount >= FULL_SIZE);
const adminUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const repoRoot = path.resolve(import.meta.dirname, "../..");
const log = (line: string) => console.log(line);

const fileName = (i: number) => `${String(i).padStart(8, "0")}.jpg`;
/** The box b of image i (1-based), the same in the COCO file and in the baseline rows. */
function boxOf(i: number, b: number) {
  return {
    classIndex: (i + b) % CLASSES.length,
    x: ((i * 37 + b * 101) % 1700) + 0.5,
    y: (i * 53 + b * 71) % 900,
    width: 20 + ((i + b) % 180),
    height: 20 + ((i * 3 + b) % 160) + 0.25,
  };
}
/** A stand-in for the bytes' SHA-256: derived from the file name, so objects are stable. */
const fakeSha = (name: string) => createHash("sha256").update(`bench-object/${name}`).digest("hex");
const fakeBytes = (i: number) => 150_000 + ((i * 7919) % 350_000);

async function generateCoco(file: string, images: number): Promise<void> {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  await write('{"info":{"description":"gridfill import bench"},"licenses":[],"images":[');
  for (let i = 1; i <= images; i++)
    await write(
      `${i > 1 ? "," : ""}\n{"id":${i},"file_name":"${fileName(i)}","width":${WIDTH},"height":${HEIGHT}}`,
    );
  await write('],"annotations":[');
  let id = 0;
  for (let i = 1; i <= images; i++) {
    for (let b = 0; b < boxesPerImage; b++) {
      const box = boxOf(i, b);
      await write(
        `${id ? "," : ""}\n{"id":${++id},"image_id":${i},"category_id":${box.classIndex + 1},"bbox":[${box.x},${box.y},${box.width},${box.height}],"area":${box.width * box.height},"iscrowd":0}`,
      );
    }
  }
  await write(
    `],"categories":${JSON.stringify(CLASSES.map((name, i) => ({ id: i + 1, name })))}}\n`,
  );
  out.end();
  await once(out, "close");
}

interface ImportRun {
  images: number;
  boxes: number;
  wallMs: number;
  rssBeforeMiB: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  imagesAdded: number;
  boxesAdded: number;
  errors: number;
  batches: number;
  datasetId: string;
  jsonMB: number;
  timings: Record<string, number>;
}

const mib = (n: number) => n / 2 ** 20;

// ───────────────────────── child: one metadata import, measured ─────────────────────────

async function child(): Promise<void> {
  const url = args["database-url"]!;
  const pool = createPool(url, { max: 2 });
  const prisma = createPrisma(url, { poolSize: 2 });
  const dir = await mkdtemp(path.join(os.tmpdir(), "gridfill-import-bench-"));
  try {
    const file = path.join(dir, "instances_train.json");
    await generateCoco(file, imageCount);
    const jsonMB = (await stat(file)).size / 1e6;
    const dataset = await prisma.dataset.create({ data: { name: args["dataset-name"]! } });
    // Image files are not written: the tree lists them, sizes come from the JSON, and metadata
    // mode never opens them.
    const folder = openFolder(dir);
    const tree: FileTree = {
      ...folder,
      listFiles: async () => [
        "instances_train.json",
        ...Array.from({ length: imageCount }, (_, k) => `images/${fileName(k + 1)}`),
      ],
    };
    const objects = (relPath: string): StoredObject => {
      const name = path.posix.basename(relPath);
      const sha256 = fakeSha(name);
      return {
        key: imageKey(sha256, "jpg"),
        sha256,
        bytes: fakeBytes(Number(name.slice(0, 8))),
        width: WIDTH,
        height: HEIGHT,
        mimeType: "image/jpeg",
      };
    };
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let heapPeak = 0;
    const sample = () => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss);
      heapPeak = Math.max(heapPeak, m.heapUsed + m.arrayBuffers);
    };
    const sampler = setInterval(sample, SAMPLE_MS);
    const started = performance.now();
    const result = await importMetadata(
      { pool, prisma },
      { datasetId: dataset.id, source: readCoco(tree), objects, batchSize },
    );
    const wallMs = performance.now() - started;
    clearInterval(sampler);
    sample();
    const run: ImportRun = {
      images: imageCount,
      boxes: imageCount * boxesPerImage,
      wallMs,
      rssBeforeMiB: mib(before),
      peakRssMiB: mib(peak),
      peakHeapMiB: mib(heapPeak),
      imagesAdded: result.imagesAdded,
      boxesAdded: result.boxesAdded,
      errors: result.errorCount,
      batches: result.batches,
      datasetId: dataset.id,
      jsonMB,
      timings: result.timings,
    };
    process.stdout.write(`RESULT ${JSON.stringify(run)}\n`);
  } finally {
    await prisma.$disconnect();
    await pool.end();
    await rm(dir, { recursive: true, force: true });
  }
}

async function runChild(url: string, images: number, name: string): Promise<ImportRun> {
  const proc = spawn(
    process.execPath,
    [
      "--expose-gc",
      // The same old-space cap at both sizes: an import whose memory grew with the dataset would
      // fail (or crawl in garbage collection) at the big one.
      `--max-old-space-size=${heapMiB}`,
      "--import",
      "tsx",
      import.meta.filename,
      "--child",
      "--images",
      String(images),
      "--boxes-per-image",
      String(boxesPerImage),
      "--batch",
      String(batchSize),
      "--database-url",
      url,
      "--dataset-name",
      name,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const [code] = (await once(proc, "exit")) as [number | null];
  const line = out.split("\n").find((l) => l.startsWith("RESULT "));
  if (code !== 0 || !line) throw new Error(`import child exited with ${code}: ${out}`);
  return JSON.parse(line.slice("RESULT ".length)) as ImportRun;
}

// ───────────────────────── baseline: raw COPY of precomputed rows ─────────────────────────

interface CopyRun {
  wallMs: number;
  tables: { table: string; rows: number; ms: number }[];
  datasetId: string;
}

/** Lines in chunks, so the baseline does not build one huge string either. */
function linesOf(count: number, line: (k: number) => string): Readable {
  return Readable.from(
    (function* () {
      let chunk = "";
      for (let k = 0; k < count; k++) {
        chunk += line(k);
        if (chunk.length > 1 << 16) {
          yield chunk;
          chunk = "";
        }
      }
      if (chunk) yield chunk;
    })(),
  );
}

async function rawCopy(db: pg.Client, classIds: string[], datasetId: string): Promise<CopyRun> {
  // Precomputed outside the timing: ids, and per-image class counts for ImageClass/ClassCounter.
  const imageIds = Array.from({ length: imageCount }, () => uuidv7());
  const tables: CopyRun["tables"] = [];
  const counters = new Map<number, { images: number; boxes: number }>();
  const perImage: { image: number; cls: number; n: number }[] = [];
  for (let i = 1; i <= imageCount; i++) {
    const n = new Map<number, number>();
    for (let b = 0; b < boxesPerImage; b++) {
      const c = boxOf(i, b).classIndex;
      n.set(c, (n.get(c) ?? 0) + 1);
    }
    for (const [cls, count] of n) {
      perImage.push({ image: i, cls, n: count });
      const acc = counters.get(cls) ?? { images: 0, boxes: 0 };
      acc.images += 1;
      acc.boxes += count;
      counters.set(cls, acc);
    }
  }
  const boxIds = Array.from({ length: imageCount * boxesPerImage }, () => uuidv7());
  const counterRows = [...counters];
  const copy = async (table: string, sql: string, rows: number, src: Readable) => {
    const t0 = performance.now();
    await pipeline(src, db.query(copyFrom(sql)));
    tables.push({ table, rows, ms: performance.now() - t0 });
  };
  const started = performance.now();
  await db.query("BEGIN");
  await copy(
    "Image",
    `COPY "Image" (id, "datasetId", sha256, "objectKey", "mimeType", width, height, bytes, filename, split, origin, "reviewState", "updatedAt") FROM STDIN`,
    imageCount,
    linesOf(imageCount, (k) => {
      const name = fileName(k + 1);
      const sha = fakeSha(name);
      return `${imageIds[k]}\t${datasetId}\t${sha}\t${imageKey(sha, "jpg")}\timage/jpeg\t${WIDTH}\t${HEIGHT}\t${fakeBytes(k + 1)}\t${name}\tTRAIN\tREAL\tNONE\tnow\n`;
    }),
  );
  await copy(
    "Annotation",
    `COPY "Annotation" (id, "imageId", "classId", x, y, width, height, source, "updatedAt") FROM STDIN`,
    boxIds.length,
    linesOf(boxIds.length, (k) => {
      const i = Math.floor(k / boxesPerImage) + 1;
      const box = boxOf(i, k % boxesPerImage);
      return `${boxIds[k]}\t${imageIds[i - 1]}\t${classIds[box.classIndex]}\t${box.x}\t${box.y}\t${box.width}\t${box.height}\tIMPORTED\tnow\n`;
    }),
  );
  await copy(
    "ImageClass",
    `COPY "ImageClass" ("imageId", "classId", "datasetId", split, origin, "reviewState", boxes) FROM STDIN`,
    perImage.length,
    linesOf(perImage.length, (k) => {
      const r = perImage[k]!;
      return `${imageIds[r.image - 1]}\t${classIds[r.cls]}\t${datasetId}\tTRAIN\tREAL\tNONE\t${r.n}\n`;
    }),
  );
  await copy(
    "ClassCounter",
    `COPY "ClassCounter" ("datasetId", "classId", split, origin, "reviewState", images, boxes) FROM STDIN`,
    counterRows.length,
    linesOf(counterRows.length, (k) => {
      const [cls, c] = counterRows[k]!;
      return `${datasetId}\t${classIds[cls]}\tTRAIN\tREAL\tNONE\t${c.images}\t${c.boxes}\n`;
    }),
  );
  await db.query("COMMIT");
  return { wallMs: performance.now() - started, tables, datasetId };
}

// ───────────────────────── CPLID through the real import path ─────────────────────────

interface CplidRun {
  images: number;
  boxes: Record<string, number>;
  dbImages: number;
  wallMs: number;
  errors: number;
  countersOk: boolean;
}

async function cplid(url: string): Promise<CplidRun | null> {
  if (args["no-cplid"] || !existsSync(CPLID)) return null;
  const dir = await mkdtemp(path.join(os.tmpdir(), "gridfill-import-bench-s3-"));
  const s3 = await startEmbeddedS3({ directory: dir });
  const prisma = createPrisma(url, { poolSize: 4 });
  try {
    const storage = new Storage(
      storageConfigFromEnv({
        S3_ENDPOINT: s3.endpoint,
        S3_ACCESS_KEY: s3.accessKey,
        S3_SECRET_KEY: s3.secretKey,
      }),
    );
    await storage.ensureBuckets();
    const config = loadConfig({ GRIDFILL_LOG_LEVEL: "warn" });
    const dataset = await prisma.dataset.create({ data: { name: "cplid-sample" } });
    const source = readVoc(CPLID);
    const started = performance.now();
    const result = await importRecords({ prisma, storage, config, log: silentLogger }, source, {
      datasetId: dataset.id,
      actor: null,
    });
    const wallMs = performance.now() - started;
    await source.close();
    const dbImages = await prisma.image.count({ where: { datasetId: dataset.id } });
    const countersOk =
      JSON.stringify(await readCounters(prisma, dataset.id)) ===
      JSON.stringify(await recomputeCounters(prisma, dataset.id));
    return {
      images: result.imagesAdded,
      boxes: result.boxesAdded,
      dbImages,
      wallMs,
      errors: result.errorCount,
      countersOk,
    };
  } finally {
    await prisma.$disconnect();
    await s3.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

// ───────────────────────── report ─────────────────────────

function commandLine(): string {
  const nice = os.getPriority();
  const argv = process.argv.slice(2).join(" ");
  return `${nice > 0 ? `nice -n ${nice} ` : ""}node --import tsx bench/import/run.ts${argv ? " " + argv : ""}`;
}

function writeSection(file: string, section: string): void {
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const lines = current.split("\n");
  const start = lines.findIndex((l) => l.trim() === SECTION_TITLE);
  let next: string;
  if (start === -1) next = current.replace(/\n*$/, "\n\n") + section;
  else {
    let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
    if (end === -1) end = lines.length;
    const before = lines.slice(0, start).join("\n");
    const after = lines.slice(end).join("\n");
    next = (before ? before.replace(/\n*$/, "\n\n") : "") + section + (after ? "\n" + after : "");
  }
  writeFileSync(file, next.replace(/\n*$/, "\n"));
}

const stepsOf = (run: ImportRun) =>
  Object.entries(run.timings)
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
    .join(", ");
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const sec = (msValue: number) => (msValue / 1000).toFixed(1) + " s";

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0]!.toFixed(1);
  log(`1-minute load average at the start: ${loadAtStart} (${os.cpus().length} cores)`);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${DATABASE}"`);
  const { rows: ver } = await admin.query<{ server_version: string }>("SHOW server_version");
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = "/" + DATABASE;
  const url = u.toString();
  await applyMigrations(url);
  log(`database ${DATABASE} migrated`);

  log(
    `metadata import: ${int(imageCount)} images, ${int(imageCount * boxesPerImage)} boxes, batches of ${batchSize}…`,
  );
  const full = await runChild(url, imageCount, "bench-import-full");
  log(
    `  ${sec(full.wallMs)}, peak RSS ${full.peakRssMiB.toFixed(0)} MiB (heap ${full.peakHeapMiB.toFixed(0)} MiB), steps ${stepsOf(full)}`,
  );

  const db = new pg.Client({ connectionString: url });
  await db.connect();
  // The baseline needs the same classes; a dataset of its own keeps its rows apart.
  const {
    rows: [base],
  } = await db.query<{ id: string }>(
    `INSERT INTO "Dataset" (id, name, "updatedAt") VALUES ($1, 'bench-import-copy', now()) RETURNING id::text AS id`,
    [uuidv7()],
  );
  const baseClassIds: string[] = [];
  for (const name of CLASSES) {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO "DefectClass" (id, "datasetId", name) VALUES ($1, $2, $3) RETURNING id::text AS id`,
      [uuidv7(), base!.id, name],
    );
    baseClassIds.push(rows[0]!.id);
  }
  log("baseline: raw COPY of the same rows…");
  const copy = await rawCopy(db, baseClassIds, base!.id);
  log(`  ${sec(copy.wallMs)}`);

  log(`metadata import: ${int(smallCount)} images (peak RSS comparison)…`);
  const small = await runChild(url, smallCount, "bench-import-small");
  log(
    `  ${sec(small.wallMs)}, peak RSS ${small.peakRssMiB.toFixed(0)} MiB (heap ${small.peakHeapMiB.toFixed(0)} MiB), steps ${stepsOf(small)}`,
  );

  const prisma = createPrisma(url, { poolSize: 2 });
  const check = async (datasetId: string) => {
    const {
      rows: [c],
    } = await db.query<{ images: number; boxes: number }>(
      `SELECT (SELECT count(*)::int FROM "Image" WHERE "datasetId" = $1) AS images,
              (SELECT count(*)::int FROM "Annotation" a JOIN "Image" i ON i.id = a."imageId" WHERE i."datasetId" = $1) AS boxes`,
      [datasetId],
    );
    const countersOk =
      JSON.stringify(await readCounters(prisma, datasetId)) ===
      JSON.stringify(await recomputeCounters(prisma, datasetId));
    const ic = await recomputeImageClasses(prisma, datasetId);
    const imageClassesOk = JSON.stringify(ic.actual) === JSON.stringify(ic.expected);
    return { images: c!.images, boxes: c!.boxes, countersOk, imageClassesOk };
  };
  const fullCheck = await check(full.datasetId);
  const copyCheck = await check(copy.datasetId);
  await prisma.$disconnect();
  const machine = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? "unknown CPU",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: ver[0]!.server_version.split(" ")[0]!,
    load: os.loadavg()[0]!.toFixed(1),
  };
  await db.end();

  log("CPLID sample through the import job's path…");
  const real = await cplid(url);
  log(real ? `  ${sec(real.wallMs)}` : `  skipped: ${CPLID} is absent`);

  // ── numbers ──
  const boxes = imageCount * boxesPerImage;
  const importBoxesPerS = full.boxesAdded / (full.wallMs / 1000);
  const importImagesPerS = full.imagesAdded / (full.wallMs / 1000);
  const copyBoxesPerS = boxes / (copy.wallMs / 1000);
  const share = importBoxesPerS / copyBoxesPerS;
  const smallBoxesPerS = small.boxesAdded / (small.wallMs / 1000);
  const rssGrowth = full.peakRssMiB - small.peakRssMiB;
  const correct =
    fullCheck.images === imageCount &&
    fullCheck.boxes === boxes &&
    fullCheck.countersOk &&
    fullCheck.imageClassesOk &&
    full.errors === 0 &&
    copyCheck.countersOk;
  const metRate = importBoxesPerS >= TARGET_BOXES_PER_S;
  const metShare = share >= TARGET_SHARE_OF_COPY;
  const cplidOk = real
    ? real.dbImages === 220 &&
      real.boxes.insulator === 283 &&
      real.boxes.defect === 160 &&
      real.countersOk
    : null;

  const table = [
    ["run", "images", "boxes", "wall", "images/s", "boxes/s", "peak RSS"],
    [
      "metadata import",
      int(full.imagesAdded),
      int(full.boxesAdded),
      sec(full.wallMs),
      int(importImagesPerS),
      int(importBoxesPerS),
      `${full.peakRssMiB.toFixed(0)} MiB`,
    ],
    [
      "metadata import (small)",
      int(small.imagesAdded),
      int(small.boxesAdded),
      sec(small.wallMs),
      int(small.imagesAdded / (small.wallMs / 1000)),
      int(smallBoxesPerS),
      `${small.peakRssMiB.toFixed(0)} MiB`,
    ],
    [
      "raw COPY baseline",
      int(imageCount),
      int(boxes),
      sec(copy.wallMs),
      int(imageCount / (copy.wallMs / 1000)),
      int(copyBoxesPerS),
      "—",
    ],
    ...(real
      ? [
          [
            "CPLID, import job path",
            int(real.dbImages),
            int((real.boxes.insulator ?? 0) + (real.boxes.defect ?? 0)),
            sec(real.wallMs),
            (real.dbImages / (real.wallMs / 1000)).toFixed(1),
            "—",
            "—",
          ],
        ]
      : []),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  log("\n" + table.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ")).join("\n"));
  log(
    `metadata import = ${(share * 100).toFixed(0)}% of raw COPY's box rate; peak RSS ${full.peakRssMiB.toFixed(0)} MiB at ${int(imageCount)} images vs ${small.peakRssMiB.toFixed(0)} MiB at ${int(smallCount)}`,
  );
  log(`checks: ${JSON.stringify({ full: fullCheck, copy: copyCheck, cplid: real })}`);

  const md: string[] = [];
  md.push(SECTION_TITLE, "");
  md.push(
    `Metadata-mode import (\`importMetadata\` in \`packages/core/src/imports/metadata.ts\`: images whose objects are already in storage; per batch of ${int(batchSize)} records one transaction, COPY into temporary staging tables, then set-based inserts into Image, Annotation, ImageClass and ClassCounter, without JIT; two batches are written at once on two connections while the next is read) of a generated COCO file, against a raw \`COPY\` of the same precomputed rows into the same tables (one COPY stream per table, in one transaction), in the same run. Peak RSS is sampled every ${SAMPLE_MS} ms in a child process that runs only the import.`,
    "",
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    `- Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, PostgreSQL ${machine.postgres} (same host); 1-minute load average ${loadAtStart} at the start, ${machine.load} at the end (shared machine: numbers are noisy)`,
    `- Command: \`${commandLine()}\``,
    `- Data: ${int(imageCount)} images, ${int(boxes)} boxes (${boxesPerImage} per image, ${CLASSES.length} classes), COCO instances JSON of ${full.jsonMB.toFixed(1)} MB; database \`${DATABASE}\`, freshly created and migrated`,
    "",
    "| run | images | boxes | wall | images/s | boxes/s | peak RSS |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...table.slice(1).map((r) => `| ${r.join(" | ")} |`),
    "",
    `- Target ≥ ${int(TARGET_BOXES_PER_S)} boxes/s: ${metRate ? "met" : "**missed**"} (${int(importBoxesPerS)}).`,
    `- Target ≥ 1/3 of raw COPY's box rate: ${metShare ? "met" : "**missed**"} (${(share * 100).toFixed(0)}%; COPY ${int(copyBoxesPerS)} boxes/s: ${copy.tables.map((t) => `${t.table} ${sec(t.ms)}`).join(", ")}).`,
    `- Peak RSS: ${full.peakRssMiB.toFixed(0)} MiB at ${int(imageCount)} images, ${small.peakRssMiB.toFixed(0)} MiB at ${int(smallCount)} (${rssGrowth >= 0 ? "+" : ""}${rssGrowth.toFixed(0)} MiB for ${int(imageCount - smallCount)} more images; RSS before the import ${full.rssBeforeMiB.toFixed(0)} / ${small.rssBeforeMiB.toFixed(0)} MiB; peak V8 heap ${full.peakHeapMiB.toFixed(0)} / ${small.peakHeapMiB.toFixed(0)} MiB, garbage included), both children under the same ${heapMiB} MiB old-space cap. The writer holds three batches (one read, two written); the COCO reader holds at most 100,000 rows and partitions the rest on disk by image id. What still grows is the tree's list of file names (about 0.3 KiB per image with its lookup index).`,
    `- Checks: ${fullCheck.images === imageCount && fullCheck.boxes === boxes ? "row counts right" : "**row counts wrong**"}; ClassCounter ${fullCheck.countersOk ? "equals" : "**differs from**"} the recount and ImageClass ${fullCheck.imageClassesOk ? "equals" : "**differs from**"} its recount; ${full.errors} import errors; baseline counters ${copyCheck.countersOk ? "equal" : "**differ from**"} the recount.`,
    real
      ? `- CPLID sample (\`${CPLID}\`, VOC folder) through the import job's \`importRecords\` (bytes read, hashed, checked, uploaded to an embedded S3, one transaction per image): ${int(real.dbImages)} images, ${real.boxes.insulator ?? 0} insulator / ${real.boxes.defect ?? 0} defect boxes in ${sec(real.wallMs)} (${(real.dbImages / (real.wallMs / 1000)).toFixed(1)} images/s); ${cplidOk ? "matches the expected 220 / 283 / 160, counters equal the recount" : "**does not match the expected 220 / 283 / 160 or the recount**"}.`
      : `- CPLID sample: skipped, \`${CPLID}\` is absent on this machine.`,
    "",
  );
  if (writeDocs) {
    writeSection(path.join(repoRoot, "docs/benchmarks.md"), md.join("\n"));
    log("\nWrote docs/benchmarks.md (section “Import”).");
  } else log("\n(docs/benchmarks.md left as it is: smoke run; --docs writes it anyway)");
  if (!correct || (real && !cplidOk)) {
    process.exitCode = 1;
    log("CHECKS FAILED");
  }
}

if (args.child) await child();
else await main();
