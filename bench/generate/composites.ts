// Composite fills, looked at and timed: the demo dataset (procedural scenes with defect-free clean
// hosts) and the CPLID sample (real UAV photographs; `defect` on host class `insulator`) in a
// throwaway platform; 32 composites of each method in each, timed through the fill job (worker
// code, database, object storage; the queue's pick-up latency is left out) against the same
// samples made in-process again (inference + compositing, warm caches, nothing stored), and a contact sheet per (dataset, method): each tile the region
// around the new box (three times its size), the box outlined.
//
//   node --import tsx bench/generate/composites.ts --cplid /work/shared/datasets/cplid-sample \
//        --out /tmp/composites [--count 32] [--seed 1]
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { loadConfig } from "@gridfill/config";
import { createTestDatabase, type PrismaClient } from "@gridfill/db";
import { startEmbeddedS3, Storage, storageConfigFromEnv } from "@gridfill/storage";
import { addImageFromBuffer, createLogger, requestFill } from "@gridfill/core";
import { runFillJob, ModelCache } from "@gridfill/worker";
import { seedDemo } from "../../apps/cli/src/demo-seed.ts";
import { sampleMaker, type RequestRow } from "../../apps/worker/src/fills/job.ts";
import { referenceBoxes } from "../../apps/worker/src/fills/sampling.ts";
import { compositeContext } from "../../apps/worker/src/fills/composite.ts";

const { values: args } = parseArgs({
  options: {
    cplid: { type: "string" },
    out: { type: "string", default: path.join(os.tmpdir(), "gridfill-composites") },
    count: { type: "string", default: "32" },
    seed: { type: "string", default: "1" },
  },
});
const count = Number(args.count);
const out = args.out!;
const log = (line: string) => process.stdout.write(`${line}\n`);

type Box = { x: number; y: number; width: number; height: number };

/** The objects of one Pascal VOC file (enough of VOC for the CPLID sample). */
function vocObjects(file: string): { name: string; box: Box }[] {
  const xml = readFileSync(file, "utf8");
  return [...xml.matchAll(/<object>([\s\S]*?)<\/object>/g)].map((m) => {
    const tag = (t: string) => Number(new RegExp(`<${t}>\\s*([^<]+?)\\s*</${t}>`).exec(m[1]!)?.[1]);
    const xmin = tag("xmin"),
      ymin = tag("ymin");
    return {
      name: /<name>([^<]*)<\/name>/.exec(m[1]!)![1]!.trim(),
      box: { x: xmin, y: ymin, width: tag("xmax") - xmin, height: tag("ymax") - ymin },
    };
  });
}

async function importCplid(deps: Parameters<typeof addImageFromBuffer>[0], root: string) {
  const { prisma } = deps;
  const dataset = await prisma.dataset.create({
    data: { name: "cplid-sample", syntheticShareCap: 0.9 },
  });
  const insulator = await prisma.defectClass.create({
    data: { datasetId: dataset.id, name: "insulator", isHostObject: true, assetType: "INSULATOR" },
  });
  const defect = await prisma.defectClass.create({
    data: {
      datasetId: dataset.id,
      name: "defect",
      hostClassId: insulator.id,
      assetType: "INSULATOR",
    },
  });
  const add = async (file: string, labels: string[], split: "TRAIN" | "VAL") => {
    const objects = labels.filter(existsSync).flatMap(vocObjects);
    await addImageFromBuffer(deps, {
      datasetId: dataset.id,
      buffer: readFileSync(file),
      filename: path.basename(file),
      split,
      annotations: objects.map((o) => ({ className: o.name, box: o.box })),
      actor: null,
    });
  };
  const defective = path.join(root, "Defective_Insulators");
  const names = readdirSync(path.join(defective, "images")).sort();
  for (const [i, name] of names.entries()) {
    const stem = name.replace(/\.jpg$/i, "");
    await add(
      path.join(defective, "images", name),
      ["defect", "insulator"].map((d) => path.join(defective, "labels", d, `${stem}.xml`)),
      i % 5 === 4 ? "VAL" : "TRAIN",
    );
  }
  const normal = path.join(root, "Normal_Insulators");
  for (const name of readdirSync(path.join(normal, "images")).sort())
    await add(
      path.join(normal, "images", name),
      [path.join(normal, "labels", name.replace(/\.jpg$/i, ".xml"))],
      "TRAIN",
    );
  log(`CPLID sample: ${names.length} defective and the normal images imported`);
  return { datasetId: dataset.id, classId: defect.id };
}

/** One tile: the new box's surroundings (three times its size), box outlined, 192 px. */
async function tile(prisma: PrismaClient, storage: Storage, imageId: string): Promise<Buffer> {
  const image = await prisma.image.findUniqueOrThrow({
    where: { id: imageId },
    include: { lineage: true },
  });
  const box = image.lineage!.placement as unknown as Box;
  const side = Math.min(Math.max(box.width, box.height) * 3, image.width, image.height);
  const left = Math.round(
    Math.min(Math.max(box.x + box.width / 2 - side / 2, 0), image.width - side),
  );
  const top = Math.round(
    Math.min(Math.max(box.y + box.height / 2 - side / 2, 0), image.height - side),
  );
  const bytes = await storage.getBuffer("images", image.objectKey, { maxBytes: image.bytes + 1 });
  const k = 192 / Math.round(side);
  const outline = Buffer.from(
    `<svg width="192" height="192"><rect x="${(box.x - left) * k}" y="${(box.y - top) * k}" width="${box.width * k}" height="${box.height * k}" fill="none" stroke="#ff2d2d" stroke-width="1.5" stroke-dasharray="4 3"/></svg>`,
  );
  return sharp(bytes)
    .extract({ left, top, width: Math.round(side), height: Math.round(side) })
    .resize(192, 192)
    .composite([{ input: outline }])
    .png()
    .toBuffer();
}

async function contactSheet(
  prisma: PrismaClient,
  storage: Storage,
  imageIds: string[],
  file: string,
) {
  const tiles = await Promise.all(imageIds.map((id) => tile(prisma, storage, id)));
  const columns = 8;
  const rows = Math.ceil(tiles.length / columns);
  await sharp({
    create: { width: columns * 196 + 4, height: rows * 196 + 4, channels: 3, background: "#222" },
  })
    .composite(
      tiles.map((input, i) => ({
        input,
        left: 4 + (i % columns) * 196,
        top: 4 + Math.floor(i / columns) * 196,
      })),
    )
    .png()
    .toFile(file);
}

const tmp = await mkdtemp(path.join(os.tmpdir(), "gridfill-bench-composites-"));
const db = await createTestDatabase();
const s3 = await startEmbeddedS3({ directory: path.join(tmp, "s3") });
const env = { S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY: s3.accessKey, S3_SECRET_KEY: s3.secretKey };
const storage = new Storage(storageConfigFromEnv(env));
await storage.ensureBuckets();
const config = loadConfig({ ...env, GRIDFILL_FILL_MAX_COUNT: "1000", GRIDFILL_LOG_LEVEL: "warn" });
const prisma = db.prisma;
const deps = { prisma, storage, config };
await seedDemo({ ...deps, log });
const targets: { name: string; datasetId: string; classId: string }[] = [];
// 2 × count composites of a class with a handful of real images: above the demo's share cap
const demo = await prisma.dataset.update({
  where: { name: "demo-insulators" },
  data: { syntheticShareCap: 0.95 },
});
const crack = await prisma.defectClass.findFirstOrThrow({
  where: { datasetId: demo.id, name: "crack" },
});
targets.push({ name: "demo", datasetId: demo.id, classId: crack.id });
if (args.cplid) targets.push({ name: "cplid", ...(await importCplid(deps, args.cplid)) });

const models = new ModelCache(storage, { maxBatch: config.fills.batch });
// Loaded before any timing: a worker loads its model once, at start.
await models.get(await prisma.modelVersion.findFirstOrThrow({ where: { status: "ACTIVE" } }));

/** The same samples made in-process: inference and compositing only, warm caches, nothing stored. */
async function inProcessRate(requestId: string): Promise<number> {
  const req = (await prisma.fillRequest.findUniqueOrThrow({
    where: { id: requestId },
    include: { modelVersion: true, class: { select: { name: true } } },
  })) as RequestRow;
  const pool = req.modelVersion ? await models.get(req.modelVersion) : null;
  const ctx = await compositeContext(prisma, storage, {
    classId: req.classId,
    hostIds: req.hostIds,
  });
  const boxes = await referenceBoxes(prisma, req.classId, req.candidateIds);
  const make = sampleMaker({ prisma, models }, req, pool, ctx, req.candidateIds, boxes);
  await make([0]);
  const t0 = performance.now();
  for (let start = 0; start < req.count; start += config.fills.batch)
    await make(
      Array.from({ length: Math.min(config.fills.batch, req.count - start) }, (_, i) => start + i),
    );
  return req.count / ((performance.now() - t0) / 1000);
}
const logger = createLogger("warn");
const jobs = { send: async () => "bench" } as unknown as NonNullable<
  Parameters<typeof requestFill>[0]["jobs"]
>;
await mkdir(out, { recursive: true });
const results: Record<string, unknown>[] = [];
for (const target of targets)
  for (const method of ["MODEL", "COPY_PASTE"] as const) {
    const request = await requestFill({ ...deps, jobs }, null, {
      datasetId: target.datasetId,
      classId: target.classId,
      count,
      method,
      seed: args.seed,
    });
    const t0 = performance.now();
    await runFillJob({ ...deps, log: logger, models }, request.id);
    const seconds = (performance.now() - t0) / 1000;
    const done = await prisma.fillRequest.findUniqueOrThrow({ where: { id: request.id } });
    if (done.status !== "SUCCEEDED") throw new Error(`${target.name} ${method}: ${done.error}`);
    const lineages = await prisma.lineage.findMany({
      where: { requestId: request.id },
      orderBy: { sampleIndex: "asc" },
    });
    const file = path.join(out, `${target.name}-${method.toLowerCase().replace("_", "-")}.png`);
    await contactSheet(
      prisma,
      storage,
      lineages.map((l) => l.imageId),
      file,
    );
    const endToEnd = lineages.length / seconds;
    const inProcess = await inProcessRate(request.id);
    const row = {
      dataset: target.name,
      method,
      composites: lineages.length,
      seconds: Number(seconds.toFixed(2)),
      compositesPerSecond: Number(endToEnd.toFixed(2)),
      inProcessPerSecond: Number(inProcess.toFixed(2)),
      share: Number((endToEnd / inProcess).toFixed(3)),
      load: os.loadavg()[0]!.toFixed(1),
      sheet: file,
      hostsUsed: new Set(lineages.map((l) => l.hostImageId)).size,
    };
    results.push(row);
    log(JSON.stringify(row));
  }
await writeFile(path.join(out, "results.json"), JSON.stringify(results, null, 2));
await models.close();
await db.drop();
await s3.stop();
process.exit(0);
