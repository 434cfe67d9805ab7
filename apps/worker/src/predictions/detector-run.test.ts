// A detector run against a real PostgreSQL and S3 server: the fixture detector is uploaded,
// checked and run over the test split by the worker's job; a retried job adds nothing; the run's
// boxes are accepted as pre-labels and the counters move with them.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import sharp from "sharp";
import { createTestDatabase, type TestDatabase } from "@gridfill/db";
import {
  startTestStorage,
  type TestStorage,
} from "../../../../packages/storage/src/test-helpers.ts";
import { loadConfig } from "@gridfill/config";
import { silentLogger } from "@gridfill/core/log.ts";
import { addImageFromBuffer } from "@gridfill/core/images/uploads.ts";
import type { JobQueue } from "@gridfill/core/jobs/queues.ts";
import { acceptPredictionsAbove, runDetector } from "@gridfill/core/predictions/detectors.ts";
import type { DomainError } from "@gridfill/core";
import { runPredictionJob } from "./detector-run.ts";

let db: TestDatabase;
let s3: TestStorage;
let datasetId: string;
const config = loadConfig({ GRIDFILL_LOG_LEVEL: "warn" });
const sent: string[] = [];
/** The enqueue side only: the test runs the job itself, as a worker would. */
const jobs: JobQueue = {
  async send(_queue, data) {
    sent.push(data.id);
    return data.id;
  },
  async result() {
    throw new Error("not used");
  },
};
const detectorBytes = readFileSync(
  new URL("../../../../packages/generator/fixtures/detector-nms.onnx", import.meta.url),
);
const sha256 = createHash("sha256").update(detectorBytes).digest("hex");

before(async () => {
  db = await createTestDatabase();
  s3 = await startTestStorage();
  await s3.storage.ensureBuckets();
  datasetId = (await db.prisma.dataset.create({ data: { name: "lines" } })).id;
  for (const name of ["insulator", "nest"])
    await db.prisma.defectClass.create({ data: { datasetId, name } });
  for (const level of [51, 102, 153]) {
    const buffer = await sharp({
      create: { width: 64, height: 64, channels: 3, background: { r: level, g: level, b: level } },
    })
      .png()
      .toBuffer();
    await addImageFromBuffer(
      { prisma: db.prisma, storage: s3.storage, config },
      { datasetId, buffer, filename: `grey-${level}.png`, split: "TEST", actor: null },
    );
  }
  await db.prisma.datasetVersion.create({
    data: { datasetId, number: 1, manifestKey: "m", manifestSha256: "0", images: 3, boxes: 0 },
  });
});

after(async () => {
  await s3?.close();
  await db?.drop();
});

async function upload(bytes: Buffer): Promise<string> {
  const key = `staging/detectors/${crypto.randomUUID()}.onnx`;
  await s3.storage.put("models", key, bytes, { contentType: "application/octet-stream" });
  return key;
}

const deps = () => ({ prisma: db.prisma, storage: s3.storage, jobs });

test("a wrong sha256, a corrupt file and a generator are refused, and nothing is written", async () => {
  const input = { datasetId, version: 1, split: "TEST" };
  await assert.rejects(
    runDetector(deps(), null, {
      ...input,
      source: await upload(detectorBytes),
      sha256: "0".repeat(64),
    }),
    (e: DomainError) => e.extensions.reason === "SHA256_MISMATCH",
  );
  const corrupt = detectorBytes.subarray(0, 100);
  await assert.rejects(
    runDetector(deps(), null, {
      ...input,
      source: await upload(corrupt),
      sha256: createHash("sha256").update(corrupt).digest("hex"),
    }),
    (e: DomainError) => e.code === "BAD_USER_INPUT",
  );
  const generator = readFileSync(
    new URL("../../../../packages/generator/fixtures/generator.onnx", import.meta.url),
  );
  await assert.rejects(
    runDetector(deps(), null, {
      ...input,
      source: await upload(generator),
      sha256: createHash("sha256").update(generator).digest("hex"),
    }),
    (e: DomainError) => e.extensions.reason === "CONTRACT_MISMATCH",
  );
  assert.equal(await db.prisma.predictionRun.count(), 0);
  assert.equal(sent.length, 0);
});

test("the worker runs the detector over the split; a retried job adds nothing", async () => {
  const run = await runDetector(deps(), null, {
    datasetId,
    version: 1,
    split: "TEST",
    source: await upload(detectorBytes),
    sha256,
    name: "fixture detector",
  });
  assert.deepEqual(sent, [run.id]);
  assert.equal(run.source, "MODEL");
  assert.equal(run.modelSha256, sha256);
  const jobDeps = { prisma: db.prisma, storage: s3.storage, config, log: silentLogger };
  await runPredictionJob(jobDeps, run.id);
  const done = await db.prisma.predictionRun.findUniqueOrThrow({ where: { id: run.id } });
  assert.equal(done.status, "SUCCEEDED");
  assert.deepEqual([done.done, done.total, done.predictions], [3, 3, 6]);
  // Two boxes per image; the first scored by the image's mean intensity.
  const scores = (
    await db.prisma.prediction.findMany({ where: { runId: run.id }, orderBy: { score: "desc" } })
  ).map((p) => Number(p.score.toFixed(2)));
  assert.deepEqual(scores, [0.6, 0.4, 0.25, 0.25, 0.25, 0.2]);

  // A job taken over after the batch committed (the status still RUNNING) adds nothing.
  await db.prisma.predictionRun.update({ where: { id: run.id }, data: { status: "RUNNING" } });
  await runPredictionJob(jobDeps, run.id);
  assert.equal(await db.prisma.prediction.count({ where: { runId: run.id } }), 6);
});

test("pre-labels above a score become unreviewed PREDICTED boxes, counted, once", async () => {
  const run = await db.prisma.predictionRun.findFirstOrThrow({
    where: { name: "fixture detector" },
  });
  const before = await db.prisma.classCounter.findMany({ where: { datasetId } });
  assert.equal(
    before.reduce((n, c) => n + c.boxes, 0),
    0,
  );
  const accepted = await acceptPredictionsAbove(db.prisma, null, run.id, 0.3);
  assert.deepEqual(accepted, { boxes: 2, images: 2 });
  const boxes = await db.prisma.annotation.findMany({ where: { predictionRunId: run.id } });
  assert.equal(boxes.length, 2);
  assert.ok(boxes.every((b) => b.source === "PREDICTED" && b.review === "UNREVIEWED"));
  const insulator = await db.prisma.defectClass.findFirstOrThrow({
    where: { datasetId, name: "insulator" },
  });
  const counter = await db.prisma.classCounter.findFirstOrThrow({
    where: { datasetId, classId: insulator.id, split: "TEST" },
  });
  assert.deepEqual([counter.images, counter.boxes], [2, 2]);
  await assert.rejects(
    acceptPredictionsAbove(db.prisma, null, run.id, 0.3),
    (e: DomainError) => e.code === "CONFLICT",
  );
});
