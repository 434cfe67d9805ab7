// The demo dataset as seedDemo writes it (real PostgreSQL and S3 server): its defect classes plus
// the insulator host object, insulator boxes on every scene, the defect distribution of the
// procedural scenes, clean hosts that carry only insulators, a balance and a fill plan of defect
// classes only; and a composite fill of an insulator defect that lands on the insulator strings.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { loadConfig, type Config } from "@gridfill/config";
import { createTestDatabase, type TestDatabase } from "@gridfill/db";
import { startEmbeddedS3, Storage, storageConfigFromEnv, type EmbeddedS3 } from "@gridfill/storage";
import { createLogger, requestFill, type JobQueue } from "@gridfill/core";
import { datasetBalance, datasetFillPlan } from "@gridfill/core/balance/service.ts";
import { recomputeCounters, readCounters } from "@gridfill/core/balance/counters.ts";
import { hostCandidates } from "@gridfill/core/fills/hosts.ts";
import { ModelCache, runFillJob } from "@gridfill/worker";
import { DEFECT_CLASSES } from "@gridfill/scenes";
import { compareRuns } from "@gridfill/core/predictions/service.ts";
import { DEMO_RUNS } from "./demo-predictions.ts";
import { DEMO_DATASET, seedDemo } from "./demo-seed.ts";

let db: TestDatabase;
let dir: string;
let s3: EmbeddedS3;
let storage: Storage;
let config: Config;
let datasetId: string;
const classIds = new Map<string, string>();

before(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), "gridfill-demo-seed-"));
  s3 = await startEmbeddedS3({ directory: dir });
  storage = new Storage(
    storageConfigFromEnv({
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
    }),
  );
  await storage.ensureBuckets();
  config = loadConfig({ GRIDFILL_LOG_LEVEL: "error" });
  await seedDemo({ prisma: db.prisma, storage, config, log: () => {}, pool: db.pool });
  datasetId = (await db.prisma.dataset.findUniqueOrThrow({ where: { name: DEMO_DATASET } })).id;
  for (const c of await db.prisma.defectClass.findMany({ where: { datasetId } }))
    classIds.set(c.name, c.id);
});

after(async () => {
  await s3?.stop();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Box = { x: number; y: number; width: number; height: number };
const boxOf = (a: Box): Box => ({ x: a.x, y: a.y, width: a.width, height: a.height });
const inside = (b: Box, o: Box) =>
  b.x >= o.x && b.y >= o.y && b.x + b.width <= o.x + o.width && b.y + b.height <= o.y + o.height;

test("the demo has the insulator host object, and the insulator defects name it as their host class", async () => {
  const classes = await db.prisma.defectClass.findMany({ where: { datasetId } });
  assert.deepEqual(
    classes.map((c) => c.name).sort(),
    [...DEFECT_CLASSES.map((c) => c.name), "insulator"].sort(),
  );
  const insulator = classes.find((c) => c.name === "insulator")!;
  assert.equal(insulator.isHostObject, true);
  assert.equal(insulator.assetType, "INSULATOR");
  assert.equal(insulator.hostClassId, null);
  assert.deepEqual(
    classes
      .filter((c) => c.hostClassId === insulator.id)
      .map((c) => c.name)
      .sort(),
    ["contamination", "crack", "flashover_burn", "missing_cap"],
  );
  assert.ok(classes.filter((c) => c.name !== "insulator").every((c) => !c.isHostObject));
});

test("the demo keeps its images and long-tailed defects, and every scene has its insulator boxes", async () => {
  const images = await db.prisma.image.findMany({
    where: { datasetId },
    include: { annotations: { include: { class: { select: { name: true } } } } },
  });
  assert.equal(images.length, 88);
  const boxes = new Map<string, number>();
  const withClass = new Map<string, number>();
  for (const image of images) {
    const names = image.annotations.map((a) => a.class.name);
    for (const name of names) boxes.set(name, (boxes.get(name) ?? 0) + 1);
    for (const name of new Set(names)) withClass.set(name, (withClass.get(name) ?? 0) + 1);
    assert.ok(names.includes("insulator"), `${image.filename} has its insulator strings`);
  }
  // The procedural scenes' defects, as before insulator strings were labelled.
  assert.deepEqual(Object.fromEntries([...boxes].sort()), {
    bird_nest: 16,
    broken_damper: 14,
    contamination: 60,
    corrosion: 25,
    crack: 8,
    flashover_burn: 14,
    foreign_object: 8,
    insulator: 254,
    missing_cap: 12,
  });
  assert.equal(withClass.get("insulator"), 88);
  assert.equal(withClass.get("contamination"), 46);
  assert.equal(withClass.get("crack"), 8);
  assert.deepEqual(
    await readCounters(db.prisma, datasetId),
    await recomputeCounters(db.prisma, datasetId),
  );
});

test("the defect-free scenes stay clean hosts: insulator boxes do not make a host unclean", async () => {
  const clean = await hostCandidates(db.prisma, datasetId, "CLEAN_ONLY");
  const images = await db.prisma.image.findMany({ where: { id: { in: clean } } });
  assert.deepEqual(
    images.map((i) => i.filename).sort(),
    Array.from({ length: 10 }, (_, i) => `clean-${String(i).padStart(3, "0")}.png`),
  );
});

test("the demo's balance and fill plan have the defect classes only", async () => {
  const dataset = await db.prisma.dataset.findUniqueOrThrow({ where: { id: datasetId } });
  const defects = DEFECT_CLASSES.map((c) => c.name).sort();
  const { stats } = await datasetBalance(db.prisma, dataset, { unit: "boxes" });
  assert.deepEqual(stats.classes.map((c) => c.name).sort(), defects);
  assert.deepEqual(stats.unknownClassIds, []);
  assert.equal(stats.maxClass?.name, "contamination");
  const { plan } = await datasetFillPlan(db.prisma, dataset, { kind: "TO_MAX" }, 3);
  assert.deepEqual(plan.classes.map((c) => c.name).sort(), defects);
  assert.equal(plan.level, 33, "the level is the largest defect class's real train images");
  for (const c of plan.classes) {
    assert.ok(c.realTrainImages >= 8, JSON.stringify(c));
    assert.equal(c.blockedReason, null);
  }
});

test("a demo composite fill of crack lands on the hosts' insulator strings and carries their boxes", async () => {
  const jobs = { send: async () => null } as unknown as JobQueue;
  const worker = {
    prisma: db.prisma,
    storage,
    config,
    log: createLogger("error", () => {}),
    models: new ModelCache(storage),
  };
  const crack = classIds.get("crack")!;
  const insulator = classIds.get("insulator")!;
  const hostsOf = { CLEAN_ONLY: 0, ANY: 0 };
  for (const hosts of ["CLEAN_ONLY", "ANY"] as const) {
    const request = await requestFill({ prisma: db.prisma, storage, config, jobs }, null, {
      datasetId,
      classId: crack,
      count: 4,
      method: "COPY_PASTE",
      hosts,
      seed: hosts === "ANY" ? "11" : "7",
    });
    await runFillJob(worker, request.id);
    const row = await db.prisma.fillRequest.findUniqueOrThrow({ where: { id: request.id } });
    assert.equal(row.status, "SUCCEEDED", row.error ?? "");
    const lineages = await db.prisma.lineage.findMany({
      where: { requestId: request.id },
      include: { image: { include: { annotations: { orderBy: { id: "asc" } } } } },
    });
    assert.equal(lineages.length, 4);
    for (const l of lineages) {
      const host = await db.prisma.image.findUniqueOrThrow({
        where: { id: l.hostImageId! },
        include: { annotations: { orderBy: { id: "asc" } } },
      });
      if (hosts === "CLEAN_ONLY") assert.match(host.filename, /^clean-/);
      if (!host.filename.startsWith("clean-")) hostsOf[hosts]++;
      const carried = l.image.annotations.slice(0, -1);
      const added = l.image.annotations.at(-1)!;
      assert.deepEqual(
        carried.map((a) => [a.classId, boxOf(a)]),
        host.annotations.map((a) => [a.classId, boxOf(a)]),
        "the host's boxes, its insulator strings among them, are carried over exactly",
      );
      const strings = host.annotations.filter((a) => a.classId === insulator);
      assert.ok(strings.length > 0, `${host.filename} has insulator strings`);
      assert.equal(added.classId, crack);
      assert.equal(added.source, "GENERATED");
      assert.ok(
        strings.some((s) => inside(added, s)),
        `${JSON.stringify(boxOf(added))} on ${host.filename} lies on no insulator string`,
      );
    }
  }
  assert.ok(hostsOf.ANY > 0, "some ANY host carries defects of its own");
  assert.deepEqual(
    await readCounters(db.prisma, datasetId),
    await recomputeCounters(db.prisma, datasetId),
  );
});

test("the demo ships version 1 and its prediction runs on the test split, which find the insulators", async () => {
  const versions = await db.prisma.datasetVersion.findMany({ where: { datasetId } });
  assert.deepEqual(
    versions.map((v) => v.number),
    [1],
  );
  const runs = await db.prisma.predictionRun.findMany({
    where: { datasetId },
    orderBy: { name: "asc" },
  });
  const shipped = readdirSync(DEMO_RUNS, { withFileTypes: true }).filter((e) => e.isDirectory());
  assert.deepEqual(
    runs.map((r) => [r.name, r.status, r.split, r.versionId]),
    shipped.map((e) => [e.name, "SUCCEEDED", "TEST", versions[0]!.id]).sort(),
  );
  assert.ok(runs.every((r) => r.predictions > 0));
  // Real detectors on the demo's own scenes: both find the insulator strings (the largest class),
  // so the runs line up with the demo's test images and classes; the comparison has every class.
  const compared = await compareRuns(
    { prisma: db.prisma, pool: db.pool },
    runs[0]!.id,
    runs[1]!.id,
  );
  const insulator = compared.classes.find((c) => c.className === "insulator")!;
  assert.ok(insulator.truths > 0);
  assert.ok(insulator.base.ap50! > 0.5 && insulator.other.ap50! > 0.5, JSON.stringify(insulator));
  assert.equal(compared.classes.length, DEFECT_CLASSES.length + 1);
});

test("the demo model's card carries the detector-utility numbers the fill dialog shows", async () => {
  const model = await db.prisma.modelVersion.findFirstOrThrow({ where: { status: "ACTIVE" } });
  const utility = (model.metrics as { detectorUtility?: Record<string, unknown> }).detectorUtility;
  assert.ok(utility, "detectorUtility on the card");
  const ap = utility.rareAp50 as Record<string, { mean: number; std: number; runs: number }>;
  for (const method of ["real", "copy-paste", "model"]) {
    assert.ok(ap[method]!.runs >= 3, `${method}: at least three seeds`);
    assert.ok(ap[method]!.mean >= 0 && ap[method]!.mean <= 1 && ap[method]!.std >= 0, method);
  }
  assert.equal(typeof utility.rareClass, "string");
});
